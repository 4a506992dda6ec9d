// libopus 1.3 (Debian libopus-dev) as a Clang module.
#include <opus/opus.h>
