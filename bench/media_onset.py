"""Media onset at the answer, per call-setup order and direction: a release `wagate run` in
sandbox mode (the simulated WhatsApp user echoes, `early_media = ringback`, so the phone talks
before the answer too), driven by the raw-socket phone of Tests/Interop/onset_peer.py.

Per call, from the answer as the phone sees it (its 200 arriving, or the 200 it sends):
- first: the first packet the phone reads (WhatsApp → SIP: the user's stream reaches the phone);
- tone: the phone's own after-answer tone back through the WhatsApp user (the round trip: the
  SIP → WhatsApp onset is at most this, minus the way back);
- 200ms: packets read in the first 200 ms (10 expected; more is a burst of held audio);
- stale: packets after the answer carrying the phone's pre-answer tone (0 expected).
Prints each order's median and maximum over REPEAT calls.

Usage (bench/35-media-onset.sh runs it): WAGATE_BIN=… .venv/bin/python bench/media_onset.py [REPEAT]
Bounded: every wait has a deadline; the gateway is stopped at the end."""
import socket
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "Interop"))

from conftest import Gateway, free_port  # noqa: E402
from onset_calls import INBOUND_ORDERS, OUTBOUND_ORDERS, measure_call  # noqa: E402
from sandbox_control import Sandbox  # noqa: E402


def figure(values):
    values = [v for v in values if v is not None]
    if not values:
        return "      -"
    return f"{statistics.median(values):6.0f}/{max(values):<4.0f}"


def main():
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port(socket.SOCK_STREAM, both=False)
        gw = Gateway(Path(tmp), extra_general="early_media = ringback\n",
                     whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{port}\nsimulator_media = echo\n",
                     extra_sections="[inbound]\ntarget = user:alice\nring_timeout = 10\n")
        sandbox = Sandbox(port)
        try:
            print(f"{'direction':9} {'order':15} {'first ms':>11} {'tone ms':>11} {'200ms pkts':>11} {'stale':>6}"
                  "   (median/max of", repeat, "calls)")
            for direction, orders in (("outbound", OUTBOUND_ORDERS), ("inbound", INBOUND_ORDERS)):
                for order in orders:
                    runs = [measure_call(gw.sip_port, sandbox, direction, order) for _ in range(repeat)]
                    print(f"{direction:9} {order:15} {figure([r.first_packet_ms for r in runs]):>11} "
                          f"{figure([r.tone_ms for r in runs]):>11} {figure([r.first_200ms for r in runs]):>11} "
                          f"{max(r.stale for r in runs):6d}", flush=True)
        finally:
            gw.stop()


if __name__ == "__main__":
    main()
