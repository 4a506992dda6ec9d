// Sofia-SIP 1.12 (Debian libsofia-sip-ua-dev) as a Clang module.
// <features.h> must come first: su_configure.h defines _GNU_SOURCE inside the
// module, which otherwise breaks fd_set in Dispatch ("'fds_bits' is not present
// in definition of 'fd_set' in module 'CDispatch'"). Every Swift-visible header
// that includes sofia headers does the same; -D_GNU_SOURCE globally would break
// bind and sendto from Swift instead.
#include <features.h>
#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/soa.h>
#include <sofia-sip/url.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/tport_tag.h>
