#include "fuzz_support.h"
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_util.h>

/// libFuzzer's programmatic entry (compiler-rt FuzzerInterface.h).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int fuzz_run_driver(int argc, char **argv, fuzz_callback callback) {
    return LLVMFuzzerRunDriver(&argc, &argv, callback);
}

const sip_t *fuzz_sofia_parse(const void *data, size_t length, msg_t **out) {
    *out = NULL;
    if (length == 0 || length > 65535) return NULL;
    msg_t *msg = msg_make(sip_default_mclass(), MSG_DO_CANONIC, data, (ssize_t)length);
    if (msg == NULL) return NULL;
    sip_t *sip = sip_object(msg);
    if (sip == NULL || msg_has_error(msg) || sip_sanity_check(sip) < 0) {
        msg_destroy(msg);
        return NULL;
    }
    *out = msg;
    return sip;
}
