"""The SIP front end against SIPp: registration, digest, lockout, calls to the
echo test, CANCEL, hold/resume, refusals, malformed input, SIGTERM."""
import random
import socket
import time

from conftest import sipp


def test_register_and_unregister(gateway, tmp_path):
    code, out = sipp(gateway, "register.xml", service="alice", tmp=tmp_path)
    assert code == 0, out
    assert "registered" in gateway.logs()


def test_wrong_password_is_locked_out_with_403(gateway, tmp_path):
    code, out = sipp(gateway, "register_wrong_password.xml", service="bob", password="wrong-password", tmp=tmp_path)
    assert code == 0, out
    # Locked: even the right password is refused now.
    code, _ = sipp(gateway, "register.xml", service="bob", password="bob-secret", tmp=tmp_path)
    assert code != 0
    assert "authentication lockout" in gateway.logs()


def test_echo_call_with_digest_rtp_and_bye(gateway, tmp_path):
    code, out = sipp(gateway, "echo_call.xml", tmp=tmp_path)
    assert code == 0, out
    logs = gateway.wait_for_log("echo call ended")
    assert "echo call answered" in logs


def test_cancel_before_answer_gets_487(make_gateway, tmp_path):
    gw = make_gateway(extra_general="echo_answer_delay = 3000\n")
    code, out = sipp(gw, "cancel.xml", tmp=tmp_path)
    assert code == 0, out
    gw.wait_for_log("echo call ended")


def test_reinvite_hold_and_resume_are_answered_locally(gateway, tmp_path):
    code, out = sipp(gateway, "hold_resume.xml", tmp=tmp_path)
    assert code == 0, out


def test_unauthenticated_invite_is_only_challenged(gateway, tmp_path):
    code, out = sipp(gateway, "invite_unauthenticated.xml", tmp=tmp_path)
    assert code == 0, out
    assert "echo call answered" not in gateway.logs()


def test_destination_outside_policy_gets_403(gateway, tmp_path):
    code, out = sipp(gateway, "invite_forbidden_destination.xml", service="+14085551234", user="bob",
                     password="bob-secret", tmp=tmp_path)
    assert code == 0, out


def _send_and_receive(port, payload, timeout=2.0):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        s.settimeout(timeout)
        s.sendto(payload, ("127.0.0.1", port))
        try:
            return s.recv(65535)
        except socket.timeout:
            return b""


def test_options_is_answered(gateway):
    local = "127.0.0.1:9"
    request = (
        f"OPTIONS sip:127.0.0.1:{gateway.sip_port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP {local};branch=z9hG4bK-opt1;rport\r\n"
        "From: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\n"
        "Call-ID: opt-1@test\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
    ).encode()
    reply = _send_and_receive(gateway.sip_port, request)
    assert reply.startswith(b"SIP/2.0 200"), reply


def test_malformed_request_gets_400_and_garbage_flood_does_not_stop_the_stack(gateway, tmp_path):
    bad = (
        f"INVITE sip:*43@127.0.0.1:{gateway.sip_port} SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-bad1;rport\r\n"
        "From: <sip:x@127.0.0.1>;tag=1\r\nTo: <sip:*43@127.0.0.1>\r\n"
        "Call-ID: bad-1@test\r\nCSeq: banana INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
    ).encode()
    reply = _send_and_receive(gateway.sip_port, bad)
    assert reply.startswith(b"SIP/2.0 400"), reply

    rng = random.Random(7)
    samples = [b"", b"\r\n\r\n", b"SIP/2.0 200 OK\r\n\r\n", b"INVITE\r\n", b"REGISTER sip: SIP/2.0\r\nVia: \x00\r\n\r\n",
               b"OPTIONS sip:a SIP/2.0\r\n" + b"X-Long: " + b"a" * 60000 + b"\r\n\r\n"]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for i in range(3000):
            if i % 10 == 0:
                payload = rng.choice(samples)
            else:
                payload = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 1400)))
            s.sendto(payload, ("127.0.0.1", gateway.sip_port))
    time.sleep(0.5)
    code, out = sipp(gateway, "echo_call.xml", tmp=tmp_path)
    assert code == 0, out
    assert gateway.proc.poll() is None


def test_sigterm_stops_cleanly_with_status_0(gateway):
    assert gateway.stop() == 0
    assert "wagate stopped" in gateway.logs()


def test_offer_without_a_common_codec_gets_488_with_a_warning(gateway, tmp_path):
    code, out = sipp(gateway, "invite_488.xml", tmp=tmp_path)
    assert code == 0, out
