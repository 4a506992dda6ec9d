#!/usr/bin/env bash
# make fuzz: builds the libFuzzer harnesses (Package.swift, WAGATE_FUZZ=1) in
# .build-fuzz and runs each for FUZZ_SECONDS over its committed corpus, then
# prints the executions reached and the crashes found per target.
#   FUZZ_SECONDS  seconds per target (default 120)
#   FUZZ_TARGETS  space-separated subset, e.g. "sip sdp" (default: all)
#   FUZZ_JOBS     targets run at once (default 1)
#   FUZZ_RUNS     also stop a target after this many executions (e.g. 10000000)
#   FUZZ_STAGE    build (only build the harnesses), run (only run them, already
#                 built), or all (default); `make test` builds while the interop
#                 suites run and runs afterwards
#   FUZZ_CONFIG   release (default) or debug. `make test`'s short run uses debug:
#                 it replays the corpora and regressions and fuzzes briefly, and an
#                 unoptimised build of the harnesses takes a fraction of a release
#                 one; long runs (`make fuzz`) want release speed. Debug harnesses
#                 live in .build-fuzz-debug.
# New inputs found during a run go to .build-fuzz/work/<target>/, never into
# the committed corpus; `make fuzz-merge` folds them in minimised. A crashing
# input is saved as .build-fuzz/crashes/<target>/crash-… and the run fails;
# once fixed, it is kept in Fuzz/regressions/<target>/, which every run
# replays and which merging never prunes.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SECONDS_EACH=${FUZZ_SECONDS:-120}
ALL="sip sdp stun rtp dtls dtmf webhook graph config agent refer browsersdp"
TARGETS=${FUZZ_TARGETS:-$ALL}
CONFIG=${FUZZ_CONFIG:-release}
case $CONFIG in release) SCRATCH=.build-fuzz;; debug) SCRATCH=.build-fuzz-debug;;
  *) echo "FUZZ_CONFIG must be release or debug, not $CONFIG" >&2; exit 2;; esac
product() { case $1 in sip) echo FuzzSIP;; sdp) echo FuzzSDP;; stun) echo FuzzSTUN;; rtp) echo FuzzRTP;;
  dtls) echo FuzzDTLS;; dtmf) echo FuzzDTMF;; webhook) echo FuzzWebhook;; graph) echo FuzzGraph;; config) echo FuzzConfig;;
  agent) echo FuzzAgent;; refer) echo FuzzRefer;; browsersdp) echo FuzzBrowserSDP;;
  *) echo "unknown fuzz target $1 (known: $ALL)" >&2; exit 2;; esac; }

build() {
  WAGATE_FUZZ=1 $SWIFT build -c "$CONFIG" --scratch-path "$SCRATCH" "$@" 2>&1 \
    | grep -E "error:|warning: .*/(Fuzz|Sources)/" ; [ "${PIPESTATUS[0]}" = 0 ] || { echo "fuzz: build failed ($*)"; exit 1; }
}
STAGE=${FUZZ_STAGE:-all}
case $STAGE in build|run|all) ;; *) echo "FUZZ_STAGE must be build, run or all, not $STAGE" >&2; exit 2;; esac
for t in $TARGETS; do product "$t" >/dev/null || exit 2; done
# The fuzz manifest holds only the harnesses and what they reach, so every
# harness builds in one invocation (one plan, links in parallel); SwiftPM takes
# one --product per invocation, which costs a plan and a serial link each, so
# only a subset is built product by product.
if [ "$STAGE" = run ]; then :
elif [ "$(echo $TARGETS | wc -w)" = "$(echo $ALL | wc -w)" ]; then
  echo "fuzz: building every harness"
  build
else
  for t in $TARGETS; do echo "fuzz: building $(product "$t")"; build --product "$(product "$t")"; done
fi
[ "$STAGE" = build ] && { echo "fuzz: harnesses built"; exit 0; }
bin=$(WAGATE_FUZZ=1 $SWIFT build -c "$CONFIG" --scratch-path "$SCRATCH" --show-bin-path 2>/dev/null)
for t in $TARGETS; do
  [ -x "$bin/$(product "$t")" ] || { echo "fuzz: $(product "$t") is not built (run FUZZ_STAGE=build first)"; exit 1; }
done

run_one() {
  local t=$1 p work art log
  p=$(product "$t"); work=$SCRATCH/work/$t; art=$SCRATCH/crashes/$t; log=$SCRATCH/logs/$t.log
  mkdir -p "$work" "$art" "$(dirname "$log")"
  rm -f "$art"/crash-* "$art"/oom-* "$art"/timeout-* "$art"/leak-*
  local limit=-runs=${FUZZ_RUNS:--1} maxlen=65536
  # A sip.conf is operator input, and the validator's cost grows with size: keep mutations small.
  [ "$t" = config ] && maxlen=4096
  "$bin/$p" -max_total_time="$SECONDS_EACH" "$limit" -timeout=10 -rss_limit_mb=2048 -max_len=$maxlen \
    -print_final_stats=1 -artifact_prefix="$art/" "$work" "Fuzz/corpus/$t" $(ls -d "Fuzz/regressions/$t" 2>/dev/null) >"$log" 2>&1
  echo $? >"$log.rc"
}

for t in $TARGETS; do
  run_one "$t" &
  while [ "$(jobs -rp | wc -l)" -ge "${FUZZ_JOBS:-1}" ]; do wait -n; done
done
wait

status=0
printf '%-8s %12s %10s %8s %7s\n' target executions exec/s corpus crashes
for t in $TARGETS; do
  log=$SCRATCH/logs/$t.log
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  size=$(ls "$SCRATCH/work/$t" "Fuzz/corpus/$t" 2>/dev/null | grep -vc ':$\|^$')
  crashes=$(ls "$SCRATCH/crashes/$t" 2>/dev/null | grep -c '^\(crash\|oom\|timeout\|leak\)-')
  rc=$(cat "$log.rc")
  # Interrupted (SIGINT) is a stop, not a failure: libFuzzer still prints its stats.
  grep -q "libFuzzer: run interrupted" "$log" && [ "$crashes" = 0 ] && rc=0
  if [ "$rc" != 0 ] || [ "$crashes" != 0 ]; then
    status=1
    [ "$crashes" = 0 ] && crashes="rc=$rc"
    grep -m1 -A12 "ERROR\|Fatal error\|==.*deadly" "$log" | sed "s/^/  $t: /"
  fi
  printf '%-8s %12s %10s %8s %7s\n' "$t" "${runs:-0}" "${rate:-0}" "$size" "$crashes"
done
[ $status = 0 ] && echo "fuzz: no crashes" || echo "fuzz: CRASHES FOUND (inputs in $SCRATCH/crashes/)"
exit $status
