// libsrtp 2.x (Debian libsrtp2-dev) as a Clang module.
#include <srtp2/srtp.h>
