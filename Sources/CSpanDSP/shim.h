// spandsp 0.0.6 (Debian libspandsp-dev) as a Clang module: G.711, G.722, PLC, DTMF.
#include <stdint.h>
#include <stdlib.h>
#include <tiffio.h>
#include <spandsp.h>
