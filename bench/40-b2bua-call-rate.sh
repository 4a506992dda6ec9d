#!/usr/bin/env bash
# The B2BUA's call rate with media: SIPp through wagate to the Meta simulator.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product wagate >/dev/null
python3 bench/b2bua_call_rate.py
