#!/usr/bin/env bash
# SIP call rate against the echo test with digest auth.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product wagate >/dev/null
python3 bench/sip_call_rate.py
