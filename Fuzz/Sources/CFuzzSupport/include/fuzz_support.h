// C support for the libFuzzer harnesses: the driver entry and sofia's own SIP
// parser over a buffer. Single-threaded; no su_root is needed.
#ifndef WAGATE_FUZZ_SUPPORT_H
#define WAGATE_FUZZ_SUPPORT_H

#include <features.h>
#include <stddef.h>
#include <stdint.h>
#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>

/// Parses one complete datagram with sofia's SIP message class (msg_make:
/// msg_extract, the parser nta uses) and applies nta's sanity check. Returns the
/// parsed `sip_t` and stores the owning message in `*out`, or NULL when nta
/// would drop the datagram or answer 400 itself. The caller frees `*out` with
/// msg_destroy; the `sip_t` lives exactly as long as the message.
/// One input: libFuzzer's LLVMFuzzerTestOneInput signature.
typedef int (*fuzz_callback)(const uint8_t *data, size_t size);

/// Runs libFuzzer's driver (flags, corpus, -runs, -merge…) on `callback`.
/// SwiftPM links an executable's entry under `<Module>_main`, so each harness
/// defines that symbol and calls this instead of relying on libFuzzer's main.
int fuzz_run_driver(int argc, char **argv, fuzz_callback callback);

const sip_t *fuzz_sofia_parse(const void *data, size_t length, msg_t **out);

#endif
