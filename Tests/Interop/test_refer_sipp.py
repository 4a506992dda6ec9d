"""REFER (RFC 3515) from SIP phones and trunks against a real wagate: the answer to
the REFER, the NOTIFY sipfrag reports (Event: refer, Subscription-State,
message/sipfrag), and the refusals (400 without Refer-To, 481 for a dialog wagate
does not have, 403 outside a call, 403 from a trunk with `[transfer] from_trunks = no`,
403 with transfers disabled). The phone is SIPp in a call to a simulated WhatsApp
user who answers; the transfer's outcome is call control's (the final NOTIFY
carries its status), the format checked here holds for any outcome."""
import re
import threading
from pathlib import Path

from conftest import WHATSAPP_USER, free_port, sipp
from sipp_builder import _ack_error, _invite, _send

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
    assert "SIP/2.0 501" in final, final
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
