// The client side of Digest for every request nua sends: a sofia auth-client
// plugin for the scheme `Digest` that replaces sofia's built-in one.
//
// Why: sofia-sip 1.12.11's own Digest client computes MD5 only, and refuses a
// whole 401/407 when its first challenge names another algorithm, while
// Meta's SIP servers (and RFC 8760 servers) challenge with SHA-256. The
// plugin keeps nua's own retry (same Call-ID and From tag, CSeq + 1, the
// credentials cached for the dialog) and leaves the reading of challenges
// and the computing of answers to Swift (`DigestChallenge`, `DigestAnswer`),
// through the two hooks below.
//
// Why C: a plugin is a table of C function pointers over sofia's
// `auth_client_t`, whose memory sofia allocates with the size we declare.
#ifndef WAGATE_SOFIA_DIGEST_SHIMS_H
#define WAGATE_SOFIA_DIGEST_SHIMS_H

// <features.h> first, as in every header that includes sofia's (see
// CSofiaSIP/shim.h).
#include <features.h>
#include <stddef.h>

/// Ranks the challenge whose parameters are `params` (sofia's `au_params`:
/// `name=value` strings, NULL-terminated): -1 when it cannot be answered,
/// else its strength (higher is preferred).
typedef int (*sofia_digest_rank_f)(const char *const *params);

/// Writes the credentials header value answering the challenge `params` for a
/// request `method` to `uri` into `out` (NUL-terminated, at most `size` bytes).
/// `user` and `pass` are as given in NUTAG_AUTH (percent-encoded). Returns the
/// length, or -1 when no answer can be written.
typedef long (*sofia_digest_answer_f)(const char *const *params, const char *method, const char *uri,
                                      const char *user, const char *pass, const char *cnonce,
                                      unsigned nc, char *out, size_t size);

/// Puts the plugin in front of sofia's built-in Digest client, once per
/// process (later calls change nothing). Returns 0 on success.
int sofia_digest_install(sofia_digest_rank_f rank, sofia_digest_answer_f answer);

#endif
