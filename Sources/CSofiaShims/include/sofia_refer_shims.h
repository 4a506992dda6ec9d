// Fixed-arity forwarders for REFER (RFC 3515) and Replaces (RFC 3891): the
// NOTIFY that reports a transfer's progress, the `refer` event nua kept for an
// incoming REFER, and the dialog a Replaces value names.
//
// Why C: nua_notify() is variadic and the event and Replaces structures are
// built and read with sofia's parsers, which Swift cannot call directly.
#ifndef WAGATE_SOFIA_REFER_SHIMS_H
#define WAGATE_SOFIA_REFER_SHIMS_H

// <features.h> first, as in every header that includes sofia's (see
// CSofiaSIP/shim.h).
#include <features.h>
#include <stddef.h>
#include <sofia-sip/nua.h>

/// Sends NOTIFY on `nh` for the REFER subscription `event` (`refer` or
/// `refer;id=N`), with `Subscription-State: active`, or `terminated;reason=noresource`
/// when `terminated` is non-zero, and `sipfrag` (a `message/sipfrag;version=2.0` body).
void sofia_nua_notify_sipfrag(nua_handle_t *nh, const char *event, const char *sipfrag, int terminated);

/// Writes the NUTAG_REFER_EVENT() of a nua_i_refer event's tags into `buffer`
/// (NUL-terminated, e.g. `refer;id=2`). Returns the length, or -1 when absent or too long.
int sofia_tags_refer_event(const tagi_t *tags, char *buffer, size_t size);

/// The hmagic of the dialog handle that the Replaces header value `value`
/// (`call-id;to-tag=…;from-tag=…`) names, matched as RFC 3891 §3 says (to-tag
/// against our local tag); NULL when nua knows no such dialog.
void *sofia_hmagic_by_replaces(nua_t *nua, const char *value);

/// The Replaces value a third party sends to the far end of `nh`'s dialog to
/// replace it (our local tag as from-tag, the far end's as to-tag), written into
/// `buffer`. Returns the length, or -1 when the handle has no dialog or it did not fit.
int sofia_handle_replaces(nua_handle_t *nh, char *buffer, size_t size);

/// Sets the methods `nh`'s dialog accepts (its Allow): the dialogs of calls
/// accept REFER, the default handle (requests outside a dialog) does not.
void sofia_nua_set_allow(nua_handle_t *nh, const char *allow);

#endif
