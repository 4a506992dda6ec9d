#!/usr/bin/env bash
# Call setup through a two-node cluster (PostgreSQL, Kamailio, HAProxy) beside
# one node with SQLite and one with PostgreSQL, in the same run (bench/cluster_setup.py).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product wagate >/dev/null
.venv/bin/python bench/cluster_setup.py
