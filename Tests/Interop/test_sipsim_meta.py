"""The simulator's SIP-mode Meta, driven by a Python TLS peer playing the
business's SIP server: ALPN `sip` refused, REGISTER 403, the 407 digest
challenge and its checks, 180/200 with an ICE-lite DTLS answer, re-INVITE 500
then BYE, and Meta's user-initiated INVITE reaching a TLS server of the test."""
import hashlib
import http.server
import json
import socket
import ssl
import subprocess
import threading
import time
import uuid

import pytest

from conftest import WAGATE, free_port
from meta_simulator import BUSINESS, MetaSimulator

USER = "447700900123"
DOMAIN = "sip.example.com"
PASSWORD = "sip-s3cret"
NUMBER_ID = "100000000000001"

# An offer in the shape a WebRTC business side sends (full ICE, actpass): the
# simulated user answers it; its candidate is a port nobody listens on.
OFFER = "\r\n".join([
    "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 126", "c=IN IP4 127.0.0.1",
    "a=candidate:1 1 udp 2122260223 127.0.0.1 9 typ host",
    "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
    "a=fingerprint:sha-256 " + ":".join(["AB"] * 32), "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux",
    "a=rtpmap:111 opus/48000/2", "a=rtpmap:126 telephone-event/8000", "",
])
ANSWER = OFFER.replace("a=setup:actpass", "a=setup:active")


class SIPPeer:
    """One TLS connection speaking SIP, with Content-Length framing."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    @classmethod
    def connect(cls, port, alpn=None):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        if alpn:
            context.set_alpn_protocols(alpn)
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        return cls(context.wrap_socket(raw, server_hostname="wa.meta.vc"))

    def send(self, text, body=""):
        head = text.strip("\r\n").replace("\r\n", "\n").replace("\n", "\r\n")
        self.sock.sendall(f"{head}\r\nContent-Length: {len(body.encode())}\r\n\r\n{body}".encode())

    def read(self, timeout=10):
        """The next message as (start line, {lowercased name: [values]}, body)."""
        self.sock.settimeout(timeout)
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            assert chunk, "connection closed"
            self.buffer += chunk
        head, rest = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, value = line.split(":", 1)
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        length = int(headers.get("content-length", ["0"])[0])
        while len(rest) < length:
            chunk = self.sock.recv(65536)
            assert chunk, "connection closed"
            rest += chunk
        self.buffer = rest[length:]
        return lines[0], headers, rest[:length].decode()

    def read_final(self, timeout=10):
        """Skips provisional responses; returns the first final one."""
        while True:
            start, headers, body = self.read(timeout)
            if not start.startswith("SIP/2.0 1"):
                return start, headers, body

    def close(self):
        self.sock.close()


def digest(algorithm, method, uri, nonce, password=PASSWORD, user=BUSINESS[1:], cnonce="c0ffee", nc="00000001"):
    hash_ = hashlib.md5 if algorithm == "MD5" else hashlib.sha256
    h = lambda text: hash_(text.encode()).hexdigest()  # noqa: E731
    response = h(f"{h(f'{user}:wa.meta.vc:{password}')}:{nonce}:{nc}:{cnonce}:auth:{h(f'{method}:{uri}')}")
    return (f'Digest username="{user}", realm="wa.meta.vc", nonce="{nonce}", uri="{uri}", response="{response}", '
            f'algorithm={algorithm}, qop=auth, nc={nc}, cnonce="{cnonce}"')


def challenge_params(header):
    params = {}
    for item in header[len("Digest "):].split(","):
        name, value = item.strip().split("=", 1)
        params[name] = value.strip('"')
    return params


class Call:
    """A business-initiated INVITE dialog from the test's side."""

    def __init__(self, peer, user=USER, from_domain=DOMAIN):
        self.peer = peer
        self.call_id = f"{uuid.uuid4()}@test"
        self.uri = f"sip:+{user}@wa.meta.vc;transport=tls"
        self.from_ = f"<sip:{BUSINESS[1:]}@{from_domain}>;tag=biz1"
        self.to = f"<sip:+{user}@wa.meta.vc>"
        self.cseq = 0

    def invite(self, authorization=None, uri=None, body=OFFER):
        self.cseq += 1
        self.branch = f"z9hG4bK{uuid.uuid4().hex}"
        auth = f"\nProxy-Authorization: {authorization}" if authorization else ""
        self.peer.send(f"""INVITE {uri or self.uri} SIP/2.0
Via: SIP/2.0/TLS 127.0.0.1:5061;branch={self.branch}
Max-Forwards: 70
From: {self.from_}
To: {self.to}
Call-ID: {self.call_id}
CSeq: {self.cseq} INVITE
Contact: <sip:{BUSINESS[1:]}@127.0.0.1:5061;transport=tls>
Record-Route: <sip:127.0.0.1:5061;transport=tls;lr;r=1>
Content-Type: application/sdp{auth}""", body)

    def ack(self, to, uri=None):
        branch = self.branch if uri is None else f"z9hG4bK{uuid.uuid4().hex}"
        self.peer.send(f"""ACK {uri or self.uri} SIP/2.0
Via: SIP/2.0/TLS 127.0.0.1:5061;branch={branch}
Max-Forwards: 70
From: {self.from_}
To: {to}
Call-ID: {self.call_id}
CSeq: {self.cseq} ACK""")

    def challenged(self):
        """INVITE without credentials; returns the 407's challenge parameters (ACKed)."""
        self.invite()
        start, headers, _ = self.peer.read_final()
        assert start.startswith("SIP/2.0 407"), start
        self.ack(headers["to"][0])
        return challenge_params(headers["proxy-authenticate"][0])


class WebhookReceiver(http.server.BaseHTTPRequestHandler):
    """Stands in for the gateway's webhook endpoint: takes every delivery with 200."""

    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def meta(tmp_path):
    started = []
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), WebhookReceiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()

    def make(extra=(), auto_answer_ms=300):
        sip_port = free_port(socket.SOCK_STREAM, both=False)
        options = ["--sip-listen", f"127.0.0.1:{sip_port}",
                   "--sip-number", f"{NUMBER_ID}:{DOMAIN}:{PASSWORD}", *extra]
        if auto_answer_ms is not None:
            options += ["--auto-answer-ms", str(auto_answer_ms)]
        sim = MetaSimulator(tmp_path, receiver.server_address[1], extra=options)
        started.append(sim)
        sim.sip_port = sip_port
        deadline = time.time() + 10
        while "simulator SIP listening" not in sim.log_path.read_text():
            assert time.time() < deadline, sim.log_path.read_text()
            time.sleep(0.05)
        return sim

    yield make
    for sim in started:
        sim.stop()
    receiver.shutdown()
    receiver.server_close()


def test_alpn_sip_is_refused_and_no_alpn_is_fine(meta):
    sim = meta()
    with pytest.raises(ssl.SSLError, match="(?i)no.application.protocol"):
        SIPPeer.connect(sim.sip_port, alpn=["sip"]).read(timeout=5)
    peer = SIPPeer.connect(sim.sip_port)
    assert b"wa.meta.vc" in peer.sock.getpeercert(binary_form=True)
    peer.send(f"""OPTIONS sip:wa.meta.vc SIP/2.0
Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKopt
From: <sip:{BUSINESS[1:]}@{DOMAIN}>;tag=o1
To: <sip:wa.meta.vc>
Call-ID: opt@test
CSeq: 1 OPTIONS""")
    assert peer.read()[0] == "SIP/2.0 200 OK"
    assert sim.get("/control/sip")["alpn_refusals"] == 1
    # A peer that trusts the published certificate verifies it for wa.meta.vc.
    strict = ssl.create_default_context(cadata=sim.get("/control/sip/certificate")["pem"])
    with strict.wrap_socket(socket.create_connection(("127.0.0.1", sim.sip_port), timeout=10),
                            server_hostname="wa.meta.vc") as verified:
        assert verified.version().startswith("TLS")


def test_register_is_forbidden(meta):
    peer = SIPPeer.connect(meta().sip_port)
    peer.send(f"""REGISTER sip:wa.meta.vc SIP/2.0
Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKreg
From: <sip:{BUSINESS[1:]}@{DOMAIN}>;tag=r1
To: <sip:{BUSINESS[1:]}@{DOMAIN}>
Call-ID: reg@test
CSeq: 1 REGISTER
Contact: <sip:{BUSINESS[1:]}@127.0.0.1:5061;transport=tls>""")
    start, headers, _ = peer.read()
    assert start == "SIP/2.0 403 Forbidden"
    assert headers["cseq"] == ["1 REGISTER"]


def test_invite_is_challenged_and_a_wrong_uri_is_forbidden(meta):
    sim = meta()
    peer = SIPPeer.connect(sim.sip_port)
    call = Call(peer)
    call.invite()
    assert peer.read()[0] == "SIP/2.0 100 Trying"
    start, headers, _ = peer.read()
    assert start == "SIP/2.0 407 Proxy Authentication Required"
    params = challenge_params(headers["proxy-authenticate"][0])
    assert params["realm"] == "wa.meta.vc" and params["qop"] == "auth" and params["algorithm"] == "SHA-256"
    assert len(params["nonce"]) == 16 and len(params["opaque"]) == 16
    call.ack(headers["to"][0])
    # The uri without the transport parameter is not the Request-URI: 403.
    without_transport = call.uri.replace(";transport=tls", "")
    call.invite(digest("SHA-256", "INVITE", without_transport, params["nonce"]))
    start, headers, _ = peer.read_final()
    assert start == "SIP/2.0 403 Forbidden"
    call.ack(headers["to"][0])
    call.invite(digest("SHA-256", "INVITE", call.uri, params["nonce"], password="wrong"))
    assert peer.read_final()[0] == "SIP/2.0 403 Forbidden"
    assert "digest response does not match" in sim.log_path.read_text()


def test_authorised_invite_rings_answers_and_a_reinvite_ends_the_call(meta):
    sim = meta()
    sim.grant(USER)
    peer = SIPPeer.connect(sim.sip_port)
    call = Call(peer)
    nonce = call.challenged()["nonce"]
    call.invite(digest("SHA-256", "INVITE", call.uri, nonce))
    assert peer.read()[0] == "SIP/2.0 100 Trying"
    start, ringing, _ = peer.read()
    assert start == "SIP/2.0 180 Ringing"
    assert ringing["record-route"] == ["<sip:127.0.0.1:5061;transport=tls;lr;r=1>"]
    start, ok, answer = peer.read()
    assert start == "SIP/2.0 200 OK"
    assert ok["to"] == ringing["to"] and ";tag=" in ok["to"][0]
    for line in ["a=ice-lite", "a=setup:active", "a=rtpmap:111 opus/48000/2", "a=rtpmap:126 telephone-event/8000",
                 "a=fingerprint:sha-256"]:
        assert line in answer, answer
    contact = ok["contact"][0].strip("<>")
    call.ack(ok["to"][0], uri=contact)
    wacid = ok.get("x-wa-meta-wacid", [None])[0] or sim.wait_for_call("answered", USER)["id"]
    record = sim.get(f"/control/calls/{wacid}")
    assert record["signaling"] == "sip" and record["sip"]["call_id"] == call.call_id

    # A re-INVITE: 500, then Meta's BYE with the call's duration.
    call.to = ok["to"][0]
    call.invite(uri=contact)
    assert peer.read()[0] == "SIP/2.0 500 Server Internal Error"
    start, bye, _ = peer.read()
    assert start.startswith("BYE ") and bye["call-id"] == [call.call_id]
    assert bye["x-wa-meta-call-duration"][0].isdigit()
    peer.send(f"""SIP/2.0 200 OK
Via: {bye['via'][0]}
From: {bye['from'][0]}
To: {bye['to'][0]}
Call-ID: {call.call_id}
CSeq: {bye['cseq'][0]}""")
    sim.wait_for_state(wacid, "ended")


def test_user_without_permission_and_a_foreign_from_domain_are_forbidden(meta):
    sim = meta()
    peer = SIPPeer.connect(sim.sip_port)
    call = Call(peer)
    call.invite(digest("SHA-256", "INVITE", call.uri, call.challenged()["nonce"]))
    assert peer.read_final()[0] == "SIP/2.0 403 Forbidden"
    sim.grant(USER)
    foreign = Call(peer, from_domain="pbx.other.example")
    foreign.invite(digest("SHA-256", "INVITE", foreign.uri, foreign.challenged()["nonce"]))
    assert peer.read_final()[0] == "SIP/2.0 403 Forbidden"
    assert "From domain is not the number's SIP domain" in sim.log_path.read_text()


def test_md5_challenge_busy_user_and_gateway_bye(meta):
    sim = meta(extra=["--sip-digest", "MD5"], auto_answer_ms=None)
    sim.grant(USER)
    peer = SIPPeer.connect(sim.sip_port)
    call = Call(peer)
    params = call.challenged()
    assert params["algorithm"] == "MD5"
    call.invite(digest("MD5", "INVITE", call.uri, params["nonce"]))
    assert peer.read()[0] == "SIP/2.0 100 Trying"
    assert peer.read()[0] == "SIP/2.0 180 Ringing"
    wacid = sim.wait_for_call("ringing", USER)["id"]
    sim.post(f"/control/calls/{wacid}/busy")
    start, headers, _ = peer.read()
    assert start == "SIP/2.0 486 Busy Here"
    call.ack(headers["to"][0])
    sim.wait_for_state(wacid, "ended")
    # Webhooks go out in order: once the user's message after the call has,
    # any calls webhook of the call would have too. None did.
    sim.post(f"/control/users/{USER}/message", {"text": "after the call"})
    deliveries = _wait_for_webhooks(sim, "messages", count=2)
    assert "calls" not in _webhook_fields(deliveries), deliveries


def _webhook_fields(deliveries):
    return {change["field"] for delivery in deliveries for entry in json.loads(delivery["body"]).get("entry", [])
            for change in entry.get("changes", [])}


def _wait_for_webhooks(sim, field, count=1, timeout=10):
    """The simulator's deliveries, once `count` of them carried `field`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        deliveries = sim.get("/control/webhooks")["deliveries"]
        if sum(field in _webhook_fields([delivery]) for delivery in deliveries) >= count:
            return deliveries
        time.sleep(0.05)
    raise AssertionError(f"no {field} webhook: {sim.get('/control/webhooks')}")


def test_calls_webhooks_of_sip_calls_only_with_the_knob(meta):
    sim = meta(extra=["--sip-call-webhooks"], auto_answer_ms=None)
    sim.grant(USER)
    peer = SIPPeer.connect(sim.sip_port)
    call = Call(peer)
    call.invite(digest("SHA-256", "INVITE", call.uri, call.challenged()["nonce"]))
    assert peer.read()[0] == "SIP/2.0 100 Trying"
    assert peer.read()[0] == "SIP/2.0 180 Ringing"
    sim.post(f"/control/calls/{sim.wait_for_call('ringing', USER)['id']}/reject")
    assert peer.read()[0] == "SIP/2.0 603 Decline"
    _wait_for_webhooks(sim, "calls")


def test_graph_connect_on_a_sip_number_is_131055_and_signalling_flips(meta):
    sim = meta()
    import urllib.request
    request = urllib.request.Request(
        f"http://127.0.0.1:{sim.port}/v23.0/{NUMBER_ID}/calls", method="POST",
        data=json.dumps({"messaging_product": "whatsapp", "to": USER, "action": "connect",
                         "session": {"sdp_type": "offer", "sdp": OFFER}}).encode(),
        headers={"Content-Type": "application/json", "Authorization": "Bearer e2e-access-token"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert json.loads(refused.value.read())["error"]["code"] == 131055
    flipped = sim.post(f"/control/numbers/{NUMBER_ID}/signaling", {"signaling": "graph"})
    assert flipped["calling"]["sip"]["status"] == "DISABLED"


class BusinessServer:
    """A TLS server of the test playing the business's SIP server."""

    def __init__(self, tmp_path):
        key, cert = tmp_path / "biz.key", tmp_path / "biz.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", f"/CN={DOMAIN}",
                        "-addext", f"subjectAltName=DNS:{DOMAIN}"], check=True, capture_output=True)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        raw, _ = self.listener.accept()
        self.accepted.append(SIPPeer(self.context.wrap_socket(raw, server_side=True)))

    def peer(self, timeout=10):
        self.thread.join(timeout)
        assert self.accepted, "the simulator never connected"
        return self.accepted[0]

    def close(self):
        self.listener.close()


@pytest.fixture
def business(meta, tmp_path):
    """The simulator with a TLS server of the test as the business's SIP server."""
    server = BusinessServer(tmp_path)
    yield meta(extra=["--sip-gateway", f"127.0.0.1:{server.port}"]), server
    server.close()


def respond(peer, request_headers, status, tag="gw1", body="", record_routes=None, contact=True):
    routes = request_headers.get("record-route", []) if record_routes is None else record_routes
    lines = [f"SIP/2.0 {status}"] + [f"Via: {via}" for via in request_headers["via"]]
    lines += [f"Record-Route: {route}" for route in routes] if status.startswith(("18", "2")) else []
    lines += [f"From: {request_headers['from'][0]}", f"To: {request_headers['to'][0]};tag={tag}",
              f"Call-ID: {request_headers['call-id'][0]}", f"CSeq: {request_headers['cseq'][0]}"]
    if contact:
        lines.append(f"Contact: <sip:{BUSINESS[1:]}@127.0.0.1:5061;transport=tls>")
    if body:
        lines.append("Content-Type: application/sdp")
    peer.send("\n".join(lines), body)


def test_user_initiated_invite_has_every_meta_header_and_the_call_completes(business):
    sim, server = business
    placed = sim.post(f"/control/users/{USER}/sip_call", {"business_number": BUSINESS, "name": "Ana"})
    assert placed.get("signaling") == "sip", placed
    wacid = placed["id"]
    peer = server.peer()
    start, invite, offer = peer.read()
    assert start == f"INVITE sip:{BUSINESS}@{DOMAIN};transport=tls SIP/2.0"
    assert invite["call-id"][0] == f"outgoing:{wacid}" and wacid.startswith("wacid.")
    assert invite["x-fb-external-domain"] == ["wa.meta.vc"]
    assert invite["x-wa-meta-wacid"] == [wacid]
    assert len(invite["record-route"]) == 2
    assert f"<sip:+{USER}@wa.meta.vc>" in invite["from"][0] and '"Ana"' in invite["from"][0]
    assert invite["to"] == [f"<sip:{BUSINESS}@{DOMAIN}>"]
    for line in ["a=ice-lite", "a=setup:actpass", "a=rtpmap:111 opus/48000/2",
                 "a=rtpmap:126 telephone-event/8000", "a=fingerprint:sha-256"]:
        assert line in offer, offer
    respond(peer, invite, "100 Trying", contact=False)
    respond(peer, invite, "180 Ringing")
    respond(peer, invite, "200 OK", body=ANSWER)
    start, ack, _ = peer.read()
    assert start == f"ACK sip:{BUSINESS[1:]}@127.0.0.1:5061;transport=tls SIP/2.0"
    assert ack["route"] == list(reversed(invite["record-route"]))
    assert ack["cseq"] == ["1 ACK"]
    record = sim.wait_for_state(wacid, "accepted")
    assert record["sip"]["record_routes_echoed"] is True
    assert DOMAIN in record["sip"]["gateway_certificate_names"]

    # The user hangs up: Meta's BYE carries the call's duration.
    sim.post(f"/control/calls/{wacid}/hangup")
    start, bye, _ = peer.read()
    assert start.startswith("BYE sip:") and bye["x-wa-meta-call-duration"][0].isdigit()
    assert bye["route"] == ack["route"]


def test_user_initiated_call_records_a_missing_record_route_echo_and_a_gateway_bye(business):
    sim, server = business
    # Placed from the command line, as a sandbox user would.
    placed = subprocess.run([str(WAGATE), "simulate", "call", "--sip", "--simulator", f"http://127.0.0.1:{sim.port}",
                             f"+{USER}", "--to", BUSINESS], check=True, capture_output=True, text=True, timeout=30)
    wacid = json.loads(placed.stdout)["id"]
    peer = server.peer()
    _, invite, _ = peer.read()
    respond(peer, invite, "200 OK", body=ANSWER, record_routes=[])
    assert peer.read()[0].startswith("ACK ")
    assert sim.wait_for_state(wacid, "accepted")["sip"]["record_routes_echoed"] is False
    peer.send(f"""BYE sip:+{USER}@127.0.0.1:{sim.sip_port};transport=tls SIP/2.0
Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bKbye
From: {invite['to'][0]};tag=gw1
To: {invite['from'][0]}
Call-ID: {invite['call-id'][0]}
CSeq: 2 BYE""")
    assert peer.read()[0] == "SIP/2.0 200 OK"
    sim.wait_for_state(wacid, "ended")


async def _user_media(sim, wacid, received):
    """The simulated user's media counters once it has received `received` packets."""
    from aiortc_peer import poll
    return await poll(lambda: (lambda m: m.get("packets_received", 0) >= received and m)(
        sim.get(f"/control/calls/{wacid}/media")), timeout=15)


async def _heard_both_ways(business, sim, wacid):
    """What aiortc heard once it hears audio, and the user's counters once 50 packets arrived."""
    from aiortc_peer import poll
    await poll(lambda: business.heard()[1] > 500, timeout=15)
    counters = await _user_media(sim, wacid, received=50)
    return business.heard(), counters


async def _business_call_with_aiortc(sim):
    """aiortc plays the business's media (full ICE, controlling; 1000 Hz) in a
    business-initiated SIP call; returns what it heard and the simulator's counters."""
    import asyncio

    from aiortc import RTCSessionDescription
    from aiortc_peer import Peer
    business = Peer(1000)
    try:
        await business.pc.setLocalDescription(await business.pc.createOffer())
        offer = business.pc.localDescription.sdp
        peer = await asyncio.to_thread(SIPPeer.connect, sim.sip_port)
        call = Call(peer)
        nonce = (await asyncio.to_thread(call.challenged))["nonce"]
        call.invite(digest("SHA-256", "INVITE", call.uri, nonce), body=offer)
        start, ok, answer = await asyncio.to_thread(peer.read_final)
        assert start == "SIP/2.0 200 OK", start
        call.ack(ok["to"][0], uri=ok["contact"][0].strip("<>"))
        await business.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        return await _heard_both_ways(business, sim, ok["x-wa-meta-wacid"][0])
    finally:
        await business.close()


def test_business_call_carries_real_media_both_ways(meta):
    """The user's answer is a real ICE-lite DTLS leg: its tone reaches the
    business, and the business's audio reaches the user."""
    import asyncio
    sim = meta()
    sim.grant(USER)
    (frequency, rms), counters = asyncio.run(_business_call_with_aiortc(sim))
    assert abs(frequency - 600) < 30 and rms > 500, (frequency, rms)
    assert counters["codec"].lower().startswith("opus") and counters["srtp_failures"] == 0, counters


async def _user_call_with_aiortc(sim, server):
    """aiortc answers Meta's ICE-lite offer as the business (controlling,
    DTLS client); returns what it heard and the simulator's counters."""
    import asyncio

    from aiortc import RTCSessionDescription
    from aiortc_peer import Peer
    business = Peer(1000)
    try:
        wacid = (await asyncio.to_thread(sim.post, f"/control/users/{USER}/sip_call", {}))["id"]
        peer = await asyncio.to_thread(server.peer)
        _, invite, offer = await asyncio.to_thread(peer.read)
        await business.pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        await business.pc.setLocalDescription(await business.pc.createAnswer())
        # Early SDP in a 183: ICE and DTLS complete and the business's audio
        # arrives, but the user sends none before the 200.
        respond(peer, invite, "183 Session Progress", body=business.pc.localDescription.sdp)
        early = await _user_media(sim, wacid, received=25)
        assert early["packets_sent"] == 0, early
        respond(peer, invite, "200 OK", body=business.pc.localDescription.sdp)
        start, _, _ = await asyncio.to_thread(peer.read)
        assert start.startswith("ACK "), start
        return await _heard_both_ways(business, sim, wacid)
    finally:
        await business.close()


def test_user_call_carries_real_media_both_ways(business):
    import asyncio
    (frequency, rms), counters = asyncio.run(_user_call_with_aiortc(*business))
    assert abs(frequency - 600) < 30 and rms > 500, (frequency, rms)
    assert counters["srtp_failures"] == 0, counters


def test_user_hangs_up_before_the_answer_with_cancel(business):
    sim, server = business
    wacid = sim.post(f"/control/users/{USER}/sip_call", {})["id"]
    peer = server.peer()
    _, invite, _ = peer.read()
    respond(peer, invite, "180 Ringing")
    sim.wait_for_state(wacid, "offered")
    sim.post(f"/control/calls/{wacid}/hangup")
    start, cancel, _ = peer.read()
    assert start == f"CANCEL sip:{BUSINESS}@{DOMAIN};transport=tls SIP/2.0"
    assert cancel["via"] == invite["via"] and cancel["cseq"] == ["1 CANCEL"]
    respond(peer, cancel, "200 OK", contact=False)
    respond(peer, invite, "487 Request Terminated", contact=False)
    start, ack, _ = peer.read()
    assert start.startswith("ACK ") and ack["via"] == invite["via"] and ack["cseq"] == ["1 ACK"]
    assert sim.wait_for_state(wacid, "ended")["sip"]["final_status"] == 487


def _ringing(sim, peer):
    """A business call authorised and ringing; returns the call and the 180's To."""
    call = Call(peer)
    call.invite(digest("SHA-256", "INVITE", call.uri, call.challenged()["nonce"]))
    assert peer.read()[0] == "SIP/2.0 100 Trying"
    start, ringing, _ = peer.read()
    assert start == "SIP/2.0 180 Ringing"
    return call, ringing["to"][0]


def test_gateway_cancel_gets_487_and_an_unanswered_call_gets_480(meta):
    sim = meta(extra=["--ring-timeout", "1"], auto_answer_ms=None)
    sim.grant(USER)
    peer = SIPPeer.connect(sim.sip_port)
    call, to = _ringing(sim, peer)
    wacid = sim.wait_for_call("ringing", USER)["id"]
    peer.send(f"""CANCEL {call.uri} SIP/2.0
Via: SIP/2.0/TLS 127.0.0.1:5061;branch={call.branch}
Max-Forwards: 70
From: {call.from_}
To: {call.to}
Call-ID: {call.call_id}
CSeq: {call.cseq} CANCEL""")
    replies = sorted([peer.read()[0], peer.read()[0]])
    assert replies == ["SIP/2.0 200 OK", "SIP/2.0 487 Request Terminated"]
    call.ack(to)
    sim.wait_for_state(wacid, "ended")

    # Nobody answers the next call: after the ring timeout Meta answers 480.
    call, to = _ringing(sim, peer)
    start, headers, _ = peer.read(timeout=10)
    assert start == "SIP/2.0 480 Temporarily Unavailable" and headers["to"] == [to]
    call.ack(to)
