#!/usr/bin/env bash
# Runs every benchmark that exists and prints its table. Benchmarks compare
# their figures with a baseline measured in the same run; none is a pass/fail test.
# QUICK=1 (make bench-quick): only the media comparison, in its short form (about 3 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
ran=0
if [ "${QUICK:-0}" = 1 ]; then scripts=(bench/30-media-calls-per-core.sh); else scripts=(bench/[0-9]*.sh); fi
for b in "${scripts[@]}"; do
  [ -e "$b" ] || continue
  echo "== $b"
  bash "$b"
  ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "bench: no benchmark scripts found in bench/"; exit 1; }
