"""Attacks on call control's limits and on Graph faults, with raw-socket SIP
phones against a real wagate: echo calls beyond max_calls, echo calls that
never send RTP, SIGTERM with echo calls up, a hanging or failing Graph API
(setup budget, circuit breaker) and a terminate Meta fails to acknowledge."""
import hashlib
import json
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
import uuid

import pytest

from conftest import WAGATE, Gateway, free_port

USER = "447700900123"
E164 = "+" + USER
DAVE = "[dave]\ntype = user\nsecret = dave-secret\nallow = +*\nmax_calls = 2\n"


class Phone:
    """A SIP UA on one UDP socket: digest-authenticated INVITEs, ACK, BYE, and
    answers to the gateway's BYE. Enough SIP for these tests, nothing more."""

    def __init__(self, gw, user="dave", password="dave-secret"):
        self.gw, self.user, self.password = gw, user, password
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp.bind(("127.0.0.1", 0))
        self.pending = []

    def close(self):
        self.sock.close()
        self.rtp.close()

    def send(self, text):
        self.sock.sendto(text.encode(), ("127.0.0.1", self.gw.sip_port))

    def receive(self, timeout):
        """The next message (queued ones first), parsed, or None at the deadline."""
        if self.pending:
            return self.pending.pop(0)
        self.sock.settimeout(max(0.01, timeout))
        try:
            data, _ = self.sock.recvfrom(65535)
        except socket.timeout:
            return None
        return parse(data.decode(errors="replace"))

    def sdp(self):
        return ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                f"m=audio {self.rtp.getsockname()[1]} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n")

    def invite_request(self, call, target, cseq, auth=None):
        call["branch"] = f"z9hG4bK{uuid.uuid4().hex}"
        uri = f"sip:{target}@127.0.0.1:{self.gw.sip_port}"
        body = self.sdp()
        lines = [f"INVITE {uri} SIP/2.0",
                 f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={call['branch']};rport",
                 f"From: <sip:{self.user}@127.0.0.1>;tag={call['tag']}", f"To: <{uri}>",
                 f"Call-ID: {call['id']}", f"CSeq: {cseq} INVITE", f"Contact: <sip:{self.user}@127.0.0.1:{self.port}>",
                 "Max-Forwards: 70", "Content-Type: application/sdp"]
        if auth:
            lines.append(auth)
        return "\r\n".join(lines + [f"Content-Length: {len(body)}", "", body]), uri

    def call(self, target, timeout=10):
        """Places a call; returns (final response, call state). A 2xx is ACKed."""
        call = {"id": f"{uuid.uuid4().hex}@cc", "tag": uuid.uuid4().hex[:8], "cseq": 1}
        text, uri = self.invite_request(call, target, 1)
        self.send(text)
        return self.await_final(call, target, uri, timeout)

    def await_final(self, call, target, uri, timeout):
        deadline = time.time() + timeout
        authed = False
        while time.time() < deadline:
            message = self.receive(deadline - time.time())
            if message is None:
                break
            if message.get("call-id") != call["id"]:
                self.pending.append(message)
                continue
            status = message.get("status")
            if status is None or status < 200 or message.get("cseq") != f"{call['cseq']} INVITE":
                continue  # provisional, or a retransmitted answer to an earlier INVITE
            self.ack(call, message, uri)
            if status in (401, 407) and not authed:
                authed = True
                call["cseq"] += 1
                header = "Authorization" if status == 401 else "Proxy-Authorization"
                challenge = message["www-authenticate" if status == 401 else "proxy-authenticate"]
                text, _ = self.invite_request(call, target, call["cseq"], f"{header}: {self.digest(challenge, uri)}")
                self.send(text)
                continue
            call["to"] = message["to"]
            return message, call
        raise AssertionError(f"no final response for {call['id']} within {timeout} s")

    def digest(self, challenge, uri):
        params = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
        algorithm = params.get("algorithm", "MD5").upper()
        h = (lambda s: hashlib.sha256(s.encode()).hexdigest()) if algorithm == "SHA-256" else \
            (lambda s: hashlib.md5(s.encode()).hexdigest())
        ha1 = h(f"{self.user}:{params['realm']}:{self.password}")
        ha2 = h(f"INVITE:{uri}")
        fields = f'username="{self.user}", realm="{params["realm"]}", nonce="{params["nonce"]}", uri="{uri}", ' \
                 f'algorithm={algorithm}'
        if "qop" in params:
            cnonce = uuid.uuid4().hex[:16]
            response = h(f"{ha1}:{params['nonce']}:00000001:{cnonce}:auth:{ha2}")
            fields += f', qop=auth, nc=00000001, cnonce="{cnonce}"'
        else:
            response = h(f"{ha1}:{params['nonce']}:{ha2}")
        if "opaque" in params:
            fields += f', opaque="{params["opaque"]}"'
        return f'Digest {fields}, response="{response}"'

    def ack(self, call, response, uri):
        # A non-2xx is ACKed in the INVITE's transaction (same branch), a 2xx in a new one.
        branch = call["branch"] if response["status"] >= 300 else f"z9hG4bK{uuid.uuid4().hex}"
        self.send("\r\n".join([
            f"ACK {uri} SIP/2.0", f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch};rport",
            f"From: <sip:{self.user}@127.0.0.1>;tag={call['tag']}", f"To: {response['to']}",
            f"Call-ID: {call['id']}", f"CSeq: {call['cseq']} ACK", "Max-Forwards: 70", "Content-Length: 0", "", ""]))

    def bye(self, call, target):
        uri = f"sip:{target}@127.0.0.1:{self.gw.sip_port}"
        call["cseq"] += 1
        self.send("\r\n".join([
            f"BYE {uri} SIP/2.0", f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch=z9hG4bK{uuid.uuid4().hex};rport",
            f"From: <sip:{self.user}@127.0.0.1>;tag={call['tag']}", f"To: {call['to']}",
            f"Call-ID: {call['id']}", f"CSeq: {call['cseq']} BYE", "Max-Forwards: 70", "Content-Length: 0", "", ""]))

    def wait_for_bye(self, call_id, timeout):
        """Waits for the gateway's BYE of `call_id`, answers 200; True if it came."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            message = self.receive(deadline - time.time())
            if message is None:
                break
            if message.get("method") == "BYE" and message.get("call-id") == call_id:
                reply = [f"SIP/2.0 200 OK"] + [f"{name}: {message[name.lower()]}"
                                               for name in ("Via", "From", "To", "Call-ID", "CSeq")]
                self.send("\r\n".join(reply + ["Content-Length: 0", "", ""]))
                return True
            if message.get("call-id") != call_id:
                self.pending.append(message)
        return False


def parse(text):
    head = text.split("\r\n\r\n", 1)[0].split("\r\n")
    message = {}
    first = head[0].split(" ")
    if first[0] == "SIP/2.0":
        message["status"] = int(first[1])
    else:
        message["method"] = first[0]
    for line in head[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            name = {"i": "call-id", "f": "from", "t": "to", "v": "via"}.get(name.strip().lower(), name.strip().lower())
            message.setdefault(name, value.strip())
    return message


def metric(gw, name):
    with urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5) as response:
        for line in response.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    return None


def auto_answer(meta):
    """Answers every ringing call of the simulated user until the returned event is set."""
    stop = threading.Event()

    def run():
        while not stop.is_set():
            for call in meta.calls():
                if call.get("state") == "ringing":
                    meta.post(f"/control/calls/{call['id']}/answer")
            stop.wait(0.05)
    threading.Thread(target=run, daemon=True).start()
    return stop


def wait_until(condition, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} not reached within {timeout} s")


# MARK: - Echo calls under call control

def test_max_calls_2_user_opening_10_echo_calls_gets_2_answered_and_the_rest_refused(make_gateway):
    # Eleven INVITEs and their challenges in a burst: above the per-source rate limit, which is not under test here.
    # drain_time = 0: the test ends with two calls up; the gateway ends them at once on SIGTERM.
    gw = make_gateway(extra_general="source_invite_rate = 100\ndrain_time = 0\n", extra_sections=DAVE)
    phone = Phone(gw)
    try:
        results = [phone.call("*43")[0]["status"] for _ in range(10)]
        assert results.count(200) == 2, results
        assert all(status == 486 for status in results if status != 200), results
        assert gw.proc.poll() is None
        # Real calls count against the same limit while the echo calls are up.
        assert phone.call(E164)[0]["status"] == 486
    finally:
        phone.close()


def test_echo_calls_drain_on_sigterm_with_bye_and_write_cdrs(make_gateway):
    gw = make_gateway(extra_general="drain_time = 1\n", extra_sections=DAVE)
    phone = Phone(gw)
    try:
        response, call = phone.call("*43")
        assert response["status"] == 200
        gw.proc.send_signal(signal.SIGTERM)
        assert phone.wait_for_bye(call["id"], timeout=10), "echo call not ended with BYE on drain"
        assert gw.proc.wait(timeout=15) == 0
    finally:
        phone.close()
    out = subprocess.run([str(WAGATE), "calls", "--config", str(gw.config), "--json"], capture_output=True,
                         text=True, timeout=20)
    records = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    echo = [r for r in records if r.get("direction") == "echo"]
    assert len(echo) == 1, out.stdout + out.stderr
    assert "shutdown" in json.dumps(echo[0]), echo


def test_echo_call_whose_phone_sends_no_rtp_is_ended_with_bye(make_gateway):
    gw = make_gateway(extra_sections=DAVE + "[media]\nrtp_timeout = 2\n")
    phone = Phone(gw)
    try:
        response, call = phone.call("*43")
        assert response["status"] == 200
        started = time.time()
        assert phone.wait_for_bye(call["id"], timeout=8), "no BYE after the RTP timeout"
        assert 1.5 < time.time() - started < 6
        gw.wait_for_log("echo call ended")
        # The place is free again.
        assert phone.call("*43")[0]["status"] == 200
    finally:
        phone.close()


# MARK: - Graph faults

@pytest.fixture
def cloud(e2e):
    """A gateway in cloud mode against a standalone simulator, with dave (max_calls = 2) ringing for WhatsApp users."""
    def make(whatsapp_extra="", general=""):
        return e2e(whatsapp_extra=whatsapp_extra, inbound="[inbound]\ntarget = user:dave\n", sections=DAVE,
                   general=general)
    return make


def test_hanging_graph_gives_503_with_retry_after_within_the_setup_budget(cloud):
    # drain_time = 0: Graph requests still hang when the test ends.
    gw, meta = cloud("setup_budget = 2\n", general="drain_time = 0\n")
    meta.post("/control/faults", {"kind": "timeout", "count": 10})
    phone = Phone(gw)
    try:
        started = time.time()
        response, _ = phone.call(E164, timeout=15)
        elapsed = time.time() - started
        assert response["status"] == 503, response
        assert int(response["retry-after"]) > 0
        assert elapsed < 3.5, f"503 after {elapsed:.1f} s, budget 2 s"
        assert gw.proc.poll() is None
    finally:
        phone.close()


def test_breaker_opens_after_failures_fails_calls_at_once_and_recovers(cloud):
    # One outage opens it: whether the first call's permission lookup reaches Graph depends on
    # whether the simulator's permission webhook arrived first, so only its connect is sure to fail.
    gw, meta = cloud("circuit_breaker_failures = 1\ncircuit_breaker_open_time = 2\n")
    meta.post("/control/faults", {"kind": "5xx", "count": 4})
    phone = Phone(gw)
    try:
        assert phone.call(E164)[0]["status"] == 503
        gw.wait_for_log("graph circuit breaker open")
        assert metric(gw, "wagate_graph_circuit_state") == 1
        started = time.time()
        response, _ = phone.call(E164)
        assert response["status"] == 503 and int(response["retry-after"]) >= 1
        assert time.time() - started < 0.5, "an open breaker must fail the call at once"
        # The injected faults are used up, so Meta is healthy again: once the open time is over,
        # a probe call goes through and closes the breaker.
        answering = auto_answer(meta)

        def probe():
            response, call = phone.call(E164, timeout=15)
            if response["status"] < 300:
                phone.bye(call, E164)
                return True
            # A PBX honours Retry-After; hammering would only meet the per-source rate limit.
            time.sleep(min(float(response.get("retry-after", 1)), 2))
            return False
        wait_until(probe, 20, "a call through the recovered breaker")
        answering.set()
        gw.wait_for_log("graph circuit breaker closed")
        assert metric(gw, "wagate_graph_circuit_state") == 0
    finally:
        phone.close()


def test_terminate_that_fails_is_retried_until_meta_acknowledges_it(cloud):
    gw, meta = cloud()
    phone = Phone(gw)
    try:
        answering = auto_answer(meta)
        response, call = phone.call(E164, timeout=15)
        answering.set()
        assert response["status"] == 200, response
        wacid = meta.calls()[-1]["id"]
        meta.post("/control/faults", {"kind": "5xx", "count": 2})
        phone.bye(call, E164)
        gw.wait_for_log("terminate failed, retrying")
        meta.wait_for_state(wacid, "ended", timeout=15)
        gw.wait_for_log("terminate acknowledged after retries")
    finally:
        phone.close()
