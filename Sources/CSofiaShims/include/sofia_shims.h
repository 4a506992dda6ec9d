// Fixed-arity forwarders for Sofia-SIP's variadic tag-list calls, and builders
// for the tag macros Swift cannot import.
//
// Why C: Swift does not import C varargs, and a tag's identity is the *address*
// of a `tag_type_s[1]` array; a copy imported into Swift would never match. So
// every tagi_t is built here, in C; Swift only assembles arrays of them, always
// terminated by sofia_tag_end().
//
// Threads: every nua_* forwarder must be called on the thread that runs the
// su_root the nua was created on. Strings passed in are copied by nua before
// the call returns; the caller keeps ownership of its buffers.
#ifndef WAGATE_SOFIA_SHIMS_H
#define WAGATE_SOFIA_SHIMS_H

#include <features.h>
#include <stddef.h>
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip.h>

/// The NUA_VERSION string (the `nua_version` array is an incomplete type in Swift).
const char *sofia_nua_version(void);

// MARK: - Variadic calls, tag-list variants. `tags` ends with sofia_tag_end().
nua_t *sofia_nua_create(su_root_t *root, nua_callback_f callback, nua_magic_t *magic, const tagi_t *tags);
nua_handle_t *sofia_nua_handle(nua_t *nua, nua_hmagic_t *hmagic, const tagi_t *tags);
void sofia_nua_invite(nua_handle_t *nh, const tagi_t *tags);
void sofia_nua_ack(nua_handle_t *nh, const tagi_t *tags);
void sofia_nua_bye(nua_handle_t *nh, const tagi_t *tags);
void sofia_nua_cancel(nua_handle_t *nh, const tagi_t *tags);
void sofia_nua_info(nua_handle_t *nh, const tagi_t *tags);
void sofia_nua_options(nua_handle_t *nh, const tagi_t *tags);
void sofia_nua_authenticate(nua_handle_t *nh, const tagi_t *tags);
/// nua_respond. Unlike tags, nua keeps `phrase` by pointer until the server
/// transaction ends: pass a static string or one from sofia_handle_strdup().
void sofia_nua_respond(nua_handle_t *nh, int status, const char *phrase, const tagi_t *tags);

/// A copy of `text` owned by the handle's memory home, freed with the handle;
/// NULL when `nh` or `text` is NULL or memory is short.
const char *sofia_handle_strdup(nua_handle_t *nh, const char *text);

// MARK: - Tag builders (each returns one tagi_t by value)
tagi_t sofia_tag_end(void);
tagi_t sofia_nutag_url(const char *url);
tagi_t sofia_nutag_sips_url(const char *url);
tagi_t sofia_nutag_media_enable(int enable);
tagi_t sofia_nutag_autoanswer(int enable);
tagi_t sofia_nutag_autoalert(int enable);
tagi_t sofia_nutag_enable_message(int enable);
tagi_t sofia_nutag_autoack(int enable);
tagi_t sofia_nutag_appl_method(const char *methods);
tagi_t sofia_nutag_session_timer(unsigned seconds);
tagi_t sofia_nutag_min_se(unsigned seconds);
tagi_t sofia_nutag_with_this(nua_t *nua);
tagi_t sofia_nutag_with_saved(nua_saved_event_t *saved);
tagi_t sofia_nutag_proxy(const char *url);
tagi_t sofia_nutag_auth(const char *credentials);
tagi_t sofia_ntatag_server_rport(int mode);
tagi_t sofia_siptag_payload_str(const char *payload);
tagi_t sofia_siptag_content_type_str(const char *type);
tagi_t sofia_siptag_from_str(const char *value);
tagi_t sofia_siptag_to_str(const char *value);
tagi_t sofia_siptag_contact_str(const char *value);
tagi_t sofia_siptag_user_agent_str(const char *value);
tagi_t sofia_siptag_header_str(const char *raw);
tagi_t sofia_siptag_warning_str(const char *value);
tagi_t sofia_siptag_www_authenticate_str(const char *value);
tagi_t sofia_siptag_proxy_authenticate_str(const char *value);
tagi_t sofia_siptag_supported_str(const char *value);
/// SIPTAG_ALLOW_STR: replaces the methods nua allows (and advertises in Allow).
tagi_t sofia_siptag_allow_str(const char *value);
/// SIPTAG_ACCEPT_STR: the Accept header nua puts in its answers (OPTIONS).
tagi_t sofia_siptag_accept_str(const char *value);
/** SIPTAG_SUPPORTED(SIP_NONE): no Supported header, and no extension nua would otherwise advertise. */
tagi_t sofia_siptag_supported_none(void);

// MARK: - TLS transport tags
tagi_t sofia_tptag_certificate(const char *dir);
tagi_t sofia_tptag_tls_verify_policy(int policy);
/// TPTAG_TLS_VERIFY_DEPTH: the longest certificate chain accepted.
tagi_t sofia_tptag_tls_verify_depth(unsigned depth);
/// TPTAG_TLS_VERIFY_DATE: whether expired or not-yet-valid certificates fail.
tagi_t sofia_tptag_tls_verify_date(int check);
/// TPTAG_TLS_VERIFY_SUBJECTS from a comma-separated list of names. The list is
/// allocated once and lives as long as the process (tport copies it when the
/// TLS transport is created). Returns TAG_SKIP when `names` is empty.
tagi_t sofia_tptag_tls_verify_subjects(const char *names);
/// The verification policy values of `enum tport_tls_verify_policy`.
int sofia_tptls_verify_in(void);
int sofia_tptls_verify_subjects_in(void);
int sofia_tptls_verify_subjects_out(void);

// MARK: - Reading the current request (call only inside the nua callback)

/// Source address of the request being processed by `nua`'s callback right now:
/// fills `host` (numeric, NUL-terminated) and `port`; `transport` gets "udp",
/// "tcp", "tls" or "" (static string, never freed). Returns 0 on success.
int sofia_current_source(nua_t *nua, char *host, size_t hostlen, unsigned *port, const char **transport);

/// Encodes `url` into `buffer` (NUL-terminated). Returns the length, or -1 if it did not fit.
int sofia_url_encode(const url_t *url, char *buffer, size_t size);

/// Encodes one header (Contact, From, To, …) as it would appear on the wire,
/// without the name. Returns the length or -1.
int sofia_header_encode(const sip_header_t *header, char *buffer, size_t size);

/// The NUTAG_CALLSTATE() value in a nua_i_state event's tags, or -1.
int sofia_tags_callstate(const tagi_t *tags);

/// Registers the read end of a pipe with the root; `callback` runs on the root's
/// thread when it becomes readable. Returns the registration index (>= 0) or -1.
int sofia_root_register_fd(su_root_t *root, int fd, su_wakeup_f callback, su_wakeup_arg_t *arg);

// MARK: - Parsing a datagram without a nua (tests and offline checks)

/// Parses one SIP message (at most 64 KiB) with sofia's default parser; NULL
/// when it is not a SIP message. Free with sofia_message_destroy().
msg_t *sofia_message_parse(const char *data, size_t length);

/// The parsed headers of `msg`, valid until sofia_message_destroy().
sip_t const *sofia_message_sip(msg_t *msg);

/// Frees a message from sofia_message_parse().
void sofia_message_destroy(msg_t *msg);

// MARK: - Process memory

/// Bytes of the C heap in use (glibc mallinfo2: allocated chunks plus mmapped
/// blocks). Unlike RSS it falls again when memory is freed, so a leak shows.
/// Walks the allocator's arenas: call it per scrape, never per packet.
size_t wagate_heap_in_use(void);

#endif
