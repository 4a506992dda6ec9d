/* Preloaded into MediaBench under valgrind by bench/60-webphone-cpu.sh.
 *
 * wagate_bench_callgrind_toggle: MediaBench looks it up by name and calls it at the start and the
 * end of its measuring window; with --collect-atstart=no, callgrind then counts the window only
 * (not ICE, DTLS, the calls' set-up and tear-down). Outside valgrind the request is a no-op.
 *
 * sigsuspend: valgrind 3.19's (Debian 12) rt_sigsuspend wrapper writes into the caller's signal
 * mask, and libdispatch's dispatch_main (the idle main thread of an async Swift main) passes a
 * const one in read-only memory, which kills valgrind. This hands the kernel a writable copy. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <valgrind/callgrind.h>

void wagate_bench_callgrind_toggle(void) {
    CALLGRIND_TOGGLE_COLLECT;
}

int sigsuspend(const sigset_t *mask) {
    static int (*real)(const sigset_t *);
    if (!real) real = (int (*)(const sigset_t *))dlsym(RTLD_NEXT, "sigsuspend");
    sigset_t copy = *mask;
    return real(&copy);
}
