"""Digest from wagate as a client, against a real wagate: a WhatsApp user calls
the business (the sandbox's built-in simulator), the inbound plan rings a
trunk, and the trunk is a small SIP server in this test (Python `ssl` over TLS,
or plain TCP) that challenges wagate's INVITE with 407 Proxy Authentication
Required, the way Meta's SIP servers challenge business-initiated INVITEs.

The server checks the retried INVITE itself: the `response` recomputed with
the password it knows, the `uri` equal to the Request-URI byte for byte
(`;transport=tls` included), `qop=auth` with `nc=00000001` and a cnonce of 16+
hex digits, the opaque echoed, and the same Call-ID and From tag with CSeq one
higher (RFC 3261 §22.2). A right answer gets 200 (then ACK and BYE); a wrong
password gets a second 407, which wagate takes as final: no third INVITE, and
one warning naming host, realm, user and algorithm but never the password."""
import hashlib
import json
import re
import socket
import ssl
import subprocess
import threading
import urllib.request

import pytest

from conftest import free_port

REALM = "wa.meta.vc"
USERNAME = "15550001111"
PASSWORD = "s3cret:pass%word"
USER = "447700900123"


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed P-256 certificate for 127.0.0.1 (wagate's listener and the trunk's)."""
    tmp = tmp_path_factory.mktemp("sipdigest-pki")
    key, cert = tmp / "peer.key", tmp / "peer.pem"
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key),
            "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
    return cert, key


def digest_params(value):
    """The name=value pairs of a Digest credentials header (quotes removed)."""
    assert value.startswith("Digest "), value
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in re.finditer(r'([A-Za-z-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))', value[7:])}


def expected_response(params, method, password):
    algorithm = params.get("algorithm", "MD5")
    name = "sha256" if algorithm.upper().startswith("SHA-256") else "md5"

    def h(text):
        return hashlib.new(name, text.encode()).hexdigest()

    ha1 = h(f"{params['username']}:{params['realm']}:{password}")
    if algorithm.lower().endswith("-sess"):
        ha1 = h(f"{ha1}:{params['nonce']}:{params['cnonce']}")
    ha2 = h(f"{method}:{params['uri']}")
    return h(f"{ha1}:{params['nonce']}:{params['nc']}:{params['cnonce']}:auth:{ha2}")


class SIPMessage:
    def __init__(self, raw):
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        self.start = lines[0]
        self.headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers.append((name.strip(), value.strip()))

    def all(self, name):
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def get(self, name):
        values = self.all(name)
        return values[0] if values else None

    @property
    def method(self):
        return None if self.start.startswith("SIP/2.0") else self.start.split()[0]

    @property
    def uri(self):
        return self.start.split()[1]


class ChallengingTrunk:
    """A trunk answering each INVITE by `script` (a list of "407" / "200"),
    with `challenges` (Proxy-Authenticate values, per nonce placeholder {n}).
    Records every INVITE; checks nothing itself (the test does)."""

    def __init__(self, transport, challenges, script, tls=None):
        self.transport = transport
        self.challenges = challenges
        self.script = list(script)
        self.context = None
        if tls:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.context.load_cert_chain(str(tls[0]), str(tls[1]))
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.invites = []
        self.acked = threading.Event()
        self.answered_cseq = None
        self.errors = []
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(raw,), daemon=True).start()

    def serve(self, raw):
        raw.settimeout(30)
        try:
            conn = self.context.wrap_socket(raw, server_side=True) if self.context else raw
            buffer = b""
            while True:
                message, buffer = self.read(conn, buffer)
                if message is None:
                    return
                self.handle(conn, message)
        except (OSError, ssl.SSLError, ValueError) as error:
            self.errors.append(repr(error))

    @staticmethod
    def read(conn, buffer):
        while True:
            head_end = buffer.find(b"\r\n\r\n")
            if head_end >= 0:
                match = re.search(rb"(?im)^(?:content-length|l)\s*:\s*(\d+)", buffer[:head_end])
                length = int(match.group(1)) if match else 0
                end = head_end + 4 + length
                if len(buffer) >= end:
                    return SIPMessage(buffer[:end]), buffer[end:]
            data = conn.recv(65535)
            if not data:
                return None, buffer
            buffer += data

    def handle(self, conn, message):
        if message.method == "INVITE":
            with self.lock:
                self.invites.append(message)
                index = len(self.invites)
                action = self.script.pop(0) if self.script else "500"
            if action == "407":
                extra = "".join(f"Proxy-Authenticate: {c.format(n=f'nonce{index}')}\r\n" for c in self.challenges)
                conn.sendall(self.response(message, "407 Proxy Authentication Required", extra))
            elif action == "200":
                sdp = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                       f"m=audio {free_port()} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
                self.answered_cseq = message.get("CSeq").split()[0]
                contact = f"Contact: <sip:pbx@127.0.0.1:{self.port};transport={self.transport}>\r\n"
                conn.sendall(self.response(message, "200 OK", contact + "Content-Type: application/sdp\r\n", sdp))
            else:
                conn.sendall(self.response(message, "500 Server Internal Error"))
        elif message.method == "BYE":
            conn.sendall(self.response(message, "200 OK"))
        elif message.method == "ACK":
            if message.get("CSeq").split()[0] == self.answered_cseq:
                self.acked.set()

    @staticmethod
    def response(request, status, extra="", body=""):
        to = request.get("To")
        if ";tag=" not in to:
            to += ";tag=pbx" + request.get("CSeq").split()[0]
        vias = "".join(f"Via: {v}\r\n" for v in request.all("Via"))
        return (f"SIP/2.0 {status}\r\n{vias}From: {request.get('From')}\r\nTo: {to}\r\n"
                f"Call-ID: {request.get('Call-ID')}\r\nCSeq: {request.get('CSeq')}\r\n{extra}"
                f"Content-Length: {len(body.encode())}\r\n\r\n{body}").encode()

    def close(self):
        self.listener.close()


def tag(value):
    match = re.search(r";tag=([^;>\s]+)", value)
    return match.group(1) if match else None


def gateway_with_trunk(make_gateway, certificate, trunk, secret):
    simulator = free_port(socket.SOCK_STREAM, both=False)
    gw = make_gateway(
        # drain_time = 0: a test ends with its call up; the gateway ends it at once on SIGTERM.
        tls=certificate, extra_general="tls_verify = none\ndrain_time = 0\n",
        whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{simulator}\n",
        extra_sections=f"""
[pbx]
type = trunk
host = 127.0.0.1
port = {trunk.port}
transport = {trunk.transport}
match = 127.0.0.1/32
match_port = {trunk.port}
remote_username = {USERNAME}
remote_secret = {secret}
allow = +*
[inbound]
target = trunk:pbx
ring_timeout = 10
""")
    return gw, simulator


def whatsapp_call(simulator):
    body = json.dumps({"name": "Tess"}).encode()
    urllib.request.urlopen(urllib.request.Request(
        f"http://127.0.0.1:{simulator}/control/users/{USER}/call", data=body,
        headers={"Content-Type": "application/json"}, method="POST"), timeout=5).read()


SHA256 = f'Digest realm="{REALM}", nonce="{{n}}", opaque="op-1", algorithm=SHA-256, qop="auth"'
MD5 = f'Digest realm="{REALM}", nonce="{{n}}", opaque="op-1", algorithm=MD5, qop="auth"'


@pytest.mark.parametrize("transport, challenges, algorithm", [
    ("tls", [SHA256], "SHA-256"),
    ("tcp", [MD5], "MD5"),
    # RFC 8760 §2.4: offered both, the stronger is answered whatever the order.
    ("tls", [MD5, SHA256], "SHA-256"),
])
def test_challenged_invite_is_answered_with_the_exact_uri(make_gateway, certificate, transport, challenges, algorithm):
    trunk = ChallengingTrunk(transport, challenges, ["407", "200"], tls=certificate if transport == "tls" else None)
    try:
        gw, simulator = gateway_with_trunk(make_gateway, certificate, trunk, PASSWORD)
        whatsapp_call(simulator)
        assert trunk.acked.wait(15), f"no ACK for the 200: {trunk.errors}\n{gw.logs()[-3000:]}"
        first, second = trunk.invites[:2]
        assert len(trunk.invites) == 2
        assert first.get("Proxy-Authorization") is None
        params = digest_params(second.get("Proxy-Authorization"))
        assert params["uri"] == second.uri, "the digest uri is the Request-URI byte for byte"
        if transport == "tls":
            assert second.uri.endswith(";transport=tls"), second.uri
        assert params["algorithm"] == algorithm
        assert params["username"] == USERNAME and params["realm"] == REALM and params["nonce"] == "nonce1"
        assert params["qop"] == "auth" and params["nc"] == "00000001" and params["opaque"] == "op-1"
        assert re.fullmatch(r"[0-9a-f]{16,}", params["cnonce"]), params["cnonce"]
        assert params["response"] == expected_response(params, "INVITE", PASSWORD)
        assert second.get("Call-ID") == first.get("Call-ID")
        assert tag(second.get("From")) == tag(first.get("From")) is not None
        assert int(second.get("CSeq").split()[0]) == int(first.get("CSeq").split()[0]) + 1
        assert "digest credentials rejected" not in gw.logs()
    finally:
        trunk.close()


def test_wrong_password_fails_cleanly_after_the_second_challenge(make_gateway, certificate):
    trunk = ChallengingTrunk("tls", [SHA256], ["407", "407", "200"], tls=certificate)
    try:
        gw, simulator = gateway_with_trunk(make_gateway, certificate, trunk, "not-the-password")
        whatsapp_call(simulator)
        logs = gw.wait_for_log("trunk call failed")
        warnings = [line for line in logs.splitlines() if "digest credentials rejected" in line]
        assert len(warnings) == 1, warnings
        line = warnings[0]
        assert "warning" in line and "host=127.0.0.1" in line and f"realm={REALM}" in line
        assert f"user={USERNAME}" in line and "algorithm=SHA-256" in line
        failed = next(line for line in logs.splitlines() if "trunk call failed" in line)
        assert "status=407" in failed, failed
        assert "not-the-password" not in logs
        # The answer was checked and refused: the wrong password, not a wrong uri.
        params = digest_params(trunk.invites[1].get("Proxy-Authorization"))
        assert params["uri"] == trunk.invites[1].uri
        assert params["response"] == expected_response(params, "INVITE", "not-the-password")
        assert params["response"] != expected_response(params, "INVITE", PASSWORD)
        gw.wait_for_log("call ended")
        assert len(trunk.invites) == 2, "no third INVITE after the second challenge"
    finally:
        trunk.close()


def test_unanswerable_challenge_fails_at_once(make_gateway, certificate):
    odd = f'Digest realm="{REALM}", nonce="{{n}}", algorithm=SHA-512-256, qop="auth"'
    trunk = ChallengingTrunk("tcp", [odd], ["407", "200"])
    try:
        gw, simulator = gateway_with_trunk(make_gateway, certificate, trunk, PASSWORD)
        whatsapp_call(simulator)
        logs = gw.wait_for_log("trunk call failed")
        line = next(line for line in logs.splitlines() if "digest challenge cannot be answered" in line)
        assert "unsupported algorithm SHA-512-256" in line, line
        gw.wait_for_log("call ended")
        assert len(trunk.invites) == 1
    finally:
        trunk.close()
