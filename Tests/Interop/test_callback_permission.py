"""Callback when permission arrives, end to end: a real softphone (baresip) or
SIPp dials a WhatsApp user who has not granted call permission and gets 403;
the simulated user grants permission (the simulator's control route sends the
signed `call_permission_reply` webhook); wagate rings the phone back, and once
it answers calls the user and bridges them. Audio is checked by tone."""
import threading
import time

from baresip_peer import dominant_frequency, run_call
from conftest import WHATSAPP_USER, free_port, sipp
from sipp_builder import build, busy_uas, run_uas
from test_bsuid_username import cdrs

E164 = "+" + WHATSAPP_USER
DAVE = "[dave]\ntype = user\nsecret = dave-secret\nallow = +*\npermission_callback = {window}\n"
PERMISSION_REQUESTS = "send_permission_request = yes\npermission_template = call_request\n"


def in_background(action):
    thread = threading.Thread(target=action, daemon=True)
    thread.start()
    return thread


def refused(gw, tmp_path, name="refused"):
    """SIPp as dave dials the user and expects the 403 that arms a callback."""
    scenario = build(tmp_path / f"{name}.xml", ["invite", "final:403"], name)
    code, out = sipp(gw, scenario, service=E164, user="dave", password="dave-secret", tmp=tmp_path)
    assert code == 0, out + gw.logs()
    gw.wait_for_log("callback armed")
    # The 403 SIPp received says, in its Warning and Reason, that a callback is armed.
    trace = "".join(path.read_text() for path in tmp_path.glob(f"{name}_*_messages.log"))
    assert "you will be called back" in trace, trace


def test_granted_permission_rings_the_phone_back_and_carries_audio_both_ways(e2e, tmp_path):
    gw, meta = e2e(media="echo", grant=False, whatsapp_extra=PERMISSION_REQUESTS, sections=DAVE.format(window=120),
                   general="ringback_tone = eu\n")
    def grant_then_answer():
        gw.wait_for_log("callback armed", timeout=20)
        gw.wait_for_log("registered", timeout=20)
        meta.grant(WHATSAPP_USER)
        call = meta.wait_for_call("ringing", WHATSAPP_USER, timeout=20)
        gw.wait_for_log("local ringback on the SIP leg")
        time.sleep(1.5)  # the WhatsApp user lets it ring a while: the phone hears ringback meanwhile
        meta.post(f"/control/calls/{call['id']}/answer")
    in_background(grant_then_answer)
    out, samples, rate = run_call(tmp_path / "bs", f"<sip:dave@127.0.0.1:{gw.sip_port}>;auth_pass=dave-secret;"
                                  "answermode=auto", f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=15,
                                  tone_hz=1000, register=True)
    logs = gw.logs()
    # First the E.180 425 Hz ringback while the WhatsApp user's phone rings.
    ringing, _ = dominant_frequency(samples, rate)
    assert ringing is not None and abs(ringing - 425) <= 10, (ringing, out)
    assert "403" in out, "the first call is refused\n" + out
    assert f"from sip:{E164}@" in out, "the callback shows the WhatsApp user\n" + out
    assert "callback firing" in logs, logs[-4000:]
    # The WhatsApp user (an echo) sends back the phone's 1000 Hz: audio went both ways.
    frequency, rms = dominant_frequency(samples[-rate:], rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, out, logs[-4000:])
    assert rms > 1000
    call = meta.calls()[0]
    assert call.get("business_sdp"), call


def test_user_rejecting_the_callback_hangs_up_the_phone(e2e, tmp_path):
    gw, meta = e2e(media="echo", grant=False, whatsapp_extra=PERMISSION_REQUESTS, sections=DAVE.format(window=120))
    def grant_then_reject():
        gw.wait_for_log("callback armed", timeout=20)
        gw.wait_for_log("registered", timeout=20)
        meta.grant(WHATSAPP_USER)
        call = meta.wait_for_call("ringing", WHATSAPP_USER, timeout=20)
        meta.post(f"/control/calls/{call['id']}/reject")
    in_background(grant_then_reject)
    out, _, _ = run_call(tmp_path / "bs", f"<sip:dave@127.0.0.1:{gw.sip_port}>;auth_pass=dave-secret;"
                         "answermode=auto", f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=10, register=True)
    logs = gw.wait_for_log("REJECTED", timeout=15)
    assert "Call established" in out, out
    assert "Declined by the WhatsApp user" in out or "session closed" in out, out
    assert "callback.connected" not in logs


def test_permission_after_the_deadline_rings_nothing(e2e, tmp_path):
    gw, meta = e2e(grant=False, whatsapp_extra=PERMISSION_REQUESTS, sections=DAVE.format(window=1))
    refused(gw, tmp_path)
    gw.wait_for_log("deadline passed", timeout=10)
    meta.grant(WHATSAPP_USER)
    logs = gw.wait_for_log("permission reply")
    assert "callback firing" not in logs
    assert meta.calls() == [], "no connect without a callback"


def test_trunk_is_called_back_at_the_original_caller(e2e, tmp_path):
    """A trunk refused for lack of permission is called back with the refused
    INVITE's From user as Request-URI user (over its `dial`) and the WhatsApp
    user, rewritten once, in From; a busy answer ends it before any connect."""
    uas_port, pbx_port = free_port(), free_port()
    trunk = (f"[pbx]\ntype = trunk\nhost = 127.0.0.1\nport = {uas_port}\nmatch = 127.0.0.1/32\n"
             f"match_port = {pbx_port}\nallow = +44*\noutbound_strip = 1\noutbound_prefix = 00\ndial = 100\n"
             "permission_callback = 120\n")
    gw, meta = e2e(grant=False, whatsapp_extra=PERMISSION_REQUESTS, sections=trunk)
    flow = build(tmp_path / "trunk_refused.xml", ["invite_noauth", "final:403"], "trunk_refused")
    code, out = sipp(gw, flow, service=E164, tmp=tmp_path, local_port=pbx_port)
    assert code == 0, out + gw.logs()[-3000:]
    gw.wait_for_log("callback armed")
    scenario = busy_uas(tmp_path / "trunk_uas.xml", [
        ("ruri", f'regexp="^INVITE sip:alice@127.0.0.1:{uas_port} SIP/2.0" search_in="msg"'),
        ("from", f'regexp="&lt;sip:00{WHATSAPP_USER}@" search_in="hdr" header="From:"'),
    ])
    code, out = run_uas(scenario, uas_port, tmp_path, lambda: meta.grant(WHATSAPP_USER))
    assert code == 0, "Request-URI and From of the callback\n" + out + gw.logs()[-3000:]
    rows = cdrs(gw, 2)
    callback = [row for row in rows if row["direction"] == "callback"]
    assert len(callback) == 1 and callback[0]["endReason"] == "busy" and callback[0]["sipStatus"] == 486, rows
    assert callback[0]["callee"] == "trunk:pbx" and callback[0]["waPhone"] == E164, callback
    assert meta.calls() == [], "a busy trunk gets no connect"
