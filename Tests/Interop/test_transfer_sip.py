"""Call transfer end to end: a phone (SIPp, user alice) in a call with a simulated
WhatsApp user sends REFER to `bob` (baresip, registered, playing 1400 Hz); wagate
tells alice NOTIFY 100 then 200 and hangs up on her, rings bob as the WhatsApp
user, and bridges him. The simulator echoes what the WhatsApp user hears, so bob
hearing his own 1400 Hz tone back means the WhatsApp user hears bob. When bob
does not answer within `[transfer] ring_timeout`, the call returns to alice's
registered phone (baresip, 1000 Hz), which then hears itself through WhatsApp.
An attended transfer whose consultation went through a PBX (Refer-To with an
escaped `?Replaces=`) reaches the PBX as an INVITE carrying that Replaces."""
import threading
from pathlib import Path

import numpy as np

from baresip_peer import run_call
from conftest import WHATSAPP_USER, free_port, sipp
from sipp_builder import _in_dialog, _send, build, run_uas

E164 = "+" + WHATSAPP_USER

OK_TO_REQUEST = """SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
"""


def notify(state, status):
    """Receives one NOTIFY (Event: refer, message/sipfrag) with `status`, answers 200."""
    return f"""  <recv request="NOTIFY">
    <action>
      <ereg regexp="Subscription-State: *{state}" search_in="msg" check_it="true" assign_to="s{status}"/>
      <ereg regexp="SIP/2\\.0 {status}" search_in="body" check_it="true" assign_to="f{status}"/>
    </action>
  </recv>
""" + _send(OK_TO_REQUEST, retrans=False)


def blind_transfer_flow(path: Path, target: str):
    """alice calls the WhatsApp user, REFERs the call to `target`, gets 202,
    NOTIFY 100 (active), NOTIFY 200 (terminated), and wagate's BYE."""
    build(path, ["invite", "ringing", "answered", "pause:1000"], "transfer")
    uri = target if "@" in target else f"{target}@127.0.0.1"
    refer = _in_dialog("REFER", 3, f"Refer-To: <sip:{uri}>\nReferred-By: <sip:alice@127.0.0.1>\n"
                                   "Content-Length: 0\n")
    steps = _send(refer) + '  <recv response="202"/>\n' + notify("active", 100) + notify("terminated", 200)
    steps += '  <recv request="BYE"/>\n' + _send(OK_TO_REQUEST, retrans=False)
    steps += '  <Reference variables="s100,f100,s200,f200"/>\n'
    text = path.read_text().replace("</scenario>", steps + "</scenario>")
    path.write_text(text)
    return path


def answer_when_ringing(meta):
    def run():
        call = meta.wait_for_call("ringing", WHATSAPP_USER, timeout=20)
        meta.post(f"/control/calls/{call['id']}/answer")
    threading.Thread(target=run, daemon=True).start()


def phone(gw, tmp_path, user, tone, seconds, answer="auto"):
    """A registered baresip phone of `user` in the background; its (output, samples, rate) lands in the dict."""
    result = {}

    def run():
        account = f"<sip:{user}@127.0.0.1:{gw.sip_port}>;auth_pass={user}-secret;answermode={answer}"
        result["call"] = run_call(tmp_path / user, account, None, seconds=seconds, tone_hz=tone, register=True)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def wait_registered(gw, *users):
    """Waits until each user's phone has registered."""
    for user in users:
        gw.wait_for_log(f"user={user} [SIP] registered", timeout=20)


def ended_line(gw, timeout):
    """The `call ended` line of the (one) WhatsApp call, once written."""
    logs = gw.wait_for_log(" call ended", timeout=timeout)
    return [line for line in logs.splitlines() if "[Gateway] call ended" in line or "] call ended" in line][-1]


def heard_at_the_end(samples, rate, threshold=300.0):
    """The strongest frequency of the last 1.5 s of non-silent audio."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size < rate:
        return None
    segment = samples[max(loud[0], loud[-1] - int(1.5 * rate)):loud[-1]]
    spectrum = np.abs(np.fft.rfft(segment * np.hanning(len(segment))))
    return float(np.fft.rfftfreq(len(segment), 1 / rate)[spectrum.argmax()])


def messages(tmp_path):
    return "".join(p.read_text() for p in Path(tmp_path).glob("*_messages.log"))


def test_blind_transfer_to_bob_is_heard_by_the_whatsapp_user(e2e, tmp_path):
    gw, meta = e2e(media="echo")
    bob, result = phone(gw, tmp_path, "bob", 1400, seconds=14)
    wait_registered(gw, "bob")
    answer_when_ringing(meta)
    code, out = sipp(gw, blind_transfer_flow(tmp_path / "blind.xml", "bob"), service=E164, tmp=tmp_path, timeout=30)
    assert code == 0, out + messages(tmp_path)[-6000:] + gw.logs()[-4000:]
    bob.join(timeout=40)
    out, samples, rate = result["call"]
    frequency = heard_at_the_end(samples, rate)
    assert frequency is not None and abs(frequency - 1400) <= 15, (frequency, out[-3000:], gw.logs()[-3000:])
    ended = ended_line(gw, timeout=15)
    assert "transfers=1" in ended and "answered_by=user:bob" in ended, ended


def test_transfer_not_answered_returns_to_alices_phone(e2e, tmp_path):
    gw, meta = e2e(media="echo", sections="[transfer]\nring_timeout = 5\n")
    bob, _ = phone(gw, tmp_path, "bob", 1400, seconds=22, answer="manual")
    alice, result = phone(gw, tmp_path, "alice", 1000, seconds=22)
    wait_registered(gw, "bob", "alice")
    answer_when_ringing(meta)
    code, out = sipp(gw, blind_transfer_flow(tmp_path / "noanswer.xml", "bob"), service=E164, tmp=tmp_path,
                     timeout=30)
    assert code == 0, out + messages(tmp_path)[-6000:] + gw.logs()[-4000:]
    alice.join(timeout=60)
    out, samples, rate = result["call"]
    frequency = heard_at_the_end(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 15, (frequency, out[-3000:], gw.logs()[-3000:])
    ended = ended_line(gw, timeout=30)
    assert "transfers=1" in ended and "answered_by=user:alice" in ended, ended


def replaces_target(path: Path):
    """The PBX (SIPp UAS on trunk `pbx`): the INVITE must carry the Replaces the
    REFER named and `Require: replaces` (RFC 3891); it answers at once, as a phone
    taking over its own consultation does, then waits for the BYE."""
    path.write_text("""<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="replaces target">
  <recv request="INVITE">
    <action>
      <ereg regexp="consult-1@pbx;\\s*to-tag=a;\\s*from-tag=b" search_in="hdr" header="Replaces:" check_it="true"
            assign_to="replaces"/>
      <ereg regexp="replaces" search_in="hdr" header="Require:" check_it="true" assign_to="require"/>
      <ereg regexp="alice" search_in="hdr" header="Referred-By:" check_it="true" assign_to="by"/>
    </action>
  </recv>
  <send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
  <recv request="ACK"/>
  <recv request="BYE"/>
""" + _send(OK_TO_REQUEST, retrans=False) + """  <Reference variables="replaces,require,by"/>
</scenario>
""")
    return path


def test_attended_transfer_replaces_the_pbx_consultation(e2e, tmp_path):
    pbx = free_port()
    gw, meta = e2e(sections=f"[pbx]\ntype = trunk\nhost = 127.0.0.1\nport = {pbx}\nmatch = 127.0.0.1/32\n"
                            f"match_port = {pbx}\nallow = +*\n")
    answer_when_ringing(meta)
    replaces = "consult-1%40pbx%3Bto-tag%3Da%3Bfrom-tag%3Db"
    flow = blind_transfer_flow(tmp_path / "attended.xml", f"pbx@127.0.0.1?Replaces={replaces}")
    alice = {}

    def call():
        alice["result"] = sipp(gw, flow, service=E164, tmp=tmp_path / "alice", timeout=30)
    (tmp_path / "alice").mkdir()
    caller = threading.Thread(target=call, daemon=True)

    def hang_up_whatsapp():
        caller.start()
        caller.join(timeout=45)
        meta.post(f"/control/calls/{meta.calls()[0]['id']}/hangup")
    code, out = run_uas(replaces_target(tmp_path / "pbx.xml"), pbx, tmp_path, hang_up_whatsapp)
    assert code == 0, out[-6000:] + gw.logs()[-4000:]
    alice_code, alice_out = alice["result"]
    assert alice_code == 0, alice_out + messages(tmp_path / "alice")[-6000:]
    ended = ended_line(gw, timeout=15)
    assert "transfers=1" in ended and "answered_by=trunk:pbx" in ended, ended
