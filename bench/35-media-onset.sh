#!/usr/bin/env bash
# Media onset at the answer (no burst of held audio, no stale audio), both directions, in every
# call-setup order: a release wagate in sandbox mode and a raw-socket phone (bench/media_onset.py).
# Not a pass/fail test: it prints median/max per order. Environment: REPEAT (calls per order,
# default 3), QUICK=1 (1 call per order). Bounded: about a minute; killed after 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
REPEAT=${REPEAT:-3}
[ "${QUICK:-0}" = 1 ] && REPEAT=1
swift build -c release --scratch-path .build-release --product wagate >/dev/null
WAGATE_BIN="$PWD/.build-release/release/wagate" timeout 180 .venv/bin/python bench/media_onset.py "$REPEAT"
