"""Business-initiated calls over Meta's SIP interface, end to end: a baresip
phone dials a WhatsApp user through wagate in sandbox mode, whose built-in
simulator plays Meta's SIP servers over TLS (with a certificate from the
test's CA, which wagate verifies) and the user's phone (echo media).

  main  +15550100000  Graph mode                      dialled as +447700900123
  dtls  +15550100002  SIP mode, ICE + DTLS-SRTP        dialled as *3+447700900123
  sdes  +15550100003  SIP mode, SDES (RTP/SAVP)        dialled as *4+447700900123

Audio is checked by tone: the phone plays 1000 Hz and the user echoes it, so
hearing 1000 Hz back proves both directions. The simulator's control API shows
what Meta saw (`signaling: "sip"`, the digest algorithm and `uri`, BYE, CANCEL,
final statuses); the CDR store shows who ended each call.
"""
import json
import socket
import subprocess
import threading
import time

import pytest

from baresip_peer import dominant_frequency, run_call
from conftest import WAGATE, free_port
from sandbox_control import Sandbox
from test_attack_tls import issue

USER = "+447700900123"
IDS = {"main": "100000000000001", "dtls": "100000000000003", "sdes": "100000000000004"}
PREFIX = {"main": "", "dtls": "*3", "sdes": "*4"}
PASSWORD = "meta-sip-s3cret"

NUMBERS = f"""
[dave]
type = user
secret = dave-secret
allow = +*
numbers = main, dtls, sdes

[erin]
type = user
secret = erin-secret
allow = +*
numbers = main, dtls, sdes

[main]
type = number
phone_number_id = {IDS['main']}
business_number = +15550100000

[dtls]
type = number
phone_number_id = {IDS['dtls']}
business_number = +15550100002
dial_prefix = *3
signaling = sip
sip_domain = sip.example.com
sip_password = {PASSWORD}
srtp = dtls

[sdes]
type = number
phone_number_id = {IDS['sdes']}
business_number = +15550100003
dial_prefix = *4
signaling = sip
sip_domain = sdes.example.com
sip_password = {PASSWORD}
srtp = sdes
"""


def sandbox_gateway(tmp, meta_issuer=None):
    """A sandbox gateway: a TLS listener with a certificate naming both SIP
    domains, `tls_verify = server` against the test's CA, and the simulator's
    SIP side presenting a certificate from `meta_issuer` (default: that CA;
    "self": self-signed, as an impostor's would be)."""
    from conftest import Gateway
    ca = issue(tmp, "ca", "DNS:wagate-test-ca")
    gateway_cert = issue(tmp, "gateway", "DNS:sip.example.com,DNS:sdes.example.com,IP:127.0.0.1", ca)
    # The sandbox reaches Meta at 127.0.0.1. sofia matches the host it connected
    # to against the certificate's DNS subjectAltNames, falling back to the CN
    # only without any: an IP entry beside DNS ones is not matched, so this
    # certificate names only the address (CN and IP entry).
    meta_cert = issue(tmp, "meta", "IP:127.0.0.1", None if meta_issuer == "self" else ca)
    simulator_port = free_port(socket.SOCK_STREAM, both=False)
    sip_port = free_port(socket.SOCK_STREAM, both=False)
    gw = Gateway(tmp, tls=gateway_cert, extra_general=f"tls_verify = server\ntls_ca_file = {ca[0]}\n",
                 whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{simulator_port}\n"
                          f"simulator_media = echo\nsimulator_sip_listen = 127.0.0.1:{sip_port}\n"
                          f"simulator_sip_certificate = {meta_cert[0]}\n"
                          f"simulator_sip_private_key = {meta_cert[1]}\n",
                 extra_sections=NUMBERS)
    return gw, Sandbox(simulator_port)


@pytest.fixture(scope="module")
def sipmode(tmp_path_factory):
    """One sandbox gateway for the module."""
    gw, sandbox = sandbox_gateway(tmp_path_factory.mktemp("e2eout"))
    yield gw, sandbox
    gw.stop()


@pytest.fixture
def fresh(sipmode):
    """The shared gateway with the simulator's knobs back at their defaults and no live call."""
    gw, sandbox = sipmode
    sandbox.request("PUT", "/control/ringing", {"auto_answer_ms": 2000, "ring_timeout_ms": 60000})
    for name in ("dtls", "sdes"):
        sandbox.request("POST", f"/control/numbers/{IDS[name]}/sip", {"digest": "SHA-256", "password": PASSWORD})
    deadline = time.time() + 10
    while any(call["state"] != "ended" for call in sandbox.calls()):
        assert time.time() < deadline, sandbox.calls()
        time.sleep(0.05)
    return gw, sandbox, {call["id"] for call in sandbox.calls()}


def new_call(sandbox, known, timeout=15):
    """The next call the simulator sees that is not in `known`."""
    return sandbox.wait_for_call(lambda call: call["id"] not in known, timeout)


def ended_call(sandbox, wacid, timeout=15):
    return sandbox.wait_for_call(lambda call: call["id"] == wacid and call["state"] == "ended", timeout)


def in_background(action):
    result = {}

    def run():
        try:
            result["value"] = action()
        except BaseException as error:  # noqa: BLE001 - reported by the caller
            result["error"] = error
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def joined(thread, result, timeout=60):
    thread.join(timeout)
    assert not thread.is_alive(), "background step did not finish"
    if "error" in result:
        raise result["error"]
    return result.get("value")


def records(gw):
    out = subprocess.run([str(WAGATE), "calls", "--config", str(gw.config), "--json"], capture_output=True,
                         text=True, timeout=20)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def record_of(gw, call, timeout=10):
    """The closed CDR of the simulator's `call`: the gateway names a SIP-mode
    call by the SIP Call-ID of its INVITE to Meta (Meta's wacid, from
    `x-wa-meta-wacid`, is only logged beside it)."""
    wacid = call["sip"]["call_id"] if call.get("signaling") == "sip" else call["id"]
    deadline = time.time() + timeout
    while True:
        found = [record for record in records(gw) if record.get("wacid") == wacid and record.get("endAt")]
        if found:
            return found[0]
        if time.time() > deadline:
            raise AssertionError(f"no closed record for {wacid}: {records(gw)[-3:]}")
        time.sleep(0.1)


def dial(gw, tmp_path, phone, number, seconds=8, tone_hz=1000):
    return run_call(tmp_path / f"{phone}-{number}", f"<sip:{phone}@127.0.0.1:{gw.sip_port}>;auth_pass={phone}-secret",
                    f"sip:{PREFIX[number]}{USER}@127.0.0.1:{gw.sip_port}", seconds=seconds, tone_hz=tone_hz)


def assert_hears(out, samples, rate, hz, gw):
    assert "Call established" in out, out + gw.logs()[-4000:]
    frequency, rms = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - hz) <= 10, (frequency, gw.logs()[-4000:])
    assert rms > 1000


# MARK: - Audio both ways; the phone hangs up


@pytest.mark.parametrize("number, srtp", [("dtls", "DTLS"), ("sdes", "SDES")])
def test_phone_hears_its_tone_echoed_over_sip_mode_and_its_hangup_ends_metas_dialog(fresh, tmp_path, number, srtp):
    gw, sandbox, known = fresh
    out, samples, rate = dial(gw, tmp_path, "dave", number)
    assert_hears(out, samples, rate, 1000, gw)
    call = new_call(sandbox, known)
    assert call["signaling"] == "sip" and call["phone_number_id"] == IDS[number], call
    sip = ended_call(sandbox, call["id"])["sip"]
    # Meta's checks passed with SHA-256, the credentials' uri being the Request-URI as sent.
    assert sip["request_uri"].startswith(f"sip:{USER}@") and sip["request_uri"].endswith(";transport=tls"), sip
    assert sip["digest_algorithm"] == "SHA-256" and sip["digest_uri"] == sip["request_uri"], sip
    assert sip["digest_username"] == ("15550100002" if number == "dtls" else "15550100003"), sip
    assert sip["final_status"] == 200 and sip.get("ack_received") and sip.get("bye_from_business"), sip
    if srtp == "SDES":
        assert "RTP/SAVP" in call["business_sdp"] and "a=crypto:" in call["business_sdp"], call["business_sdp"]
        assert "a=fingerprint" not in call["business_sdp"], call["business_sdp"]
    else:
        assert "UDP/TLS/RTP/SAVPF" in call["business_sdp"] and "a=fingerprint" in call["business_sdp"], call
    record = record_of(gw, ended_call(sandbox, call["id"]))
    assert record["endedBy"] == "sip" and record["phoneNumberID"] == IDS[number], record


# MARK: - The user hangs up: Meta's BYE reaches the phone


def test_user_hangup_sends_metas_bye_and_the_phone_gets_it(fresh, tmp_path):
    gw, sandbox, known = fresh

    def hang_up_when_answered():
        call = sandbox.wait_for_call(lambda c: c["id"] not in known and c["state"] == "answered", 20)
        time.sleep(2)  # audio flows for a while before the user hangs up
        sandbox.request("POST", f"/control/calls/{call['id']}/hangup")
        return call
    thread, result = in_background(hang_up_when_answered)
    out, samples, rate = dial(gw, tmp_path, "dave", "dtls", seconds=14)
    call = joined(thread, result)
    assert_hears(out, samples, rate, 1000, gw)
    assert "Call terminated" in out or "session closed" in out.lower() or "closed" in out, out
    record = record_of(gw, ended_call(sandbox, call["id"]))
    assert record["endedBy"] == "whatsapp", record
    sip = ended_call(sandbox, call["id"])["sip"]
    assert not sip.get("bye_from_business"), sip


# MARK: - CANCEL while the user's phone rings


def test_phone_cancels_while_ringing_and_meta_answers_487(fresh, tmp_path):
    gw, sandbox, known = fresh
    sandbox.request("PUT", "/control/ringing", {"ring_timeout_ms": 60000})  # nobody answers
    out, _, _ = dial(gw, tmp_path, "dave", "dtls", seconds=4)
    assert "Call established" not in out, out
    call = new_call(sandbox, known)
    sip = ended_call(sandbox, call["id"])["sip"]
    assert sip["final_status"] == 487, sip
    record = record_of(gw, ended_call(sandbox, call["id"]))
    assert record["endedBy"] == "sip", record


# MARK: - The user declines, is busy, does not answer


@pytest.mark.parametrize("action, status", [("reject", 603), ("busy", 486), (None, 480)])
def test_user_refusal_reaches_the_phone_as_a_clean_failure(fresh, tmp_path, action, status):
    gw, sandbox, known = fresh
    sandbox.request("PUT", "/control/ringing", {"ring_timeout_ms": 1500})

    def refuse_when_ringing():
        call = sandbox.wait_for_call(lambda c: c["id"] not in known and c["state"] == "ringing", 20)
        if action:
            sandbox.request("POST", f"/control/calls/{call['id']}/{action}")
        return call
    thread, result = in_background(refuse_when_ringing)
    out, _, _ = dial(gw, tmp_path, "dave", "dtls", seconds=6)
    call = joined(thread, result)
    assert "Call established" not in out, out
    # A decline and a busy phone are both the user refusing (REJECTED, as on
    # Graph): the phone gets 603; nobody answering is 480.
    expected = "480 " if status == 480 else "603 "
    assert f"session closed: {expected}" in out, out + gw.logs()[-3000:]
    sip = ended_call(sandbox, call["id"])["sip"]
    assert sip["final_status"] == status, sip
    record = record_of(gw, ended_call(sandbox, call["id"]))
    assert record["endedBy"] == "whatsapp", record


# MARK: - Digest


def test_md5_challenge_is_answered_in_md5(fresh, tmp_path):
    gw, sandbox, known = fresh
    sandbox.request("POST", f"/control/numbers/{IDS['sdes']}/sip", {"digest": "MD5"})
    out, samples, rate = dial(gw, tmp_path, "dave", "sdes", seconds=6)
    assert_hears(out, samples, rate, 1000, gw)
    sip = ended_call(sandbox, new_call(sandbox, known)["id"])["sip"]
    assert sip["digest_algorithm"] == "MD5" and sip["digest_uri"] == sip["request_uri"], sip


def test_wrong_password_fails_the_call_with_one_clear_log_line(fresh, tmp_path):
    gw, sandbox, known = fresh
    sandbox.request("POST", f"/control/numbers/{IDS['dtls']}/sip", {"password": "rotated-at-meta"})
    before = gw.logs().count("digest credentials rejected")
    out, _, _ = dial(gw, tmp_path, "dave", "dtls", seconds=4)
    assert "Call established" not in out, out
    assert "403" in out or "503" in out, out
    logs = gw.wait_for_log("digest credentials rejected")
    assert logs.count("digest credentials rejected") == before + 1, logs[-3000:]
    assert PASSWORD not in logs and "rotated-at-meta" not in logs
    assert all(call["id"] in known for call in sandbox.calls()), sandbox.calls()


# MARK: - Graph mode and SIP mode at once


def test_a_graph_call_and_a_sip_call_carry_audio_at_the_same_time(fresh, tmp_path):
    gw, sandbox, known = fresh
    thread, result = in_background(lambda: dial(gw, tmp_path, "erin", "main", seconds=9, tone_hz=700))
    out, samples, rate = dial(gw, tmp_path, "dave", "dtls", seconds=9)
    other = joined(thread, result)
    assert_hears(out, samples, rate, 1000, gw)
    assert_hears(*other, 700, gw)
    calls = [call for call in sandbox.calls() if call["id"] not in known]
    assert sorted((call["phone_number_id"], call.get("signaling", "graph")) for call in calls) == \
        [(IDS["main"], "graph"), (IDS["dtls"], "sip")], calls


# MARK: - Meta's certificate is verified


def test_a_meta_certificate_not_from_the_ca_gets_no_invite_and_the_phone_a_prompt_failure(tmp_path):
    (tmp_path / "impostor").mkdir()
    gw, sandbox = sandbox_gateway(tmp_path / "impostor", meta_issuer="self")
    try:
        started = time.time()
        out, _, _ = dial(gw, tmp_path, "dave", "dtls", seconds=9)
        assert "Call established" not in out, out
        assert "session closed: 503" in out, out + gw.logs()[-3000:]
        assert time.time() - started < 15
        assert sandbox.calls() == [], "the INVITE never reached the impostor"
        # sofia logs OpenSSL's reason; the call then ends on its 5 s setup budget.
        assert "self-signed certificate" in gw.logs(), gw.logs()[-3000:]
    finally:
        gw.stop()


# MARK: - The phone holds and resumes: absorbed on the phone's side


def test_phone_hold_and_resume_never_reach_meta(fresh, tmp_path):
    """Meta fails a call that gets a re-INVITE (the simulator answers 500 and
    hangs up): the phone's hold and resume re-INVITEs are answered by wagate
    alone, and the call ends with the phone's own BYE."""
    from conftest import sipp
    gw, sandbox, known = fresh
    code, out = sipp(gw, "hold_resume.xml", service=f"{PREFIX['dtls']}{USER}", user="erin", password="erin-secret",
                     tmp=tmp_path, timeout=30)
    assert code == 0, out[-3000:] + gw.logs()[-3000:]
    call = ended_call(sandbox, new_call(sandbox, known)["id"])
    sip = call["sip"]
    assert call["signaling"] == "sip" and sip["final_status"] == 200 and sip.get("bye_from_business"), call
    assert "Meta answered the INVITE" in gw.logs()
