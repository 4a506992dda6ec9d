#!/usr/bin/env bash
# Media calls per core, wagate beside rtpengine in the same run: synthetic calls on
# 127.0.0.1 only, the same generator (MediaBench, on CPU 1) driving wagate's bridge
# thread and then Debian's rtpengine (userspace, no kernel module), each pinned to
# CPU 0. Per mode (transcoded 8 kHz c5, 48 kHz c10, Opus and G.711 pass-through) a
# ladder of coarse steps, bisection to ±10 calls, and a confirmation window; then one
# table with both systems, the ratio, the libopus-only ceilings and memory per call.
# Environment: WINDOW (confirmation, s; 30), COARSE_WINDOW (3), MODES, FINE_STEP (10),
# QUICK=1 (the transcoded and Opus pass-through modes, 5 s / 2 s windows, 20-call
# steps: about 3 minutes). Bounded by `timeout` whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
if [ "${QUICK:-0}" = 1 ]; then
  WINDOW=${WINDOW:-5} COARSE_WINDOW=${COARSE_WINDOW:-2} MODES=${MODES:-transcoded,opusPass} FINE_STEP=${FINE_STEP:-20} LIMIT=240 BUDGET=180
else
  WINDOW=${WINDOW:-30} COARSE_WINDOW=${COARSE_WINDOW:-3} MODES=${MODES:-transcoded,heavy,opusPass,g711Pass} FINE_STEP=${FINE_STEP:-10} LIMIT=900 BUDGET=660
fi
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! command -v rtpengine >/dev/null; then
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rtpengine-daemon >/dev/null
fi
swift build -c release --scratch-path .build-release --product MediaBench >/dev/null
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# (MediaBench runs line-buffered so each ladder step shows as it ends.)
# rtpengine on 127.0.0.1: a free ng control port, RTP ports 10000–19999 (below the
# kernel's ephemeral range the generator's sockets come from), no kernel table.
work=$(mktemp -d)
ng=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
taskset -c 0 rtpengine --config-file=none --foreground --log-stderr --table=-1 --interface=127.0.0.1 \
  --listen-ng="127.0.0.1:$ng" --port-min=10000 --port-max=19999 --delete-delay=0 --log-level=4 >"$work/rtpengine.log" 2>&1 &
rtpengine_pid=$!
trap 'kill "$rtpengine_pid" 2>/dev/null; wait "$rtpengine_pid" 2>/dev/null; rm -rf "$work"' EXIT
python3 - "$ng" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
for _ in range(40):
    try:
        s.sendto(b"1 d7:command4:pinge", ("127.0.0.1", int(sys.argv[1])))
        if b"pong" in s.recv(1000): sys.exit(0)
    except OSError: time.sleep(0.25)
sys.exit("rtpengine did not answer ping")
PY
echo "rtpengine $(rtpengine --version 2>&1 | sed -n 's/^Version: //p') pid $rtpengine_pid on CPU 0, ng port $ng"
timeout "$LIMIT" taskset -c 1 stdbuf -oL .build-release/release/MediaBench --pin=0,1 --rtpengine="$ng:$rtpengine_pid" --modes="$MODES" \
  --window="$COARSE_WINDOW" --confirm-window="$WINDOW" --fine-step="$FINE_STEP" --budget="$BUDGET" --stop-by=$((LIMIT - 20)) || { tail -20 "$work/rtpengine.log"; exit 1; }
