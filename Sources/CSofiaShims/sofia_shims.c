// See include/sofia_shims.h: fixed-arity forwarders and tag builders, no logic.
#include "sofia_shims.h"

#include <malloc.h>
#include <string.h>
#include <strings.h>
#include <sofia-sip/msg.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_addrinfo.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/su_strlst.h>
#include <sofia-sip/tport.h>
#include <sofia-sip/tport_tag.h>

const char *sofia_nua_version(void) { return NUA_VERSION; }

// MARK: - Variadic calls

nua_t *sofia_nua_create(su_root_t *root, nua_callback_f callback, nua_magic_t *magic, const tagi_t *tags) {
    return nua_create(root, callback, magic, TAG_NEXT(tags));
}
nua_handle_t *sofia_nua_handle(nua_t *nua, nua_hmagic_t *hmagic, const tagi_t *tags) {
    return nua_handle(nua, hmagic, TAG_NEXT(tags));
}
void sofia_nua_invite(nua_handle_t *nh, const tagi_t *tags) { nua_invite(nh, TAG_NEXT(tags)); }
void sofia_nua_ack(nua_handle_t *nh, const tagi_t *tags) { nua_ack(nh, TAG_NEXT(tags)); }
void sofia_nua_bye(nua_handle_t *nh, const tagi_t *tags) { nua_bye(nh, TAG_NEXT(tags)); }
void sofia_nua_cancel(nua_handle_t *nh, const tagi_t *tags) { nua_cancel(nh, TAG_NEXT(tags)); }
void sofia_nua_info(nua_handle_t *nh, const tagi_t *tags) { nua_info(nh, TAG_NEXT(tags)); }
void sofia_nua_options(nua_handle_t *nh, const tagi_t *tags) { nua_options(nh, TAG_NEXT(tags)); }
void sofia_nua_authenticate(nua_handle_t *nh, const tagi_t *tags) { nua_authenticate(nh, TAG_NEXT(tags)); }
void sofia_nua_respond(nua_handle_t *nh, int status, const char *phrase, const tagi_t *tags) {
    nua_respond(nh, status, phrase, TAG_NEXT(tags));
}

const char *sofia_handle_strdup(nua_handle_t *nh, const char *text) {
    if (!nh || !text) return NULL;
    return su_strdup(nua_handle_home(nh), text);
}

// MARK: - Tag builders

#define TAG1(expr) do { tagi_t t = { expr }; return t; } while (0)

tagi_t sofia_tag_end(void) { TAG1(TAG_END()); }
tagi_t sofia_nutag_url(const char *url) { TAG1(NUTAG_URL(url)); }
tagi_t sofia_nutag_sips_url(const char *url) { TAG1(NUTAG_SIPS_URL(url)); }
tagi_t sofia_nutag_media_enable(int enable) { TAG1(NUTAG_MEDIA_ENABLE(enable)); }
tagi_t sofia_nutag_autoanswer(int enable) { TAG1(NUTAG_AUTOANSWER(enable)); }
tagi_t sofia_nutag_autoalert(int enable) { TAG1(NUTAG_AUTOALERT(enable)); }
tagi_t sofia_nutag_enable_message(int enable) { TAG1(NUTAG_ENABLEMESSAGE(enable)); }
tagi_t sofia_nutag_autoack(int enable) { TAG1(NUTAG_AUTOACK(enable)); }
tagi_t sofia_nutag_appl_method(const char *methods) { TAG1(NUTAG_APPL_METHOD(methods)); }
tagi_t sofia_nutag_session_timer(unsigned seconds) { TAG1(NUTAG_SESSION_TIMER(seconds)); }
tagi_t sofia_nutag_min_se(unsigned seconds) { TAG1(NUTAG_MIN_SE(seconds)); }
tagi_t sofia_nutag_with_this(nua_t *nua) { TAG1(NUTAG_WITH_THIS(nua)); }
tagi_t sofia_nutag_with_saved(nua_saved_event_t *saved) { TAG1(NUTAG_WITH_SAVED(saved)); }
tagi_t sofia_nutag_proxy(const char *url) { TAG1(NUTAG_PROXY(url)); }
tagi_t sofia_nutag_auth(const char *credentials) { TAG1(NUTAG_AUTH(credentials)); }
tagi_t sofia_ntatag_server_rport(int mode) { TAG1(NTATAG_SERVER_RPORT(mode)); }
tagi_t sofia_siptag_payload_str(const char *payload) { TAG1(SIPTAG_PAYLOAD_STR(payload)); }
tagi_t sofia_siptag_content_type_str(const char *type) { TAG1(SIPTAG_CONTENT_TYPE_STR(type)); }
tagi_t sofia_siptag_from_str(const char *value) { TAG1(SIPTAG_FROM_STR(value)); }
tagi_t sofia_siptag_to_str(const char *value) { TAG1(SIPTAG_TO_STR(value)); }
tagi_t sofia_siptag_contact_str(const char *value) { TAG1(SIPTAG_CONTACT_STR(value)); }
tagi_t sofia_siptag_user_agent_str(const char *value) { TAG1(SIPTAG_USER_AGENT_STR(value)); }
tagi_t sofia_siptag_header_str(const char *raw) { TAG1(SIPTAG_HEADER_STR(raw)); }
tagi_t sofia_siptag_warning_str(const char *value) { TAG1(SIPTAG_WARNING_STR(value)); }
tagi_t sofia_siptag_www_authenticate_str(const char *value) { TAG1(SIPTAG_WWW_AUTHENTICATE_STR(value)); }
tagi_t sofia_siptag_proxy_authenticate_str(const char *value) { TAG1(SIPTAG_PROXY_AUTHENTICATE_STR(value)); }
tagi_t sofia_siptag_supported_str(const char *value) { TAG1(SIPTAG_SUPPORTED_STR(value)); }
tagi_t sofia_siptag_allow_str(const char *value) { TAG1(SIPTAG_ALLOW_STR(value)); }
tagi_t sofia_siptag_accept_str(const char *value) { TAG1(SIPTAG_ACCEPT_STR(value)); }
tagi_t sofia_siptag_supported_none(void) { TAG1(SIPTAG_SUPPORTED(SIP_NONE)); }

// MARK: - TLS transport tags

tagi_t sofia_tptag_certificate(const char *dir) { TAG1(TPTAG_CERTIFICATE(dir)); }
tagi_t sofia_tptag_tls_verify_policy(int policy) { TAG1(TPTAG_TLS_VERIFY_POLICY(policy)); }
tagi_t sofia_tptag_tls_verify_depth(unsigned depth) { TAG1(TPTAG_TLS_VERIFY_DEPTH(depth)); }
tagi_t sofia_tptag_tls_verify_date(int check) { TAG1(TPTAG_TLS_VERIFY_DATE(check)); }
int sofia_tptls_verify_in(void) { return TPTLS_VERIFY_IN; }
int sofia_tptls_verify_subjects_in(void) { return TPTLS_VERIFY_SUBJECTS_IN; }
int sofia_tptls_verify_subjects_out(void) { return TPTLS_VERIFY_SUBJECTS_OUT; }

tagi_t sofia_tptag_tls_verify_subjects(const char *names) {
    static su_home_t *home;
    if (!names || !*names) { TAG1(TAG_SKIP(0)); }
    if (!home) home = su_home_new(sizeof(su_home_t));
    su_strlst_t *list = home ? su_strlst_split(home, su_strdup(home, names), ",") : NULL;
    if (!list) { TAG1(TAG_SKIP(0)); }
    TAG1(TPTAG_TLS_VERIFY_SUBJECTS(list));
}

// MARK: - Reading the current request

int sofia_current_source(nua_t *nua, char *host, size_t hostlen, unsigned *port, const char **transport) {
    if (!nua) return -1;
    msg_t *msg = nua_current_request(nua);
    if (!msg) return -1;
    su_addrinfo_t *ai = msg_addrinfo(msg);
    if (!ai || !ai->ai_addr) return -1;
    su_sockaddr_t *su = (su_sockaddr_t *)ai->ai_addr;
    if (!su_inet_ntop(su->su_family, SU_ADDR(su), host, hostlen)) return -1;
    *port = ntohs(su->su_port);
    switch (ai->ai_protocol) {
    case IPPROTO_UDP: *transport = "udp"; break;
    case IPPROTO_TCP: *transport = (ai->ai_flags & TP_AI_SECURE) ? "tls" : "tcp"; break;
    default: *transport = ""; break;
    }
    /* tport names the protocol of the receiving transport in ai_canonname. */
    if (ai->ai_canonname && strcasecmp(ai->ai_canonname, "tls") == 0) *transport = "tls";
    return 0;
}

int sofia_url_encode(const url_t *url, char *buffer, size_t size) {
    issize_t n = url_e(buffer, (isize_t)size, url);
    if (n < 0 || (size_t)n >= size) return -1;
    buffer[n] = '\0';
    return (int)n;
}

int sofia_header_encode(const sip_header_t *header, char *buffer, size_t size) {
    issize_t n = msg_header_field_e(buffer, (isize_t)size, (msg_header_t const *)header, 0);
    if (n < 0 || (size_t)n >= size) return -1;
    buffer[n] = '\0';
    return (int)n;
}

int sofia_tags_callstate(const tagi_t *tags) {
    const tagi_t *t = tl_find(tags, nutag_callstate);
    return t ? (int)t->t_value : -1;
}

int sofia_root_register_fd(su_root_t *root, int fd, su_wakeup_f callback, su_wakeup_arg_t *arg) {
    su_wait_t wait[1] = { SU_WAIT_INIT };
    if (su_wait_create(wait, fd, SU_WAIT_IN) < 0) return -1;
    return su_root_register(root, wait, callback, arg, 0);
}

// MARK: - Parsing a datagram without a nua

msg_t *sofia_message_parse(const char *data, size_t length) {
    if (!data || length > 65536) return NULL;
    msg_t *msg = msg_make(sip_default_mclass(), 0, data, (ssize_t)length);
    if (msg && !sip_object(msg)) { msg_destroy(msg); return NULL; }
    return msg;
}

sip_t const *sofia_message_sip(msg_t *msg) { return msg ? sip_object(msg) : NULL; }

void sofia_message_destroy(msg_t *msg) { if (msg) msg_destroy(msg); }

// MARK: - Process memory

size_t wagate_heap_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}
