// See include/sofia_refer_shims.h: forwarders for REFER and Replaces, no logic.
#include "sofia_refer_shims.h"

#include <sofia-sip/msg_header.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_alloc.h>

void sofia_nua_notify_sipfrag(nua_handle_t *nh, const char *event, const char *sipfrag, int terminated) {
    nua_notify(nh,
               NUTAG_SUBSTATE(terminated ? nua_substate_terminated : nua_substate_active),
               SIPTAG_EVENT_STR(event),
               SIPTAG_CONTENT_TYPE_STR("message/sipfrag;version=2.0"),
               SIPTAG_PAYLOAD_STR(sipfrag),
               TAG_END());
}

int sofia_tags_refer_event(const tagi_t *tags, char *buffer, size_t size) {
    const tagi_t *t = tl_find(tags, nutag_refer_event);
    if (!t || !t->t_value) return -1;
    issize_t n = msg_header_field_e(buffer, (isize_t)size, (msg_header_t const *)t->t_value, 0);
    if (n < 0 || (size_t)n >= size) return -1;
    buffer[n] = '\0';
    return (int)n;
}

void *sofia_hmagic_by_replaces(nua_t *nua, const char *value) {
    su_home_t home[1] = { SU_HOME_INIT(home) };
    sip_replaces_t *rp = sip_replaces_make(home, value);
    void *magic = NULL;
    if (rp) {
        nua_handle_t *nh = nua_handle_by_replaces(nua, rp);
        if (nh) {
            magic = nua_handle_magic(nh);
            nua_handle_unref(nh);
        }
    }
    su_home_deinit(home);
    return magic;
}

int sofia_handle_replaces(nua_handle_t *nh, char *buffer, size_t size) {
    su_home_t home[1] = { SU_HOME_INIT(home) };
    sip_replaces_t *rp = nua_handle_make_replaces(nh, home, 0);
    int result = -1;
    if (rp) {
        issize_t n = msg_header_field_e(buffer, (isize_t)size, (msg_header_t const *)rp, 0);
        if (n >= 0 && (size_t)n < size) {
            buffer[n] = '\0';
            result = (int)n;
        }
    }
    su_home_deinit(home);
    return result;
}

void sofia_nua_set_allow(nua_handle_t *nh, const char *allow) {
    nua_set_hparams(nh, SIPTAG_ALLOW_STR(allow), TAG_END());
}
