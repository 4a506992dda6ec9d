// Sofia-SIP 1.12 (Debian libsofia-sip-ua-dev) as a Clang module.
// <features.h> must come first: su_configure.h defines _GNU_SOURCE inside the
// module, which otherwise breaks fd_set in Dispatch (see shared/docs/c-interop.md).
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
