#!/usr/bin/env bash
# Runs every benchmark that exists and prints its table. Benchmarks compare
# their figures with a baseline measured in the same run; none is a pass/fail test.
set -euo pipefail
cd "$(dirname "$0")/.."
ran=0
for b in bench/[0-9]*.sh; do
  [ -e "$b" ] || continue
  echo "== $b"
  bash "$b"
  ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "bench: no benchmark scripts found in bench/"; exit 1; }
