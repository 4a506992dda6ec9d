"""Media from the first moment of a call, in every call-setup order and both
directions: a raw-socket phone (onset_peer.py) and wagate in sandbox mode,
whose simulated WhatsApp user echoes what it hears.

The phone plays 700 Hz before the answer (as early media where it has SDP) and
1000 Hz from the answer. After the answer it must
- not get a burst: at most 10 packets in the first 200 ms, plus slack for
  scheduling (audio held before the answer and released at once would show
  here: the phone reads its socket only from the first SDP it has);
- hear its 1000 Hz back, through the WhatsApp user, soon after the answer
  (generous here; the figure itself is printed by bench/35-media-onset.sh);
- hear no more 700 Hz back than was in flight at the answer: the phone talks
  until the 200 reaches it, so its last 20–60 ms of 700 Hz are live audio as
  much as anything after; a queue of its early media would bring back up to
  the jitter buffer's ring (about 25 packets).
"""
import socket

import pytest

from conftest import free_port
from onset_calls import INBOUND_ORDERS, OUTBOUND_ORDERS, measure_call
from sandbox_control import Sandbox

MOST_PACKETS_IN_200_MS = 10 + 3
ROUND_TRIP_SLACK_MS = 400
MOST_IN_FLIGHT_AT_THE_ANSWER = 5


def sandbox_gateway(make_gateway, early_media):
    port = free_port(socket.SOCK_STREAM, both=False)
    gw = make_gateway(
        extra_general=f"early_media = {early_media}\n",
        whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{port}\nsimulator_media = echo\n",
        extra_sections="[inbound]\ntarget = user:alice\nring_timeout = 10\n")
    return gw, Sandbox(port)


def check(onset, what):
    assert onset.first_200ms <= MOST_PACKETS_IN_200_MS, f"{what}: a burst at the answer: {onset}"
    assert onset.tone_ms is not None and onset.tone_ms <= ROUND_TRIP_SLACK_MS, f"{what}: late onset: {onset}"
    assert onset.stale <= MOST_IN_FLIGHT_AT_THE_ANSWER, f"{what}: pre-answer audio heard after the answer: {onset}"


@pytest.fixture
def ringback_gateway(make_gateway):
    return sandbox_gateway(make_gateway, "ringback")


def test_every_order_both_directions_with_early_media(ringback_gateway):
    """`early_media = ringback`: the phone gets a 183 with SDP and talks before the answer."""
    gw, sandbox = ringback_gateway
    for order in OUTBOUND_ORDERS:
        check(measure_call(gw.sip_port, sandbox, "outbound", order), f"outbound {order}")
    for order in INBOUND_ORDERS:
        check(measure_call(gw.sip_port, sandbox, "inbound", order), f"inbound {order}")


def test_outbound_with_ringing_only_sends_nothing_before_the_answer(make_gateway):
    """`early_media = ringing` (a 180, no SDP): the phone has nowhere to hear early
    media, so nothing may wait for it, whichever way the call is set up."""
    gw, sandbox = sandbox_gateway(make_gateway, "ringing")
    for order in OUTBOUND_ORDERS:
        onset = measure_call(gw.sip_port, sandbox, "outbound", order)
        check(onset, f"outbound {order}")
        assert onset.before_answer == 0, onset
