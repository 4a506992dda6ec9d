"""RFC 4028 session timers on the wire, as `[general] session_timer` and
`min_se` say: what wagate asks for in its INVITE, what it agrees to in its
200, and what it refuses (422 below min_se; 420 or no timer when off). SIPp
plays the phone (toward the echo extension) and the trunk (called by a
simulated WhatsApp user)."""
import subprocess

from conftest import free_port, sipp, sipp_media_port
from sipp_builder import _ack_error, _in_dialog, _invite, _send, wait_until_listening

USER = "447700900123"


def _checks(checks):
    """SIPp ereg actions: (header, regexp, present)."""
    lines = "".join(
        f'<ereg regexp="{regexp}" search_in="hdr" header="{header}:" '
        f'{"check_it" if present else "check_it_inverse"}="true" assign_to="dummy"/>\n'
        for header, regexp, present in checks)
    # SIPp refuses a variable assigned only once; this match always succeeds.
    lines += '<ereg regexp="." search_in="msg" assign_to="dummy"/>\n'
    return f"<action>\n{lines}</action>\n"


def _write(path, body):
    path.write_text(f'<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="{path.stem}">\n{body}</scenario>\n')
    return path


def phone_scenario(path, extra_headers, final, checks=()):
    """An authenticated INVITE to the echo extension with `extra_headers`; expects
    `final` (200: ACK then BYE; an error: ACK), checking the final's headers.
    422 and 420 come before the challenge: the SIP stack checks the session
    interval and the required extensions of an INVITE first."""
    body = _send(_invite(1, False, extra_headers))
    if final in (420, 422):
        body += f'<recv response="100" optional="true"/>\n<recv response="{final}">\n{_checks(checks)}</recv>\n'
        return _write(path, body + _send(_ack_error(1), retrans=False))
    body += '<recv response="100" optional="true"/>\n<recv response="407" auth="true"/>\n'
    body += _send(_ack_error(1), retrans=False) + _send(_invite(2, True, extra_headers))
    body += '<recv response="100" optional="true"/>\n<recv response="180" optional="true"/>\n'
    if final == 200:
        body += f'<recv response="200" rrs="true">\n{_checks(checks)}</recv>\n'
        body += _send(_in_dialog("ACK", 2, "Content-Length: 0\n"), retrans=False)
        body += _send(_in_dialog("BYE", 3, "Content-Length: 0\n")) + '<recv response="200"/>\n'
    else:
        body += f'<recv response="{final}">\n{_checks(checks)}</recv>\n' + _send(_ack_error(2), retrans=False)
    return _write(path, body)


def trunk_scenario(path, checks):
    """A trunk that checks the INVITE wagate sends, answers, and waits for BYE."""
    reply = "[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]SIPpTag01[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"
    body = f'<recv request="INVITE">\n{_checks(checks)}</recv>\n'
    body += f"""<send><![CDATA[
SIP/2.0 180 Ringing
{reply}Contact: <sip:[local_ip]:[local_port]>
Content-Length: 0

]]></send>
<send retrans="500"><![CDATA[
SIP/2.0 200 OK
{reply}Contact: <sip:[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
]]></send>
<recv request="ACK"/>
<recv request="BYE"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
"""
    return _write(path, body)


def call_trunk(e2e, tmp_path, general, checks):
    """A WhatsApp user's call to trunk pbx (SIPp, checking wagate's INVITE), hung up by the user."""
    port = free_port()
    sections = (f"[pbx]\ntype = trunk\nhost = 127.0.0.1\nport = {port}\nmatch = 127.0.0.1/32\n"
                f"match_port = {port}\nallow = +*\n")
    gw, meta = e2e(general=general, sections=sections, inbound="[inbound]\ntarget = trunk:pbx\nring_timeout = 10\n")
    scenario = trunk_scenario(tmp_path / "trunk.xml", checks)
    uas = subprocess.Popen(["sipp", "-sf", str(scenario), "-i", "127.0.0.1", "-p", str(port), "-mp",
                            str(sipp_media_port()), "-m", "1", "-timeout", "30s", "-timeout_error", "-nostdin",
                            "-trace_err"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_listening(uas, port)
        meta.post(f"/control/users/{USER}/call", {"name": "Test User"})
        call = meta.wait_for_call("accepted", USER, timeout=15)
        meta.post(f"/control/calls/{call['id']}/hangup")
        out, _ = uas.communicate(timeout=30)
    finally:
        if uas.poll() is None:
            uas.kill()
            uas.wait()
    errors = "".join(p.read_text() for p in tmp_path.glob("trunk_*_errors.log"))
    return uas.returncode, out + errors + gw.logs()[-3000:]


def test_invite_asks_for_the_configured_timer_and_min_se(e2e, tmp_path):
    code, out = call_trunk(e2e, tmp_path, "session_timer = 120\nmin_se = 100\n", [
        ("Session-Expires", "^ *120", True), ("Min-SE", "^ *100", True), ("Supported", "timer", True)])
    assert code == 0, out


def test_invite_carries_no_timer_when_off(e2e, tmp_path):
    code, out = call_trunk(e2e, tmp_path, "session_timer = 0\n", [
        ("Session-Expires", ".", False), ("Min-SE", ".", False), ("Supported", "timer", False)])
    assert code == 0, out


def test_phone_asking_below_min_se_gets_422_with_min_se(make_gateway, tmp_path):
    gw = make_gateway(extra_general="session_timer = 120\nmin_se = 100\n")
    flow = phone_scenario(tmp_path / "short.xml", "Supported: timer\nSession-Expires: 95\nMin-SE: 90\n", 422,
                          [("Min-SE", "^ *100", True)])
    code, out = sipp(gw, flow, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]


def test_phone_timer_is_agreed_with_a_refresher(make_gateway, tmp_path):
    gw = make_gateway(extra_general="session_timer = 120\nmin_se = 100\n")
    flow = phone_scenario(tmp_path / "agree.xml", "Supported: timer\nSession-Expires: 300;refresher=uac\n", 200,
                          [("Session-Expires", "^ *[0-9]+;refresher=uac", True), ("Require", "timer", True)])
    code, out = sipp(gw, flow, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]


def test_phone_timer_is_not_agreed_when_off(make_gateway, tmp_path):
    gw = make_gateway(extra_general="session_timer = 0\n")
    flow = phone_scenario(tmp_path / "off.xml", "Supported: timer\nSession-Expires: 300;refresher=uac\n", 200,
                          [("Session-Expires", ".", False), ("Require", "timer", False),
                           ("Supported", "timer", False)])
    code, out = sipp(gw, flow, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]


def test_phone_requiring_a_timer_gets_420_when_off(make_gateway, tmp_path):
    gw = make_gateway(extra_general="session_timer = 0\n")
    flow = phone_scenario(tmp_path / "require.xml",
                          "Supported: timer\nRequire: timer\nSession-Expires: 300;refresher=uac\n", 420,
                          [("Unsupported", "timer", True)])
    code, out = sipp(gw, flow, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
