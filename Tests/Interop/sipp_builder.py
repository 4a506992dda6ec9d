"""Builds SIPp UAC scenarios for B2BUA tests from a list of steps, so each test
states its SIP flow in one line. Steps:
  invite            INVITE, 407, ACK, INVITE with digest (PCMA + telephone-event)
  invite_noauth     one INVITE without credentials (CSeq 2)
  ringing           expect 180 or 183 (optional ones are skipped when absent)
  expect:CODE       expect this provisional response
  answered          expect 200 (route set kept), send ACK
  pause:MS          wait
  bye               send BYE, expect 200
  expect_bye        expect BYE from wagate, answer 200
  cancel            send CANCEL, expect 200 and 487, send ACK
  final:CODE        expect a final error response CODE, send ACK
  info:DIGIT        send INFO application/dtmf-relay, expect 200
"""
from pathlib import Path

SDP = """v=0
o=sipp 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8 101
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=sendrecv
"""

FROM = 'From: "Alice" <sip:alice@[remote_ip]>;tag=[pid]SIPpTag[call_number]'


def _send(body, retrans=True):
    attribute = ' retrans="500"' if retrans else ""
    return f"  <send{attribute}><![CDATA[\n{body}\n]]></send>\n"


def _invite(cseq, auth, extra=""):
    auth_line = "[authentication]\n" if auth else ""
    auth_line += extra
    return f"""INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
{FROM}
To: <sip:[service]@[remote_ip]>
Call-ID: [call_id]
CSeq: {cseq} INVITE
Contact: <sip:alice@[local_ip]:[local_port]>
{auth_line}Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

{SDP}"""


def _ack_error(cseq):
    return f"""ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
[last_Via:]
{FROM}
To: <sip:[service]@[remote_ip]>[peer_tag_param]
Call-ID: [call_id]
CSeq: {cseq} ACK
Max-Forwards: 70
Content-Length: 0
"""


def _in_dialog(method, cseq, extra=""):
    return f"""{method} [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
{FROM}
To: <sip:[service]@[remote_ip]>[peer_tag_param]
Call-ID: [call_id]
CSeq: {cseq} {method}
Contact: <sip:alice@[local_ip]:[local_port]>
Max-Forwards: 70
{extra}"""


def build(path: Path, steps, name="b2bua"):
    body, cseq = "", 2
    for step in steps:
        kind, _, argument = step.partition(":")
        if kind == "invite":
            body += _send(_invite(1, False))
            body += '  <recv response="100" optional="true"/>\n  <recv response="407" auth="true"/>\n'
            body += _send(_ack_error(1), retrans=False)
            body += _send(_invite(2, True))
            body += '  <recv response="100" optional="true"/>\n'
        elif kind == "invite_noauth":  # a trunk recognised by address: no challenge
            body += _send(_invite(2, False))
            body += '  <recv response="100" optional="true"/>\n'
        elif kind == "ringing":
            body += '  <recv response="180" optional="true"/>\n  <recv response="183" optional="true"/>\n'
            body += '  <recv response="180" optional="true"/>\n'
        elif kind == "expect":
            body += f'  <recv response="{argument}"/>\n'
        elif kind == "answered":
            body += '  <recv response="200" rrs="true"/>\n'
            body += _send(_in_dialog("ACK", 2, "Content-Length: 0\n"), retrans=False)
        elif kind == "pause":
            body += f'  <pause milliseconds="{argument}"/>\n'
        elif kind == "bye":
            cseq += 1
            body += _send(_in_dialog("BYE", cseq, "Content-Length: 0\n"))
            body += '  <recv response="200" crlf="true"/>\n'
        elif kind == "expect_bye":
            body += '  <recv request="BYE"/>\n'
            body += _send("SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\n"
                          "Content-Length: 0\n", retrans=False)
        elif kind == "cancel":
            body += _send(f"""CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
[last_Via:]
{FROM}
To: <sip:[service]@[remote_ip]>
Call-ID: [call_id]
CSeq: 2 CANCEL
Max-Forwards: 70
Content-Length: 0
""")
            body += '  <recv response="200"/>\n  <recv response="487"/>\n'
            body += _send(_ack_error(2), retrans=False)
        elif kind == "final":
            body += f'  <recv response="{argument}"/>\n'
            body += _send(_ack_error(2), retrans=False)
        elif kind == "info":
            cseq += 1
            body += _send(_in_dialog("INFO", cseq, "Content-Type: application/dtmf-relay\nContent-Length: [len]\n\n"
                                     f"Signal={argument}\nDuration=200\n"))
            body += '  <recv response="200"/>\n'
        else:
            raise ValueError(step)
    path.write_text(f'<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="{name}">\n{body}</scenario>\n')
    return path


def busy_uas(path: Path, checks, status="486 Busy Here"):
    """A trunk (SIPp UAS) that checks the INVITE it gets against `checks`, a list of
    (variable, ereg attributes) pairs, e.g. ("ruri", 'regexp="^INVITE sip:100@" search_in="msg"')
    (SIPp fails the call when one does not match), then answers `status` (486 by default)
    so the call ends at once."""
    actions = "".join(f'      <ereg {attributes} check_it="true" assign_to="{name}"/>\n' for name, attributes in checks)
    path.write_text(f"""<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="trunk checks the INVITE">
  <recv request="INVITE">
    <action>
{actions}    </action>
  </recv>
  <send><![CDATA[
SIP/2.0 {status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <recv request="ACK"/>
  <Reference variables="{",".join(name for name, _ in checks)}"/>
</scenario>
""")
    return path


def _sockets(table, port, host):
    """The rows of /proc/net/`table` whose local address is `host`:`port`."""
    wanted = "".join(f"{int(octet):02X}" for octet in reversed(host.split("."))) + f":{port:04X}"
    rows = (line.split() for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:])
    return [row for row in rows if row[1] == wanted]


def udp_bound(port, host="127.0.0.1"):
    """Whether some socket on this machine is bound to UDP `host`:`port` (from /proc/net/udp)."""
    return bool(_sockets("udp", port, host))


def tcp_listening(port, host="127.0.0.1"):
    """Whether some socket on this machine listens on TCP `host`:`port` (state 0A in /proc/net/tcp)."""
    return any(row[3] == "0A" for row in _sockets("tcp", port, host))


def wait_until_listening(process, port, timeout=10, tcp=False):
    """Waits until `process` (a SIPp or Kamailio just started) has bound UDP 127.0.0.1:`port`
    (or listens on TCP, for TLS), so that nothing is sent to it before it can receive; fails if
    it exits or never binds."""
    import time
    deadline = time.monotonic() + timeout
    while not (tcp_listening(port) if tcp else udp_bound(port)):
        if process.poll() is not None:
            raise AssertionError(f"sipp exited ({process.returncode}) before listening on port {port}")
        if time.monotonic() > deadline:
            raise AssertionError(f"sipp did not listen on port {port} within {timeout} s")
        time.sleep(0.02)


def run_uas(scenario, port, cwd, trigger, timeout=30, tcp=False, extra=()):
    """Runs the UAS `scenario` on 127.0.0.1:`port` for one call, calls `trigger()` once it
    listens, and returns (exit code, output and the message trace). With `tcp`, SIPp
    listens on TCP (`-t t1`), as behind a `TLSRelay.server`."""
    import subprocess
    uas = subprocess.Popen(
        ["sipp", "-sf", str(scenario), "-i", "127.0.0.1", "-p", str(port), "-m", "1", "-timeout", "20s",
         "-timeout_error", "-nostdin", "-trace_err", "-trace_msg", *(["-t", "t1"] if tcp else []), *extra],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_listening(uas, port, tcp=tcp)
        trigger()
        out, _ = uas.communicate(timeout=timeout)
    finally:
        if uas.poll() is None:
            uas.kill()
            uas.wait()
    messages = "".join(path.read_text() for path in Path(cwd).glob(f"{Path(scenario).stem}*_messages.log"))
    return uas.returncode, out + messages
