#include "sofia_meta_shims.h"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>

void sofia_nua_meta_dialog(nua_handle_t *nh) {
    if (!nh) return;
    nua_set_hparams(nh, NUTAG_SESSION_TIMER(0), SIPTAG_SUPPORTED_STR("100rel"), TAG_END());
}
