#!/usr/bin/env bash
# make test, once the gateway is built: the unit tests, then the interop suites
# while the fuzz harnesses build (debug: FUZZ_SHORT_CONFIG) at the lowest CPU
# and I/O priority, then the short fuzz run over the built harnesses.
#
# The interop suites spend most of their time waiting on SIP and media timers,
# so the harness build (every parser with libFuzzer instrumentation, minutes of
# compiler time) fits in the idle CPU. At nice 19 the compiler yields a core at
# once when a gateway, a peer or pytest wakes, so the timing of the calls under
# test is not changed. The unit tests run alone: some measure a loop's own CPU time.
set -uo pipefail
cd "$(dirname "$0")/.."
MAKE=${MAKE:-make}
SWIFT=${SWIFT:-swift}

$MAKE unit-test || exit 1

FUZZ_CONFIG=${FUZZ_SHORT_CONFIG:-debug}
mkdir -p .build-fuzz-logs
setsid nice -n 19 ionice -c 3 env SWIFT="$SWIFT" FUZZ_STAGE=build FUZZ_CONFIG="$FUZZ_CONFIG" bash Fuzz/run.sh \
  >.build-fuzz-logs/build.log 2>&1 &
fuzz_build=$!
stop_build() { kill -- -"$fuzz_build" 2>/dev/null; wait "$fuzz_build" 2>/dev/null; }
trap stop_build INT TERM

$MAKE interop-test
interop=$?
if [ "$interop" != 0 ]; then
  stop_build
  echo "make test: the interop suites failed"
  exit 1
fi
echo "make test: waiting for the fuzz harness build"
wait "$fuzz_build"
built=$?
cat .build-fuzz-logs/build.log
[ "$built" = 0 ] || { echo "make test: the fuzz harness build failed"; exit 1; }
$MAKE fuzz-short FUZZ_STAGE=run FUZZ_SHORT_CONFIG="$FUZZ_CONFIG"
