#!/usr/bin/env bash
# SIP floods: OPTIONS and INVITE floods at rising rates, with CPU, RSS and a
# registered phone's calls measured beside an idle baseline from the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product wagate >/dev/null
python3 bench/sip_flood.py
