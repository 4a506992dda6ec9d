"""The call-setup orders of the media-onset test and benchmark, and one measured call in
each: wagate in sandbox mode, its simulated WhatsApp user echoing, and an `OnsetPhone`."""
import time

from onset_peer import OnsetPhone

# The call-setup orders, as the simulator's ringing knobs (outbound) or the phone's answer (inbound) make them.
OUTBOUND_ORDERS = {
    # Meta's connect webhook (the user's SDP) comes with RINGING: media is up 1.25 s before the user answers.
    "connect-early": {"answer_timing": "withRinging", "auto_answer_ms": 1250},
    # The user answers at once: ACCEPTED and the media setup race.
    "connect-late": {"answer_timing": "withRinging", "auto_answer_ms": 1},
    # ACCEPTED first, then the connect webhook: ICE and DTLS start after the answer.
    "accepted-first": {"answer_timing": "afterAccepted", "auto_answer_ms": 300},
}
INBOUND_ORDERS = {
    # A 183 with SDP: wagate pre-accepts and media is up 1.25 s before the phone's 200 (early media from the phone).
    "connect-early": {"early_sdp": True, "answer_after": 1.25},
    # The 200 at once: accept and ICE/DTLS start together.
    "connect-late": {"early_sdp": False, "answer_after": 0},
    # A 180, then the 200: pre-accepted, answered soon after.
    "ringing-first": {"early_sdp": False, "answer_after": 0.3},
}
USER = "447700900123"


def measure_call(sip_port, sandbox, direction, order):
    """One call in `direction` ("outbound": the phone calls the user; "inbound": the
    user calls the phone) and setup `order`; returns the phone's `Onset`. The
    simulated user echoes, so the phone's after-answer tone coming back proves
    both directions, and its pre-answer tone coming back would be stale audio."""
    phone = OnsetPhone(sip_port)
    try:
        if direction == "outbound":
            sandbox.request("PUT", "/control/ringing", OUTBOUND_ORDERS[order])
            dialog = phone.dial("+" + USER)
            heard = phone.wait_for_tone()
            phone.hang_up(dialog)
        else:
            phone.register()
            placed = sandbox.request("POST", f"/control/users/{USER}/call", {})
            phone.answer_next(**INBOUND_ORDERS[order])
            heard = phone.wait_for_tone()
            sandbox.request("POST", f"/control/calls/{placed['id']}/hangup")
        onset = phone.onset()
        assert heard, f"{direction} {order}: the phone never heard its tone back: {onset}"
        return onset
    finally:
        phone.stop()
        deadline = time.monotonic() + 10  # the next call starts on a quiet simulator
        while time.monotonic() < deadline and any(call.get("state") != "ended" for call in sandbox.calls()):
            time.sleep(0.05)
