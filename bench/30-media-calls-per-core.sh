#!/usr/bin/env bash
# Media bridge calls per core: synthetic PCMU ⇄ Opus calls
# on 127.0.0.1 only, increasing until a frame is late or lost, beside the
# libopus-only ceiling and the 48 kHz / complexity-10 reference; then Opus
# pass-through toward 1,000 calls. Bounded: stops by itself within a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
swift build -c release --scratch-path .build-release --product MediaBench >/dev/null
timeout 420 .build-release/release/MediaBench --budget=200 --window=3
