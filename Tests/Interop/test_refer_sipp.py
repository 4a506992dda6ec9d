"""REFER (RFC 3515) from SIP phones and trunks against a real wagate: the answer to
the REFER, the NOTIFY sipfrag reports (Event: refer, Subscription-State,
message/sipfrag), and the refusals (400 without Refer-To, 481 for a dialog wagate
does not have, 403 outside a call, 403 from a trunk with `[transfer] from_trunks = no`,
403 with transfers disabled). The phone is SIPp in a call to a simulated WhatsApp
user who answers; the transfer's outcome is call control's (the final NOTIFY
carries its status), the format checked here holds for any outcome."""
import re
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import quote

from conftest import WHATSAPP_USER, free_port, sipp, sipp_media_port
from sipp_builder import _ack_error, _invite, _send, build

E164 = "+" + WHATSAPP_USER
PBX_FROM = 'From: "PBX" <sip:2000@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]'


def in_dialog(method, cseq, extra, sender="alice"):
    """An in-dialog request to wagate, with the to-tag captured from its 200 OK."""
    return f"""{method} [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:{sender}@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[remote_ip]>;tag=[$totag]
Call-ID: [call_id]
CSeq: {cseq} {method}
Contact: <sip:{sender}@[local_ip]:[local_port]>
Max-Forwards: 70
{extra}"""


OK_TO_REQUEST = """SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
"""


def notify_checks(name, state, status):
    """Receives one NOTIFY and checks its Event, Subscription-State, type and sipfrag."""
    return f"""  <recv request="NOTIFY">
    <action>
      <ereg regexp="Event: *refer" search_in="msg" check_it="true" assign_to="{name}_event"/>
      <ereg regexp="Subscription-State: *{state}" search_in="msg" check_it="true" assign_to="{name}_state"/>
      <ereg regexp="Content-Type: *message/sipfrag" search_in="msg" check_it="true" assign_to="{name}_type"/>
      <ereg regexp="SIP/2\\.0 {status}" search_in="body" check_it="true" assign_to="{name}_frag"/>
    </action>
  </recv>
""" + _send(OK_TO_REQUEST, retrans=False)


def phone_call(path, refer_steps, trunk=False):
    """A call to the WhatsApp user (a user with digest, or a trunk by address),
    answered, then `refer_steps` (XML), then BYE answered 200 (the call is still up)."""
    if trunk:
        invite = _send(_invite(2, False).replace('From: "Alice" <sip:alice@[remote_ip]>;tag=[pid]SIPpTag[call_number]',
                                                 PBX_FROM))
    else:
        invite = _send(_invite(1, False)) + '  <recv response="100" optional="true"/>\n'
        invite += '  <recv response="407" auth="true"/>\n' + _send(_ack_error(1), retrans=False)
        invite += _send(_invite(2, True))
    body = invite + """  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true">
    <action><ereg regexp=";tag=([^;]*)" search_in="hdr" header="To:" assign_to="tomatch,totag"/></action>
  </recv>
""" + _send(in_dialog("ACK", 2, "Content-Length: 0\n"), retrans=False) + refer_steps
    body += _send(in_dialog("BYE", 9, "Content-Length: 0\n")) + '  <recv response="200" crlf="true"/>\n'
    variables = sorted(set(re.findall(r'assign_to="([^"]+)"', body)))
    names = ",".join(name for group in variables for name in group.split(",") if name != "totag")
    path.write_text(f'<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="refer">\n{body}'
                    f'  <Reference variables="{names}"/>\n</scenario>\n')
    return path


def refer(cseq, refer_to="<sip:bob@127.0.0.1>"):
    header = f"Refer-To: {refer_to}\n" if refer_to else ""
    return _send(in_dialog("REFER", cseq, f"{header}Referred-By: <sip:alice@127.0.0.1>\nContent-Length: 0\n"))


def answer_when_ringing(meta):
    def run():
        call = meta.wait_for_call("ringing", WHATSAPP_USER, timeout=20)
        meta.post(f"/control/calls/{call['id']}/answer")
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def messages(tmp_path):
    return "".join(p.read_text() for p in Path(tmp_path).glob("*_messages.log"))


def test_refer_is_accepted_and_notified_with_sipfrag(e2e, tmp_path):
    gw, meta = e2e()
    answer_when_ringing(meta)
    steps = refer(3) + '  <recv response="202"/>\n'
    steps += notify_checks("trying", "active", "100 Trying")
    steps += notify_checks("final", "terminated", "[1-6][0-9][0-9]")
    # A REFER without Refer-To (RFC 3515 §2.4.1) is refused; the call goes on.
    steps += refer(4, refer_to=None) + '  <recv response="400"/>\n'
    flow = phone_call(tmp_path / "refer.xml", steps)
    code, out = sipp(gw, flow, service=E164, tmp=tmp_path, timeout=30)
    trace = messages(tmp_path)
    assert code == 0, out + trace[-6000:] + gw.logs()[-4000:]
    notifies = [m for m in re.split(r"\n-{20,}[^\n]*\n", trace) if re.search(r"^NOTIFY ", m, re.M)]
    assert len(notifies) == 2, trace[-6000:]
    # Exactly one 100 Trying; the final one carries call control's status as a
    # message/sipfrag;version=2.0 body and ends the implicit subscription.
    assert sum("SIP/2.0 100 Trying" in n for n in notifies) == 1, notifies
    final = notifies[1]
    assert "message/sipfrag;version=2.0" in final and "Event: refer" in final, final
    assert re.search(r"Subscription-State: *terminated;\s*reason=noresource", final), final
    # bob is no registered user here: the transfer target has no contact, the
    # final NOTIFY says 480 and the call stays with alice (her BYE gets 200).
    assert "SIP/2.0 480" in final, final
    assert "transfer requested by REFER" in gw.logs()
    # REFER is advertised, and Replaces supported (RFC 3891 §6.2).
    assert re.search(r"Allow:[^\n]*REFER", final) and re.search(r"Supported:[^\n]*replaces", final), final


def test_refer_from_a_trunk_is_refused_when_trunks_may_not_transfer(e2e, tmp_path):
    port = free_port()
    sections = (f"[pbx]\ntype = trunk\nhost = 127.0.0.1\nport = {port}\nmatch = 127.0.0.1/32\n"
                f"match_port = {port}\nallow = +*\n[transfer]\nfrom_trunks = no\n")
    gw, meta = e2e(sections=sections)
    answer_when_ringing(meta)
    steps = refer(3) + '  <recv response="403"/>\n'
    flow = phone_call(tmp_path / "trunk_refer.xml", steps, trunk=True)
    code, out = sipp(gw, flow, service=E164, tmp=tmp_path, local_port=port, timeout=30)
    trace = messages(tmp_path)
    assert code == 0, out + trace[-6000:] + gw.logs()[-4000:]
    assert "transfer from trunks disabled" in trace and "NOTIFY " not in trace, trace[-4000:]


def test_refer_is_refused_when_transfers_are_disabled(e2e, tmp_path):
    gw, meta = e2e(sections="[transfer]\nenabled = no\n")
    answer_when_ringing(meta)
    flow = phone_call(tmp_path / "disabled.xml", refer(3) + '  <recv response="403"/>\n')
    code, out = sipp(gw, flow, service=E164, tmp=tmp_path, timeout=30)
    trace = messages(tmp_path)
    assert code == 0, out + trace[-6000:] + gw.logs()[-4000:]
    assert "transfer disabled" in trace, trace[-4000:]


def test_refer_outside_a_call(gateway, tmp_path):
    """REFER is a method of calls only: outside one (no To tag, or a To tag naming
    no dialog of wagate's) it gets 405 with the Allow of requests outside a call,
    which lists no REFER (RFC 3261 §8.2.1), and no subscription or NOTIFY follows."""
    stale = """REFER sip:alice@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:alice@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:wagate@[remote_ip]>{to_tag}
Call-ID: [call_id]
CSeq: {cseq} REFER
Contact: <sip:alice@[local_ip]:[local_port]>
Refer-To: <sip:bob@127.0.0.1>
Max-Forwards: 70
Content-Length: 0
"""
    body = _send(stale.format(to_tag=";tag=nosuchdialog", cseq=1)) + '  <recv response="405"/>\n'
    body += _send(stale.format(to_tag="", cseq=2)) + '  <recv response="405"/>\n'
    body += '  <pause milliseconds="300"/>\n'
    flow = tmp_path / "outside.xml"
    flow.write_text(f'<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="outside">\n{body}</scenario>\n')
    code, out = sipp(gateway, flow, tmp=tmp_path, timeout=15)
    trace = messages(tmp_path)
    assert code == 0, out + trace[-4000:] + gateway.logs()[-3000:]
    allows = re.findall(r"^Allow: *(.*)$", trace, re.M)
    assert allows and all("REFER" not in a for a in allows), allows
    assert "NOTIFY " not in trace, trace[-4000:]


def dialog_of(trace_path, deadline_s=15):
    """Call-ID, the phone's tag and wagate's tag of the answered call in a SIPp trace."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        text = trace_path.read_text() if trace_path.exists() else ""
        answer = re.search(r"SIP/2\.0 200 OK\n(?:.*\n)*?\n", text)
        if answer:
            block = answer.group(0)
            call_id = re.search(r"^Call-ID: *(\S+)", block, re.M).group(1)
            phone_tag = re.search(r"^From:.*;tag=([^;\s]+)", block, re.M).group(1)
            wagate_tag = re.search(r"^To:.*;tag=([^;\s]+)", block, re.M).group(1)
            return call_id, phone_tag, wagate_tag
        time.sleep(0.05)
    raise AssertionError(f"no answered call in {trace_path}")


def test_attended_refer_names_the_consultation_through_wagate(e2e, tmp_path):
    """The phone's consultation call goes through wagate (here the echo test, an
    answered call of wagate's); a REFER on the WhatsApp call whose Replaces names
    it (RFC 3891 §5, tags from the phone's side) is matched to that local dialog."""
    gw, meta = e2e(general="echo_extension = *43\n")
    consult_dir = tmp_path / "consult"
    consult_dir.mkdir()
    consult = build(consult_dir / "consult.xml", ["invite", "ringing", "answered", "pause:20000", "bye"], "consult")
    port = free_port()
    phone = subprocess.Popen(
        ["sipp", f"127.0.0.1:{gw.sip_port}", "-sf", str(consult), "-i", "127.0.0.1", "-p", str(port),
         "-mp", str(sipp_media_port()), "-m", "1", "-s", "*43", "-au", "alice", "-ap", "alice-secret",
         "-auth_uri", f"*43@127.0.0.1:{gw.sip_port}", "-timeout", "40s", "-nostdin", "-trace_msg"],
        cwd=consult_dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        call_id, phone_tag, wagate_tag = dialog_of(consult_dir / f"consult_{phone.pid}_messages.log")
        answer_when_ringing(meta)
        replaces = quote(f"{call_id};to-tag={wagate_tag};from-tag={phone_tag}", safe="")
        steps = refer(3, refer_to=f"<sip:alice@127.0.0.1?Replaces={replaces}>") + '  <recv response="202"/>\n'
        steps += notify_checks("trying", "active", "100 Trying")
        steps += notify_checks("final", "terminated", "[1-6][0-9][0-9]")
        flow = phone_call(tmp_path / "attended.xml", steps)
        code, out = sipp(gw, flow, service=E164, tmp=tmp_path, timeout=30)
        assert code == 0, out + messages(tmp_path)[-6000:] + gw.logs()[-4000:]
        logs = gw.wait_for_log("REFER accepted")
        line = next(l for l in logs.splitlines() if "REFER accepted" in l)
        assert "attended=true" in line and "local_replaces=true" in line, line
        hang_up(gw, call_id, phone_tag, wagate_tag)
    finally:
        phone.kill()
        phone.wait()


def hang_up(gw, call_id, phone_tag, wagate_tag):
    """Ends the consultation call with a BYE in its dialog and waits for the 200,
    so that wagate stops without a call to drain."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        bye = (f"BYE sip:*43@127.0.0.1:{gw.sip_port} SIP/2.0\r\n"
               f"Via: SIP/2.0/UDP 127.0.0.1:{sock.getsockname()[1]};branch=z9hG4bK-consult-bye;rport\r\n"
               f"From: <sip:alice@127.0.0.1>;tag={phone_tag}\r\nTo: <sip:*43@127.0.0.1>;tag={wagate_tag}\r\n"
               f"Call-ID: {call_id}\r\nCSeq: 10 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
        sock.sendto(bye.encode(), ("127.0.0.1", gw.sip_port))
        while True:
            answer = sock.recv(65535).decode(errors="replace")
            if answer.startswith("SIP/2.0 200"):
                return
            assert answer.startswith("SIP/2.0 1"), answer
