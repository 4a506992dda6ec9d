"""Operator logs against a real wagate: one setup and one end line per call,
JSON output that parses line by line, and SIP tracing with credentials and SDP
keys masked."""
import json
import re

from conftest import sipp


def _json_lines(gw):
    """Every line of the log as a JSON object (a line that is not one fails the test)."""
    lines = gw.logs().splitlines()
    assert lines, "no log lines"
    parsed = []
    for number, line in enumerate(lines, 1):
        try:
            parsed.append(json.loads(line))
        except ValueError as error:
            raise AssertionError(f"log line {number} is not JSON ({error}): {line!r}")
    return parsed


def test_json_log_every_line_parses_and_the_call_has_setup_and_end_lines(make_gateway, tmp_path):
    gw = make_gateway(extra_general="log_format = json\n")
    code, out = sipp(gw, "echo_call.xml", tmp=tmp_path)
    assert code == 0, out
    gw.wait_for_log('"msg":"call ended"')
    assert gw.stop() == 0
    records = _json_lines(gw)
    for record in records:
        assert {"ts", "level", "logger", "msg"} <= record.keys(), record
    setups = [r for r in records if r["msg"] == "call setup"]
    ends = [r for r in records if r["msg"] == "call ended"]
    assert len(setups) == 1 and len(ends) == 1, (setups, ends)
    setup, end = setups[0], ends[0]
    assert setup["direction"] == "echo" and setup["caller"] == "user:alice" and setup["callee"] == "*43"
    assert setup["call_id"] == end["call_id"] and setup["sip_call_id"] == end["sip_call_id"]
    assert end["cause"] == "normal" and end["ended_by"] == "sip"
    assert float(end["duration_s"]) >= 0 and "answer_at" in end and "setup_at" in end
    # The call's other lines carry the same ids as fields, not inside the message.
    answered = [r for r in records if r["msg"] == "echo call answered"]
    assert answered and answered[0].get("call_id") == setup["call_id"]


def test_text_log_has_one_setup_and_one_end_line_per_call(gateway, tmp_path):
    code, out = sipp(gateway, "echo_call.xml", calls=2, tmp=tmp_path)
    assert code == 0, out
    logs = gateway.wait_for_log("call ended")
    gateway.stop()
    logs = gateway.logs()
    setups = [line for line in logs.splitlines() if line.endswith("] call setup")]
    ends = [line for line in logs.splitlines() if line.endswith("] call ended")]
    assert len(setups) == 2 and len(ends) == 2, logs[-3000:]
    assert all("cause=normal" in line and "sip_call_id=" in line and "duration_s=" in line for line in ends), ends


SDES_KEY = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"
"""The SRTP master key the SDES offer carries; it must never reach the log."""

SDES_OFFER = f"""<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="SDES offer, challenged">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: "Alice" <sip:alice@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[remote_ip]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:alice@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=sipp 1 1 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/SAVP 8
a=rtpmap:8 PCMA/8000
a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{SDES_KEY}|2^20|1:32
a=sendrecv

]]></send>
  <recv response="100" optional="true"/>
  <recv response="407"/>
  <send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
[last_Via:]
From: "Alice" <sip:alice@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[remote_ip]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
</scenario>
"""


def _sipp_responses(tmp_path):
    """The digest `response=` values SIPp sent, from its -trace_msg file."""
    values = []
    for trace in tmp_path.glob("*_messages.log"):
        values += re.findall(r'response="([0-9a-f]+)"', trace.read_text())
    return values


def test_sip_trace_masks_digest_responses_and_sdes_keys(make_gateway, tmp_path):
    gw = make_gateway(extra_general="log_format = json\nsip_trace = yes\n")
    code, out = sipp(gw, "echo_call.xml", tmp=tmp_path)
    assert code == 0, out
    scenario = tmp_path / "sdes_offer.xml"
    scenario.write_text(SDES_OFFER)
    code, out = sipp(gw, str(scenario), tmp=tmp_path)
    assert code == 0, out
    gw.wait_for_log("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:***|2^20|1:32")
    gw.wait_for_log('"msg":"call ended"')
    assert gw.stop() == 0
    records = _json_lines(gw)
    traced = [r for r in records if r["msg"].startswith(("SIP recv ", "SIP send "))]
    received = [r for r in traced if r["msg"].startswith("SIP recv ")]
    sent = [r for r in traced if r["msg"].startswith("SIP send ")]
    assert received and sent, [r["msg"] for r in records]
    # The authenticated INVITE is traced, with its digest response masked.
    authorized = [r["sip_message"] for r in received if "Proxy-Authorization:" in r["sip_message"]]
    assert authorized, "no traced request carried Proxy-Authorization"
    for message in authorized:
        assert 'username="alice"' in message and 'response="***"' in message, message
    challenges = [r["sip_message"] for r in sent if r["sip_message"].startswith("SIP/2.0 407")]
    assert challenges and all('realm="wagate"' in m and 'nonce="***"' in m for m in challenges), challenges
    # Every trace event names its dialog, so it can be joined with the call's other lines.
    assert all(r.get("sip_call_id") for r in traced)
    # No secret appears anywhere in the log.
    log = gw.logs()
    responses = _sipp_responses(tmp_path)
    assert responses, "SIPp sent no digest response"
    for value in responses:
        assert value not in log
    assert SDES_KEY not in log


def test_sip_trace_is_off_by_default(gateway, tmp_path):
    code, out = sipp(gateway, "echo_call.xml", tmp=tmp_path)
    assert code == 0, out
    gateway.wait_for_log("call ended")
    assert "SIP recv" not in gateway.logs() and "Proxy-Authorization" not in gateway.logs()
