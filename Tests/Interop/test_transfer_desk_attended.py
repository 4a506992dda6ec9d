"""A desk phone's attended transfer through a wagate consultation, end to end.
alice (desk_phone.py, 1000 Hz) calls the simulated WhatsApp user (X; the
simulator echoes what the user hears), then dials `bob` by name (Y, an internal
call, phone ⇄ phone direct media; bob is replaces_phone.py at 1400 Hz), and
REFERs X with `Refer-To: <sip:bob@GW?Replaces=Y…>` naming her own dialog Y with
wagate, tags in RFC 3891 order as a phone sends them. wagate finds that dialog
locally and INVITEs bob with Replaces naming its own dialog with bob: bob takes
X without ringing and BYEs Y; alice gets NOTIFY 100 and 200 and a BYE on X; bob
hears his own tone back through WhatsApp, so the WhatsApp user hears bob and
bob hears the user. A REFER naming a Y that has ended leaves X with alice."""
import time

import pytest

from desk_phone import DeskPhone
from replaces_phone import ReplacesPhone
from test_agent_calls import register_phone
from test_transfer_sip import E164, answer_when_ringing


def wait_heard(heard, frequency, timeout=10.0):
    """Waits until `heard()` is within 15 Hz of `frequency`; returns the last value."""
    deadline = time.time() + timeout
    value = heard()
    while (value is None or abs(value - frequency) > 15) and time.time() < deadline:
        time.sleep(0.1)
        value = heard()
    return value


def ended_line(gw, call_id, timeout=15.0):
    """The `call ended` line of the call whose SIP Call-ID (alice's dialog) is `call_id`."""
    deadline = time.time() + timeout
    while True:
        lines = [line for line in gw.logs().splitlines() if "] call ended" in line and f"sip_call_id={call_id}" in line]
        if lines or time.time() > deadline:
            return lines[-1] if lines else gw.logs()[-3000:]
        time.sleep(0.05)


def sipfrags(phone, call_id):
    """The sipfrag status lines of the NOTIFYs alice got on `call_id`, once one is final (terminated)."""
    deadline = time.time() + 20
    while True:
        notifies = phone.received("NOTIFY", call_id)
        if any("terminated" in n.lower().split("\r\n\r\n", 1)[0] for n in notifies) or time.time() > deadline:
            return [n.split("\r\n\r\n", 1)[1].strip() for n in notifies]
        time.sleep(0.05)


def consultation(gw, meta, tmp_path):
    """bob registered and listening, alice in X (hearing herself through WhatsApp) and in Y with bob."""
    bob = ReplacesPhone(register_phone(gw, tmp_path), tone_hz=1400)
    bob.start()
    alice = DeskPhone(gw, "alice", "alice-secret", tone_hz=1000)
    alice.register()
    answer_when_ringing(meta)
    x = alice.invite(E164)
    assert abs(wait_heard(lambda: alice.heard(x), 1000) - 1000) <= 15, "alice hears herself through WhatsApp"
    y = alice.invite("bob")
    assert abs(wait_heard(lambda: alice.heard(y), 1400) - 1400) <= 15, "alice hears bob in the consultation"
    return alice, bob, x, y


def refer(gw, alice, x, y):
    """alice's REFER on X naming Y: to-tag is wagate's tag in Y, from-tag is alice's own (RFC 3891 §3)."""
    replaces = f"{y.call_id}%3Bto-tag%3D{y.to_tag}%3Bfrom-tag%3D{y.from_tag}"
    return alice.in_dialog(x, "REFER", f"Refer-To: <sip:bob@127.0.0.1:{gw.sip_port}?Replaces={replaces}>\r\n"
                                       "Referred-By: <sip:alice@127.0.0.1>\r\n")


def test_desk_phone_consults_bob_and_transfers_whatsapp_user_and_bob_hear_each_other(e2e, tmp_path):
    gw, meta = e2e(media="echo")
    alice, bob, x, y = consultation(gw, meta, tmp_path)
    bobs_y = list(bob.dialogs)[-1]
    try:
        assert refer(gw, alice, x, y) == 202
        frags = sipfrags(alice, x.call_id)
        alice.received("BYE", x.call_id)
        deadline = time.time() + 10
        while len(bob.dialogs) < 2 and time.time() < deadline:
            time.sleep(0.05)
        bobs_x = list(bob.dialogs)[-1]
        bob_heard = wait_heard(lambda: bob.heard(bobs_x), 1400)
        meta.post(f"/control/calls/{meta.calls()[0]['id']}/hangup")
        ended = ended_line(gw, x.call_id)
    finally:
        alice.stop()
        bob.stop()
    assert [f.split("\r\n")[0] for f in frags][0].startswith("SIP/2.0 100"), frags
    assert frags[-1].startswith("SIP/2.0 200"), frags
    assert bob.replaced == [bobs_y], ("bob BYEs the consultation he replaced", bob.log)
    assert bob_heard is not None and abs(bob_heard - 1400) <= 15, ("bob hears himself through WhatsApp", bob_heard)
    assert "transfers=1" in ended and "answered_by=user:bob" in ended, ended


def ended_consultation_refer(gw, meta, tmp_path):
    """alice ends Y, then REFERs X naming it; returns (alice, X, the sipfrags she got, what X carries afterwards)."""
    alice, bob, x, y = consultation(gw, meta, tmp_path)
    try:
        assert alice.in_dialog(y, "BYE") == 200
        alice.target = x
        assert refer(gw, alice, x, y) == 202
        frags = sipfrags(alice, x.call_id)
        x.received.clear()  # only what X carries from now on
        x_heard = wait_heard(lambda: alice.heard(x), 1000)
    finally:
        alice.stop()
        bob.stop()
    return alice, x, frags, x_heard


def test_refer_naming_an_ended_consultation_fails_481_and_x_stays_with_alice(e2e, tmp_path):
    """wagate no longer has Y, so it copies the Replaces to bob, whose phone has no
    such dialog and answers 481 (RFC 3891 §3); alice is told 481 and keeps X."""
    gw, meta = e2e(media="echo", general="drain_time = 0\n")  # X is still up when the test ends
    alice, x, frags, _ = ended_consultation_refer(gw, meta, tmp_path)
    byes = [r for r in alice.requests if r[0] == "BYE" and r[1] == x.call_id]
    assert frags[0].startswith("SIP/2.0 100") and frags[-1].startswith("SIP/2.0 481"), frags
    assert byes == [] and meta.calls()[0]["state"] != "ended", (byes, meta.calls())


def test_after_a_failed_attended_transfer_alice_and_the_whatsapp_user_hear_each_other(e2e, tmp_path):
    gw, meta = e2e(media="echo", general="drain_time = 0\n")  # X is still up when the test ends
    _, x, _, x_heard = ended_consultation_refer(gw, meta, tmp_path)
    assert x_heard is not None and abs(x_heard - 1000) <= 15, ("alice hears herself through WhatsApp", x_heard,
                                                               len(x.received))
