#!/usr/bin/env bash
# The WhatsApp media leg: per-packet cost beside raw libopus/libsrtp, and setup time.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product LegBench >/dev/null
.build-release/release/LegBench
