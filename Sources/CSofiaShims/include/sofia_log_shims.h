// Sofia-SIP's own log (su_log) as complete lines handed to Swift, instead of
// fragments printed straight to stderr, so they go through swift-log (text or
// JSON) like every other line; and the tag that turns on tport's message trace.
//
// Why C: su_log's logger takes a printf format and a va_list, which Swift cannot
// receive; the shim formats each fragment, assembles lines and passes bytes.
#ifndef WAGATE_SOFIA_LOG_SHIMS_H
#define WAGATE_SOFIA_LOG_SHIMS_H

// <features.h> first, as in every header that includes sofia's (see
// CSofiaSIP/shim.h): su_configure.h defines _GNU_SOURCE, which otherwise gives
// this module an fd_set that differs from the system's in a clean build.
#include <features.h>
#include <stddef.h>
#include <sofia-sip/su_tag.h>

/// The longest line handed on; the rest of a longer line is dropped.
#define SOFIA_LOG_LINE_MAX 1024

/// Receives one complete line of sofia's log, without its newline. Called
/// under the shim's lock, on whichever thread sofia logged from.
typedef void (*sofia_log_line_f)(void *context, const char *line, size_t length);

/// Redirects su_log's default log (which every sofia module, and tport's
/// TPTAG_LOG message trace, fall back to) to `sink`. Process-wide; the last
/// call wins.
void sofia_log_redirect(sofia_log_line_f sink, void *context);

/// TPTAG_LOG: tport logs every SIP message it sends and receives.
tagi_t sofia_tptag_log(int on);

#endif
