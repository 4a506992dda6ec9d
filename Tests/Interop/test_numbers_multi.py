"""Several WhatsApp business numbers end to end: wagate in sandbox mode serves two
numbers (its built-in Meta simulator plays both, with real WebRTC media), each
with its own inbound plan. Real phones (baresip, SIPp) ring, dial out and hear
audio, checked by tone; the simulator shows which phone_number_id each call used.

  main     +15550100000  id 100000000000001  rings [inbound] (alice)
  support  +15550100001  id 100000000000002  rings bob; dial prefix *2; max_calls 1
"""
import hashlib
import hmac
import json
import socket
import subprocess
import threading
import time
import urllib.request

import pytest

from baresip_peer import dominant_frequency, run_call
from conftest import WAGATE, free_port, sipp
from sandbox_control import Sandbox
from sipp_builder import _ack_error, _in_dialog, _invite, _send, busy_uas, run_uas

MAIN_ID, SUPPORT_ID = "100000000000001", "100000000000002"
MAIN, SUPPORT = "+15550100000", "+15550100001"
SANDBOX_SECRET = b"sandbox-app-secret"
USER = "+447700900123"

NUMBERS = f"""
[dave]
type = user
secret = dave-secret
allow = +*
numbers = main, support

[inbound]
target = user:alice
ring_timeout = 15

[main]
type = number
phone_number_id = {MAIN_ID}
business_number = {MAIN}

[support]
type = number
phone_number_id = {SUPPORT_ID}
business_number = {SUPPORT}
inbound_target = user:bob
dial_prefix = *2
max_calls = 1
"""


@pytest.fixture
def numbers(make_gateway):
    """A sandbox gateway with the two numbers, and its simulator."""
    simulator_port = free_port(socket.SOCK_STREAM, both=False)
    gw = make_gateway(whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{simulator_port}\n"
                               "simulator_media = echo\n", extra_sections=NUMBERS)
    return gw, Sandbox(simulator_port)


def in_background(action):
    thread = threading.Thread(target=action, daemon=True)
    thread.start()
    return thread


def metrics(gw):
    return urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5).read().decode()


# MARK: - Inbound: each number rings its own plan


@pytest.mark.parametrize("business, phone", [(MAIN, "alice"), (SUPPORT, "bob")])
def test_a_call_to_each_number_rings_its_own_phone_with_audio_both_ways(numbers, tmp_path, business, phone):
    """The simulated user echoes what it hears: the phone's 1000 Hz tone coming
    back proves audio both ways through the number's call."""
    gw, sandbox = numbers
    placed = {}

    def call_in():
        gw.wait_for_log("registered", timeout=20)
        placed.update(sandbox.request("POST", f"/control/users/{USER[1:]}/call",
                                      {"name": "Zoe", "business_number": business}))
    in_background(call_in)
    out, samples, rate = run_call(tmp_path / phone, f"<sip:{phone}@127.0.0.1:{gw.sip_port}>;"
                                  f"auth_pass={phone}-secret;answermode=auto", None, seconds=9, tone_hz=1000,
                                  register=True)
    assert f"from sip:{USER}@" in out, out + gw.logs()[-3000:]
    frequency, rms = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, gw.logs()[-3000:])
    assert rms > 1000
    call = sandbox.request("GET", f"/control/calls/{placed['id']}")
    expected_id = MAIN_ID if business == MAIN else SUPPORT_ID
    assert call["phone_number_id"] == expected_id and call.get("business_sdp"), call
    # The call record names the number (and `wagate calls` shows its name).
    def records():
        out = subprocess.run([str(WAGATE), "calls", "--config", str(gw.config), "--json"], capture_output=True,
                             text=True, timeout=20)
        return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert [record.get("phoneNumberID") for record in records()] == [expected_id]
    table = subprocess.run([str(WAGATE), "calls", "--config", str(gw.config)], capture_output=True, text=True,
                           timeout=20).stdout
    assert (" main " if business == MAIN else " support ") in table, table


# MARK: - Outbound: the default number, a dial prefix, P-Preferred-Identity


@pytest.mark.parametrize("dialled, number_id", [(USER, MAIN_ID), ("*2" + USER, SUPPORT_ID)])
def test_a_phone_allowed_two_numbers_calls_out_from_the_default_and_by_prefix(numbers, tmp_path, dialled, number_id):
    gw, sandbox = numbers
    out, samples, rate = run_call(tmp_path / "dave", f"<sip:dave@127.0.0.1:{gw.sip_port}>;auth_pass=dave-secret",
                                  f"sip:{dialled}@127.0.0.1:{gw.sip_port}", seconds=7, tone_hz=1000)
    assert "Call established" in out, out + gw.logs()[-3000:]
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, gw.logs()[-3000:])
    calls = sandbox.calls()
    assert [(call["user"], call["phone_number_id"]) for call in calls] == [(USER[1:], number_id)], calls


def authenticated_invite(identity=None):
    """INVITE, 407, ACK, then the INVITE with digest (and P-Preferred-Identity naming `identity`)."""
    extra = f"P-Preferred-Identity: <sip:{identity}@[remote_ip]>\n" if identity else ""
    body = _send(_invite(1, False))
    body += '  <recv response="100" optional="true"/>\n  <recv response="407" auth="true"/>\n'
    body += _send(_ack_error(1), retrans=False)
    body += _send(_invite(2, True, extra))
    return body + '  <recv response="100" optional="true"/>\n'


ANSWERED = ('  <recv response="180" optional="true"/>\n  <recv response="183" optional="true"/>\n'
            '  <recv response="180" optional="true"/>\n  <recv response="200" rrs="true"/>\n'
            + _send(_in_dialog("ACK", 2, "Content-Length: 0\n"), retrans=False))


def refused(status, regexp):
    """A final `status` whose message matches `regexp` (SIPp fails the call otherwise), then ACK."""
    return (f'  <recv response="{status}"><action><ereg regexp="{regexp}" search_in="msg" check_it="true" '
            f'assign_to="m"/></action></recv>\n  <Reference variables="m"/>\n' + _send(_ack_error(2), retrans=False))


def scenario(path, body):
    path.write_text(f'<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="{path.stem}">\n{body}</scenario>\n')
    return path


def ppi_scenario(path, identity):
    """An answered call with `P-Preferred-Identity: <identity>`, hung up after 0.5 s."""
    body = authenticated_invite(identity) + ANSWERED + '  <pause milliseconds="500"/>\n'
    body += _send(_in_dialog("BYE", 3, "Content-Length: 0\n"))
    return scenario(path, body + '  <recv response="200" crlf="true"/>\n')


def test_p_preferred_identity_picks_the_other_number(numbers, tmp_path):
    gw, sandbox = numbers
    code, out = sipp(gw, ppi_scenario(tmp_path / "ppi.xml", SUPPORT), service=USER, user="dave",
                     password="dave-secret", tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    calls = sandbox.calls()
    assert [call["phone_number_id"] for call in calls] == [SUPPORT_ID], calls


def test_a_number_the_caller_may_not_use_is_refused_with_403(numbers, tmp_path):
    """alice has no numbers list: only the first number; support's prefix → 403."""
    gw, sandbox = numbers
    forbidden = scenario(tmp_path / "forbidden.xml", authenticated_invite() + refused(
        403, "Warning: 399 .*user:alice may not call from business number .15550100001"))
    code, out = sipp(gw, forbidden, service="*2" + USER, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    assert sandbox.calls() == []


# MARK: - Per-number limit


def test_a_number_at_its_call_limit_gives_503_with_retry_after(numbers, tmp_path):
    gw, sandbox = numbers
    held = scenario(tmp_path / "held.xml", authenticated_invite() + ANSWERED + '  <recv request="BYE"/>\n' + _send(
        "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n",
        retrans=False))
    first = {}
    thread = in_background(lambda: first.update(result=sipp(gw, held, service="*2" + USER, user="dave",
                                                             password="dave-secret", timeout=40)))
    call = sandbox.wait_for_call(lambda call: call["state"] == "answered")
    assert call["phone_number_id"] == SUPPORT_ID, call

    over = scenario(tmp_path / "over.xml", authenticated_invite() + refused(503, "Retry-After: *10"))
    code, out = sipp(gw, over, service="*2+447700900124", user="dave", password="dave-secret", tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    assert 'wagate_number_limit_total{number="support",limit="calls"} 1' in metrics(gw)
    # The main number is not affected by support's limit.
    code, out = sipp(gw, ppi_scenario(tmp_path / "main.xml", MAIN), service="+447700900125", user="dave",
                     password="dave-secret", tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    sandbox.request("POST", f"/control/calls/{call['id']}/hangup")
    thread.join(timeout=45)
    assert first["result"][0] == 0, first["result"][1]


# MARK: - A webhook for a number this gateway does not serve


def signed_post(gw, body):
    request = urllib.request.Request(f"http://127.0.0.1:{gw.http_port}/whatsapp/webhook", data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Hub-Signature-256", "sha256=" + hmac.new(SANDBOX_SECRET, body, hashlib.sha256).hexdigest())
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


def test_a_webhook_for_an_unknown_number_is_acknowledged_counted_and_rings_nothing(numbers, tmp_path):
    gw, sandbox = numbers
    for index in range(2):
        wacid = f"wacid.OTHERNUMBER{index}"
        body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "999", "changes": [{
            "field": "calls", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550109999", "phone_number_id": "199999999999999"},
                "contacts": [{"profile": {"name": "Zoe"}, "wa_id": USER[1:]}],
                "calls": [{"id": wacid, "from": USER[1:], "to": "15550109999", "event": "connect",
                           "timestamp": str(int(time.time())), "direction": "USER_INITIATED",
                           "session": {"sdp_type": "offer", "sdp": "v=0\r\n"}}]}}]}]}).encode()
        assert signed_post(gw, body) == 200
    gw.wait_for_log("webhook for a phone_number_id that is not configured")
    deadline = time.time() + 10
    while "wagate_webhook_unknown_number_total 2\n" not in metrics(gw):
        assert time.time() < deadline, metrics(gw)
        time.sleep(0.05)
    logs = gw.logs()
    assert logs.count("webhook for a phone_number_id that is not configured") == 1, "logged once per number id"
    actions = [line for line in logs.splitlines() if "call action" in line and "OTHERNUMBER" in line]
    assert actions == [], actions
    assert sandbox.calls() == [], "nothing rejected or terminated at Meta"


# MARK: - A PBX trunk: P-Asserted-Identity out, the called number as its DID in


def trunk_gateway(make_gateway, uas_port, match_port):
    """The two numbers; support rings trunk pbx (no `dial`), which may use both numbers."""
    simulator_port = free_port(socket.SOCK_STREAM, both=False)
    sections = NUMBERS.replace("inbound_target = user:bob", "inbound_target = trunk:pbx") + f"""
[pbx]
type = trunk
host = 127.0.0.1
port = {uas_port}
match = 127.0.0.1/32
match_port = {match_port}
allow = +*
numbers = main, support
"""
    gw = make_gateway(whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{simulator_port}\n", extra_sections=sections)
    return gw, Sandbox(simulator_port)


def test_a_trunk_asserting_a_business_number_calls_out_from_it(make_gateway, tmp_path):
    pbx_port = free_port()
    gw, sandbox = trunk_gateway(make_gateway, free_port(), pbx_port)
    body = _send(_invite(2, False, f"P-Asserted-Identity: <sip:{SUPPORT}@[local_ip]>\n"))
    body += '  <recv response="100" optional="true"/>\n' + ANSWERED + '  <pause milliseconds="300"/>\n'
    body += _send(_in_dialog("BYE", 3, "Content-Length: 0\n")) + '  <recv response="200" crlf="true"/>\n'
    code, out = sipp(gw, scenario(tmp_path / "pai.xml", body), service=USER, tmp=tmp_path, local_port=pbx_port)
    assert code == 0, out + gw.logs()[-3000:]
    assert [call["phone_number_id"] for call in sandbox.calls()] == [SUPPORT_ID], sandbox.calls()


def test_a_call_to_a_number_reaches_the_trunk_with_that_number_as_the_did(make_gateway, tmp_path):
    uas_port = free_port()
    gw, sandbox = trunk_gateway(make_gateway, uas_port, free_port())
    uas = busy_uas(tmp_path / "did_uas.xml", [
        ("ruri", f'regexp="^INVITE sip:.15550100001@127.0.0.1:{uas_port} SIP/2.0" search_in="msg"')])
    placed = {}
    code, out = run_uas(uas, uas_port, tmp_path, lambda: placed.update(sandbox.request(
        "POST", f"/control/users/{USER[1:]}/call", {"business_number": SUPPORT})))
    assert code == 0, "the Request-URI names the called number\n" + out
    sandbox.wait_for_call(lambda call: call["id"] == placed["id"] and call["state"] == "ended")
