// See include/sofia_digest_shims.h: sofia's auth-client plugin interface,
// with the reading and answering of challenges done in Swift.
#include "sofia_digest_shims.h"

#define SOFIA_EXTEND_AUTH_CLIENT 1
#include <pthread.h>
#include <stdio.h>
#include <sys/random.h>
#include <sofia-sip/su.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/su_string.h>
#include <sofia-sip/su_uniqueid.h>
#include <sofia-sip/url.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/auth_client.h>
#include <sofia-sip/auth_client_plugin.h>

/// The longest credentials header value written.
#define WD_ANSWER_MAX 4096

/// One challenger (scheme and realm) on one nua handle. Sofia allocates it
/// zeroed, `auc_size` bytes, in the handle's memory, and frees it with the handle.
typedef struct {
    auth_client_t wd_ca[1];
    char **wd_params;    /* the challenge answered: its parameters, NULL-terminated */
    int wd_rank;         /* its strength (valid when wd_params is set) */
    int wd_answered;     /* credentials were sent for it */
    int wd_rechallenged; /* challenged again after credentials were sent */
    unsigned wd_nc;      /* requests that used its nonce */
    char wd_cnonce[33];  /* our client nonce for it, 32 hex digits */
} wd_client_t;

static sofia_digest_rank_f hook_rank;
static sofia_digest_answer_f hook_answer;

static void wd_new_cnonce(wd_client_t *wd) {
    unsigned char bytes[16] = { 0 };
    if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes) {
        for (size_t i = 0; i < sizeof bytes; i++) bytes[i] = (unsigned char)su_randint(0, 255);
    }
    for (size_t i = 0; i < sizeof bytes; i++) snprintf(wd->wd_cnonce + 2 * i, 3, "%02x", bytes[i]);
}

static void wd_drop(wd_client_t *wd) {
    su_home_t *home = wd->wd_ca->ca_home;
    if (wd->wd_params) {
        for (char **p = wd->wd_params; *p; p++) su_free(home, *p);
        su_free(home, wd->wd_params);
    }
    wd->wd_params = NULL;
}

static char **wd_copy(su_home_t *home, msg_param_t const *params) {
    size_t n = 0;
    while (params && params[n]) n++;
    char **copy = su_zalloc(home, (isize_t)((n + 1) * sizeof *copy));
    if (!copy) return NULL;
    for (size_t i = 0; i < n; i++) {
        if (!(copy[i] = su_strdup(home, params[i]))) return NULL;
    }
    return copy;
}

/* Keeps the strongest answerable challenge of a response. Returns 2 (send
   credentials) until credentials were sent; a challenge after that means they
   were refused: 1, so nua clears them and reports the response to us. */
static int wd_challenge(auth_client_t *ca, msg_auth_t const *ch) {
    wd_client_t *wd = (wd_client_t *)ca;
    if (wd->wd_answered) {
        wd->wd_answered = 0;
        wd->wd_rechallenged = 1;
        wd_drop(wd);
    }
    int rank = hook_rank ? hook_rank((const char *const *)ch->au_params) : -1;
    if (rank >= 0 && (!wd->wd_params || rank > wd->wd_rank)) {
        char **copy = wd_copy(ca->ca_home, ch->au_params);
        if (!copy) return -1;
        wd_drop(wd);
        wd->wd_params = copy;
        wd->wd_rank = rank;
        wd->wd_nc = 0;
        wd_new_cnonce(wd);
    }
    return wd->wd_rechallenged ? 1 : 2;
}

static int wd_authorize(auth_client_t *ca, su_home_t *home, char const *method, url_t const *url,
                        msg_payload_t const *body, msg_header_t **return_headers) {
    wd_client_t *wd = (wd_client_t *)ca;
    (void)body;
    if (!ca->ca_user || !ca->ca_pass || ca->ca_clear || !wd->wd_params || !hook_answer) return 0;
    char *uri = url_as_string(home, url);
    if (!uri) return -1;
    char value[WD_ANSWER_MAX];
    unsigned nc = wd->wd_nc + 1;
    long n = hook_answer((const char *const *)wd->wd_params, method, uri, ca->ca_user, ca->ca_pass,
                         wd->wd_cnonce, nc, value, sizeof value);
    su_free(home, uri);
    if (n < 0 || (size_t)n >= sizeof value) return -1;
    msg_header_t *h = msg_header_make(home, ca->ca_credential_class, value);
    if (!h) return -1;
    wd->wd_nc = nc;
    wd->wd_answered = 1;
    *return_headers = h;
    return 0;
}

static int wd_info(auth_client_t *ca, msg_auth_info_t const *info) {
    (void)ca, (void)info;
    return 0;
}

static int wd_clear(auth_client_t *ca) {
    ca->ca_clear = 1;
    return 1;
}

/* One user name and password per handle, whatever the realm. */
static int wd_save(auth_client_t *ca, char const *scheme, char const *realm, char const *user, char const *pass) {
    (void)realm;
    if (scheme && !su_casematch(scheme, ca->ca_scheme)) return 0;
    return auth_client_save_credentials(ca, NULL, NULL, user, pass);
}

static int wd_copy_credentials(auth_client_t *dst, auth_client_t const *src) {
    return auth_client_copy_credentials(dst, src);
}

static const auth_client_plugin_t wd_plugin = {
    sizeof wd_plugin, sizeof (wd_client_t), "Digest",
    wd_challenge, wd_authorize, wd_info, wd_clear, wd_save, wd_copy_credentials,
};

static const auth_client_plugin_t wd_placeholder = {
    sizeof wd_placeholder, sizeof (wd_client_t), "X-wagate-placeholder",
    wd_challenge, wd_authorize, wd_info, wd_clear, wd_save, wd_copy_credentials,
};

static pthread_once_t wd_once = PTHREAD_ONCE_INIT;
static int wd_installed = -1;

/* auc_register_plugin() of sofia 1.12.11 takes the first slot that is empty or
   whose name DIFFERS from the plugin's (an inverted test), so a plugin named
   "Digest" would land behind the built-in one, which ca_create() finds first.
   The placeholder takes slot 0 from the built-in Digest; ours then takes slot 0
   from the placeholder. With the test corrected, the placeholder goes to a free
   slot and ours replaces the built-in Digest by name. Either way ours is found. */
static void wd_register(void) {
    if (auc_register_plugin(&wd_placeholder) == 0 && auc_register_plugin(&wd_plugin) == 0) wd_installed = 0;
}

int sofia_digest_install(sofia_digest_rank_f rank, sofia_digest_answer_f answer) {
    if (!hook_rank) hook_rank = rank;
    if (!hook_answer) hook_answer = answer;
    pthread_once(&wd_once, wd_register);
    return wd_installed;
}
