// speexdsp 1.2 (Debian libspeexdsp-dev) as a Clang module: its resampler only.
#include <speex/speex_resampler.h>
