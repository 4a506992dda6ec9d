#!/usr/bin/env bash
# CPU per browser ⇄ WhatsApp call against desk-phone ⇄ WhatsApp calls, three ways, each kind
# beside the others measured in the same run (none of it is a pass/fail test):
#  1. MediaBench --mode=cpu: PCMU phone (transcoded), Opus phone and browser (both passed
#     through) at the same load, interleaved REPEAT times, bridge thread pinned to CPU 0 and the
#     load generator to CPU 1; bridge-thread CPU µs per call-second, median/min/max.
#  2. valgrind: callgrind instructions of the bridge thread per 20 ms packet, and DHAT heap blocks
#     per packet of the browser call (whole process), each as the difference between two window
#     lengths (set-up and tear-down cancel). Instruction counts do not depend on other load on
#     the machine: this is the headline figure on a shared machine.
#  3. bench/webphone_cpu.py: a real wagate (release build) with the Meta simulator, one steady
#     call of each kind (aiortc agent; baresip PCMU), /proc thread CPU minus an idle window.
# Environment: CALLS REPEAT WINDOW (part 1), VG_CALLS VG_SHORT VG_LONG VG_KINDS VALGRIND_OUT (part 2), RUNS WINDOW_SECONDS
# (part 3), PARTS (default "1 2 3"). Bounded: each part ends by itself within minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
CALLS=${CALLS:-100} REPEAT=${REPEAT:-5} WINDOW=${WINDOW:-3}
VG_CALLS=${VG_CALLS:-2} VG_SHORT=${VG_SHORT:-4} VG_LONG=${VG_LONG:-12}
RUNS=${RUNS:-3} SECONDS_PER_WINDOW=${WINDOW_SECONDS:-20} PARTS=${PARTS:-"1 2 3"}
BIN=.build-release/release/MediaBench
swift build -c release --scratch-path .build-release --product MediaBench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vgdir=${VALGRIND_OUT:-$work}  # VALGRIND_OUT=DIR keeps valgrind's files (callgrind_annotate, dh_view.html)
mkdir -p "$vgdir"

if [[ " $PARTS " == *" 1 "* ]]; then
  echo "== 1. thread CPU, $CALLS calls per kind, median of $REPEAT interleaved repetitions"
  timeout 600 "$BIN" --mode=cpu --calls="$CALLS" --repeat="$REPEAT" --window="$WINDOW" --pin=0,1
fi

# Valgrind 3.19 (Debian 12) cannot read the DWARF 5 that Swift's clang emits, so it runs a copy
# without debug info (the symbol table stays, so callgrind still names functions), with the
# sigsuspend shim of bench/valgrind/ preloaded (see there; it also marks the measuring window for callgrind).
valgrind_setup() {
  command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
  objcopy --strip-debug "$BIN" "$work/MediaBench"
  cc -shared -fPIC -O2 -o "$work/bench_shim.so" bench/valgrind/bench_shim.c -ldl
}

# One MediaBench run of KIND at VG_CALLS calls under valgrind TOOL; prints "PACKETS FILE-PREFIX",
# PACKETS being those of the window for callgrind (which counts the window only) and those since
# the calls started for DHAT (which counts the whole process). A transcoded call counts the Opus
# frames the bridge coded instead: under valgrind libopus cannot keep up with 20 ms, packets
# arrive late or are concealed, and every encode, decode and concealment is a packet's work.
valgrind_run() {
  local tool=$1 kind=$2 window=$3 out="$vgdir/$1.$2.$3" field=packets_window
  [ "$kind" = pcmu ] && field=frames_window
  local extra=(--callgrind-out-file="$out.cg" --separate-threads=yes --collect-atstart=no)
  [ "$tool" = dhat ] && extra=(--dhat-out-file="$out.dhat") field=packets_total
  LD_PRELOAD="$work/bench_shim.so" timeout 900 valgrind --tool="$tool" "${extra[@]}" "$work/MediaBench" \
    --mode=cpu --kinds="$kind" --calls="$VG_CALLS" --repeat=1 --window="$window" >"$out.stdout" 2>"$out.stderr"
  echo "$(sed -n "s/.*$field=\\([0-9]*\\).*/\\1/p" "$out.stdout") $out"
}

# Instructions of the bridge thread: the per-thread callgrind file that mentions the marker.
bridge_instructions() {
  local file
  file=$(grep -l "18bridgeThreadMarker" "$1".cg-* | head -1)
  grep -E '^(totals|summary):' "$file" | head -1 | awk '{print $2}'
}

if [[ " $PARTS " == *" 2 "* ]]; then
  valgrind_setup
  echo "== 2. valgrind, $VG_CALLS calls, windows of $VG_SHORT s and $VG_LONG s (difference method)"
  echo "| call | bridge-thread instructions per 20 ms packet (difference) | short window: instructions / packets | long window | packets (difference) |"
  echo "|---|---|---|---|---|"
  for kind in ${VG_KINDS:-pcmu opus browser}; do
    read -r p1 f1 < <(valgrind_run callgrind "$kind" "$VG_SHORT")
    read -r p2 f2 < <(valgrind_run callgrind "$kind" "$VG_LONG")
    i1=$(bridge_instructions "$f1") i2=$(bridge_instructions "$f2")
    echo "| $kind | $(( (i2 - i1) / (p2 - p1) )) | $i1 / $p1 | $i2 / $p2 | $((p2 - p1)) |"
  done
  if [[ " ${VG_KINDS:-browser} " == *" browser "* ]]; then
    read -r p1 f1 < <(valgrind_run dhat browser "$VG_SHORT")
    read -r p2 f2 < <(valgrind_run dhat browser "$VG_LONG")
    echo "DHAT, browser ⇄ WhatsApp, whole process (bridge and both synthetic peers), difference of the two windows:"
    python3 bench/valgrind/dhat_diff.py "$f1.dhat" "$p1" "$f2.dhat" "$p2" 10
  fi
fi

if [[ " $PARTS " == *" 3 "* ]]; then
  echo "== 3. real wagate, one steady call of each kind, $RUNS runs of ${SECONDS_PER_WINDOW} s windows"
  swift build -c release --scratch-path .build-release --product wagate >/dev/null
  WAGATE_BIN="$PWD/.build-release/release/wagate" timeout 900 .venv/bin/python bench/webphone_cpu.py "$RUNS" "$SECONDS_PER_WINDOW"
fi
