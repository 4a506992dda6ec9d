#include "sofia_meta_shims.h"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>

void sofia_nua_meta_dialog(nua_handle_t *nh, const char *allow) {
    if (!nh) return;
    nua_set_hparams(nh, NUTAG_SESSION_TIMER(0), SIPTAG_SUPPORTED_STR("100rel"), SIPTAG_ALLOW_STR(allow), TAG_END());
}
