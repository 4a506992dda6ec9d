// The per-dialog settings of a dialog with Meta's SIP servers (SIP-mode
// numbers): Meta refuses re-INVITEs (500, the call fails), so nua must never
// refresh the session or offer a session timer on it.
//
// Why C: nua_set_hparams() is variadic.
#ifndef WAGATE_SOFIA_META_SHIMS_H
#define WAGATE_SOFIA_META_SHIMS_H

// <features.h> first, as in every header that includes sofia's (see
// CSofiaSIP/shim.h).
#include <features.h>
#include <sofia-sip/nua.h>

/// Turns RFC 4028 session timers off on `nh` (no Session-Expires, no refresh),
/// advertises `Supported: 100rel` on its responses (reliable 183, RFC 3262) and
/// allows `allow` (which must list PRACK: nua answers the PRACK of a reliable
/// 183 itself, but only when the handle allows the method).
void sofia_nua_meta_dialog(nua_handle_t *nh, const char *allow);

#endif
