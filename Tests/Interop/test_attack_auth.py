"""Attacks on digest authentication, the lockout and overload control, from
raw-socket peers on 127.0.0.1 (the phone) and 127.0.0.2/127.0.0.3 (strangers),
against a real wagate. Each test asserts the safe outcome: the designed SIP
status, the phone still registers and calls, one log line per lockout or
rate-limited source, and a live process."""
import hashlib
import re
import socket
import time
import uuid

import pytest

from conftest import free_port

SDP = ("v=0\r\no=- 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
       "m=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n")


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


class Response:
    def __init__(self, data):
        head = data.decode(errors="replace").split("\r\n\r\n", 1)[0]
        lines = head.split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers.setdefault(name.strip().lower(), []).append(value.strip())
        self.body = data.decode(errors="replace").split("\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else ""

    def header(self, name):
        return (self.headers.get(name.lower()) or [None])[0]

    def challenge(self):
        value = self.header("www-authenticate") or self.header("proxy-authenticate")
        return dict(re.findall(r'(\w+)="?([^",]+)"?', value)) if value else None


class Peer:
    """A SIP user agent on one UDP socket, enough for REGISTER and INVITE with digest."""

    def __init__(self, gw, ip="127.0.0.1", user="alice", password="alice-secret"):
        self.gw, self.ip, self.user, self.password = gw, ip, user, password
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((ip, 0))
        self.port = self.sock.getsockname()[1]
        self.target = f"127.0.0.1:{gw.sip_port}"
        self.nc = 0

    def close(self):
        self.sock.close()

    def request(self, method, ruri, cseq, call_id, extra="", body="", to_tag=None, branch=None):
        branch = branch or "z9hG4bK" + uuid.uuid4().hex
        to = f"<{ruri if method != 'REGISTER' else f'sip:{self.user}@127.0.0.1'}>" + (f";tag={to_tag}" if to_tag else "")
        message = (f"{method} {ruri} SIP/2.0\r\nVia: SIP/2.0/UDP {self.ip}:{self.port};branch={branch};rport\r\n"
                   f"From: <sip:{self.user}@127.0.0.1>;tag=f{call_id[:8]}\r\nTo: {to}\r\nCall-ID: {call_id}\r\n"
                   f"CSeq: {cseq} {method}\r\nMax-Forwards: 70\r\n{extra}"
                   + (f"Content-Type: application/sdp\r\n" if body else "")
                   + f"Content-Length: {len(body)}\r\n\r\n{body}")
        self.sock.sendto(message.encode(), ("127.0.0.1", self.gw.sip_port))
        return branch

    def final(self, call_id, cseq, timeout=5.0):
        """The final response to (call_id, cseq), skipping provisionals and other traffic."""
        deadline = time.time() + timeout
        while True:
            self.sock.settimeout(max(0.01, deadline - time.time()))
            try:
                data, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                raise AssertionError(f"no final response to CSeq {cseq} within {timeout} s") from None
            if not data.startswith(b"SIP/2.0"):
                continue
            response = Response(data)
            if response.header("call-id") == call_id and response.header("cseq").split()[0] == str(cseq) \
                    and response.status >= 200:
                return response

    def authorization(self, challenge, method, uri, user=None, password=None, nc=None, algorithm="MD5"):
        user, password = user or self.user, password or self.password
        self.nc = nc or self.nc + 1
        nc_text, cnonce = f"{self.nc:08x}", uuid.uuid4().hex[:16]
        h = md5 if algorithm == "MD5" else (lambda text: hashlib.sha256(text.encode()).hexdigest())
        ha1 = h(f"{user}:{challenge['realm']}:{password}")
        ha2 = h(f"{method}:{uri}")
        response = h(f"{ha1}:{challenge['nonce']}:{nc_text}:{cnonce}:auth:{ha2}")
        return (f'Digest username="{user}", realm="{challenge["realm"]}", nonce="{challenge["nonce"]}", uri="{uri}", '
                f'response="{response}", algorithm={algorithm}, qop=auth, nc={nc_text}, cnonce="{cnonce}"')

    def ack(self, ruri, call_id, cseq, response, branch):
        to_tag = re.search(r"tag=([^;>]+)", response.header("to")).group(1)
        self.request("ACK", ruri, cseq, call_id, to_tag=to_tag, branch=branch)

    def register(self, contact=None, password=None, expires=120):
        """REGISTER, answering one challenge; returns (final response, Authorization sent)."""
        call_id, ruri = uuid.uuid4().hex, f"sip:{self.target}"
        contact = contact or f"<sip:{self.user}@{self.ip}:{self.port}>"
        extra = f"Contact: {contact}\r\nExpires: {expires}\r\n"
        self.request("REGISTER", ruri, 1, call_id, extra)
        first = self.final(call_id, 1)
        if first.status != 401:
            return first, None
        auth = self.authorization(first.challenge(), "REGISTER", ruri, password=password, nc=1)
        self.request("REGISTER", ruri, 2, call_id, extra + f"Authorization: {auth}\r\n")
        return self.final(call_id, 2), auth

    def invite(self, number, auth=None, password=None):
        """An INVITE to `number`, answering a 407 unless `auth` is given; returns (final, Proxy-Authorization)."""
        call_id, ruri = uuid.uuid4().hex, f"sip:{number}@{self.target}"
        extra = f"Contact: <sip:{self.user}@{self.ip}:{self.port}>\r\n"
        body = SDP.format(ip=self.ip, port=free_port(even=True))
        cseq = 1
        if auth is None:
            branch = self.request("INVITE", ruri, cseq, call_id, extra, body)
            first = self.final(call_id, cseq)
            self.ack(ruri, call_id, cseq, first, branch)
            if first.status != 407:
                return first, None
            auth = self.authorization(first.challenge(), "INVITE", ruri, password=password, nc=1)
            cseq = 2
        branch = self.request("INVITE", ruri, cseq, call_id, extra + f"Proxy-Authorization: {auth}\r\n", body)
        final = self.final(call_id, cseq)
        if final.status >= 300:
            self.ack(ruri, call_id, cseq, final, branch)
        else:
            self.ack(ruri, call_id, cseq, final, None)
            to_tag = re.search(r"tag=([^;>]+)", final.header("to")).group(1)
            self.request("BYE", ruri, cseq + 1, call_id, to_tag=to_tag)
            assert self.final(call_id, cseq + 1).status == 200
        return final, auth


@pytest.fixture
def peers(gateway):
    made = []

    def make(ip="127.0.0.1", **kwargs):
        peer = Peer(gateway, ip, **kwargs)
        made.append(peer)
        return peer

    yield make
    for peer in made:
        peer.close()


def alive(gw):
    assert gw.proc.poll() is None, "wagate died"


def test_register_replay_from_another_address_is_refused_and_the_binding_unchanged(gateway, peers):
    alice = peers()
    ok, captured = alice.register()
    assert ok.status == 200
    attacker = peers("127.0.0.2")
    call_id = uuid.uuid4().hex
    attacker.request("REGISTER", f"sip:{attacker.target}", 2, call_id,
                     f"Contact: <sip:alice@127.0.0.2:{attacker.port}>\r\nExpires: 120\r\nAuthorization: {captured}\r\n")
    assert attacker.final(call_id, 2).status == 401
    # The same capture replayed from alice's own address: the nonce-count was used, so only a fresh challenge.
    same_ip = peers()
    call_id = uuid.uuid4().hex
    same_ip.request("REGISTER", f"sip:{same_ip.target}", 2, call_id,
                    f"Contact: <sip:alice@127.0.0.1:{same_ip.port}>\r\nExpires: 120\r\nAuthorization: {captured}\r\n")
    replay = same_ip.final(call_id, 2)
    assert replay.status == 401 and "stale=true" in replay.header("www-authenticate")
    again, _ = alice.register()
    assert again.status == 200
    contacts = " ".join(again.headers.get("contact", []))
    assert f"127.0.0.1:{alice.port}" in contacts
    assert "127.0.0.2" not in contacts and f":{same_ip.port}" not in contacts
    alive(gateway)


def test_invite_proxy_authorization_replay_to_another_number_is_refused(gateway, peers):
    alice = peers()
    answered, captured = alice.invite("*43")
    assert answered.status == 200
    gateway.wait_for_log("echo call ended")
    other_number, _ = alice.invite("+14155550199", auth=captured)
    assert other_number.status == 400
    assert "digest uri" in (other_number.header("warning") or "")
    same_number, _ = alice.invite("*43", auth=captured)
    assert same_number.status == 407 and "stale=true" in same_number.header("proxy-authenticate")
    assert gateway.logs().count("echo call answered") == 1
    alive(gateway)


def test_garbage_registers_naming_alice_do_not_lock_alice(gateway, peers):
    stranger = peers("127.0.0.2")
    for i in range(10):
        call_id = uuid.uuid4().hex
        garbage = (f'Digest username="alice", realm="wagate", nonce="{uuid.uuid4().hex}", uri="sip:{stranger.target}", '
                   f'response="{"0" * 32}", algorithm=MD5, qop=auth, nc=00000001, cnonce="x"')
        stranger.request("REGISTER", f"sip:{stranger.target}", 1, call_id,
                         f"Contact: <sip:alice@127.0.0.2:{stranger.port}>\r\nAuthorization: {garbage}\r\n")
        assert stranger.final(call_id, 1).status == 401
    # Unknown user names with real nonces do not count either.
    nobody = peers("127.0.0.3", user="nobody", password="guess")
    for _ in range(5):
        assert nobody.register()[0].status == 401
    ok, _ = peers().register()
    assert ok.status == 200
    assert "authentication lockout" not in gateway.logs()
    alive(gateway)


def test_stranger_hammering_alice_is_locked_while_alice_still_registers_and_calls(gateway, peers):
    alice = peers()
    assert alice.register()[0].status == 200
    stranger = peers("127.0.0.2", password="wrong")
    statuses = [stranger.register()[0].status for _ in range(8)]
    # auth_max_failures = 3: two fresh challenges, then 403 for the rest of the lockout.
    assert statuses[:2] == [401, 401] and set(statuses[2:]) == {403}, statuses
    elsewhere = peers("127.0.0.3", password="wrong")
    assert elsewhere.register()[0].status == 403, "alice's name is locked from addresses she never used"
    assert alice.register()[0].status == 200
    answered, _ = alice.invite("*43")
    assert answered.status == 200
    logs = gateway.wait_for_log("echo call ended")
    lockouts = [line for line in logs.splitlines() if "authentication lockout" in line]
    assert len(lockouts) == 2, lockouts  # one for the source, one for the user
    assert len([l for l in logs.splitlines() if "digest authentication failed" in l]) == 3
    alive(gateway)


def test_expired_nonce_gets_stale_true(make_gateway, tmp_path):
    gw = make_gateway(extra_general="nonce_lifetime = 1\n")
    alice = Peer(gw)
    try:
        call_id, ruri = uuid.uuid4().hex, f"sip:{alice.target}"
        extra = f"Contact: <sip:alice@127.0.0.1:{alice.port}>\r\n"
        alice.request("REGISTER", ruri, 1, call_id, extra)
        challenge = alice.final(call_id, 1).challenge()
        time.sleep(2.1)  # the nonce lifetime must pass on wagate's clock
        alice.request("REGISTER", ruri, 2, call_id, extra + f"Authorization: {alice.authorization(challenge, 'REGISTER', ruri)}\r\n")
        stale = alice.final(call_id, 2)
        assert stale.status == 401 and "stale=true" in stale.header("www-authenticate")
        fresh = stale.challenge()
        alice.request("REGISTER", ruri, 3, call_id, extra + f"Authorization: {alice.authorization(fresh, 'REGISTER', ruri)}\r\n")
        assert alice.final(call_id, 3).status == 200
    finally:
        alice.close()


def test_invite_flood_from_one_source_gets_503_while_another_source_still_calls(make_gateway, tmp_path):
    gw = make_gateway(extra_general="source_invite_rate = 5\n")
    flooder, alice = Peer(gw, "127.0.0.2"), Peer(gw)
    try:
        statuses, retry_after = [], set()
        for _ in range(60):
            response, _ = flooder.invite("*43", auth='Digest username="alice"')
            statuses.append(response.status)
            if response.status == 503:
                retry_after.add(response.header("retry-after"))
        assert statuses.count(503) >= 40, statuses
        assert all(value and int(value) >= 1 for value in retry_after)
        answered, _ = alice.invite("*43")
        assert answered.status == 200
        logs = gw.wait_for_log("echo call ended")
        limited = [line for line in logs.splitlines() if "request rate limited" in line]
        assert len(limited) == 1 and "127.0.0.2" in limited[0], limited
        alive(gw)
    finally:
        flooder.close()
        alice.close()


def test_register_flood_from_one_source_gets_503(make_gateway, tmp_path):
    gw = make_gateway(extra_general="source_register_rate = 2\n")
    flooder = Peer(gw, "127.0.0.2")
    try:
        statuses = []
        for _ in range(20):
            call_id = uuid.uuid4().hex
            flooder.request("REGISTER", f"sip:{flooder.target}", 1, call_id, f"Contact: <sip:alice@127.0.0.2:{flooder.port}>\r\n")
            statuses.append(flooder.final(call_id, 1).status)
        assert statuses[:4] == [401] * 4 and statuses.count(503) >= 14, statuses
        alive(gw)
    finally:
        flooder.close()


def test_flood_from_many_addresses_meets_the_gateway_ceiling_while_a_registered_phone_still_calls(make_gateway, tmp_path):
    gw = make_gateway(extra_general="call_attempt_rate = 2\n")
    alice = Peer(gw)
    strangers = [Peer(gw, f"127.0.0.{i}") for i in range(2, 10)]
    try:
        assert alice.register()[0].status == 200
        statuses = [s.invite("*43", auth='Digest username="alice"')[0].status for s in strangers for _ in range(5)]
        assert statuses.count(503) >= 30, statuses
        answered, _ = alice.invite("*43")
        assert answered.status == 200, "a recently authenticated address is exempt from the gateway-wide ceiling"
        logs = gw.wait_for_log("echo call ended")
        assert "limit=gateway" in logs
        alive(gw)
    finally:
        for peer in [alice, *strangers]:
            peer.close()


def test_md5_is_refused_when_only_sha256_is_offered(make_gateway, tmp_path):
    gw = make_gateway(extra_general="auth_algorithms = sha-256\n")
    alice = Peer(gw)
    try:
        call_id, ruri = uuid.uuid4().hex, f"sip:{alice.target}"
        extra = f"Contact: <sip:alice@127.0.0.1:{alice.port}>\r\n"
        alice.request("REGISTER", ruri, 1, call_id, extra)
        first = alice.final(call_id, 1)
        assert "algorithm=SHA-256" in first.header("www-authenticate")
        md5_auth = alice.authorization(first.challenge(), "REGISTER", ruri, algorithm="MD5")
        alice.request("REGISTER", ruri, 2, call_id, extra + f"Authorization: {md5_auth}\r\n")
        refused = alice.final(call_id, 2)
        assert refused.status == 401
        sha_auth = alice.authorization(refused.challenge(), "REGISTER", ruri, algorithm="SHA-256")
        alice.request("REGISTER", ruri, 3, call_id, extra + f"Authorization: {sha_auth}\r\n")
        assert alice.final(call_id, 3).status == 200
        assert "digest authentication failed" not in gw.logs(), "a refused algorithm is not a password failure"
    finally:
        alice.close()
