"""User-initiated SIP-mode calls end to end: the sandbox gateway's simulated
SIP-mode Meta calls a number over TLS, wagate rings a registered phone by the
number's inbound plan, and the phone answers, rejects or hangs up.

  dtls  +15550100011  id 100000000000011  ICE-lite + DTLS-SRTP   rings alice
  sdes  +15550100012  id 100000000000012  SDES (RTP/SAVP)        rings carol

The phone is a Python SIP phone on UDP (PCMU, a 1000 Hz tone); the simulated
user echoes, so the phone hearing its own tone proves audio both ways through
Meta's leg, and the simulator's media counters show what the user received.
Security: a Meta-shaped INVITE from anywhere but TLS from Meta's networks
rings nothing. SIPp plays Meta's INVITE and BYE through the TLS relay."""
import json
import re
import socket
import ssl
import subprocess
import threading
import time
import urllib.request
import uuid

import pytest

import conftest
from conftest import SIPP_DIR, WAGATE, Gateway, free_port
from desk_phone import Dialog, DeskPhone, header, tag
from sandbox_control import Sandbox
from tls_relay import TLSRelay

DOMAIN = "sip.example.test"
USER = "447700900123"
DTLS, SDES = "+15550100011", "+15550100012"
DTLS_ID, SDES_ID = "100000000000011", "100000000000012"
AUTHED, AUTHED_ID, AUTHED_PASSWORD = "+15550100013", "100000000000013", "meta-inbound-secret"
TONE = 1000
BOTH = [(DTLS, "alice", DTLS_ID), (SDES, "carol", SDES_ID)]  # each number and the phone it rings

NUMBERS = f"""
[dtls]
type = number
phone_number_id = {DTLS_ID}
business_number = {DTLS}
signaling = sip
sip_domain = {DOMAIN}
srtp = dtls
sip_source_networks = 127.0.0.1/32
inbound_target = user:alice

[sdes]
type = number
phone_number_id = {SDES_ID}
business_number = {SDES}
signaling = sip
sip_domain = {DOMAIN}
srtp = sdes
sip_source_networks = 127.0.0.1/32
inbound_target = user:carol

[authed]
type = number
phone_number_id = {AUTHED_ID}
business_number = {AUTHED}
signaling = sip
sip_domain = {DOMAIN}
sip_password = {AUTHED_PASSWORD}
sip_source_networks = 127.0.0.1/32
sip_inbound_auth = yes
inbound_target = user:alice
"""


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def certificates(tmp):
    """A test CA, and wagate's certificate from it naming the SIP domain (and 127.0.0.1)."""
    ca_key, ca = tmp / "ca-key.pem", tmp / "ca.pem"
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            str(ca_key), "-out", str(ca), "-days", "2", "-subj", "/CN=wagate test CA",
            "-addext", "basicConstraints=critical,CA:TRUE")
    key, csr, cert = tmp / "gw-key.pem", tmp / "gw.csr", tmp / "gw.pem"
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key),
            "-out", str(csr), "-subj", f"/CN={DOMAIN}")
    extensions = tmp / "gw.ext"
    extensions.write_text(f"subjectAltName=DNS:{DOMAIN},IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
            "-out", str(cert), "-days", "2", "-extfile", str(extensions))
    return ca, cert, key


class Simulator(Sandbox):
    """The sandbox gateway's simulator, through its control API."""

    def call(self, business):
        return self.request("POST", f"/control/users/{USER}/sip_call", {"business_number": business, "name": "Ana"})

    def get(self, wacid):
        return self.request("GET", f"/control/calls/{wacid}")

    def wait(self, wacid, predicate, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            call = self.get(wacid)
            if predicate(call):
                return call
            time.sleep(0.05)
        raise AssertionError(f"call {wacid} never got there: {self.get(wacid)}")


class Phone(DeskPhone):
    """A registered phone that also takes calls: it answers each new INVITE with
    180 and then what `behaviour` says ("answer", "busy", "decline", "ring")."""

    def __init__(self, gw, user, password, behaviour="answer"):
        self.behaviour = behaviour
        self.incoming = []  # Dialogs of the INVITEs received, in order
        self.answered_at = {}
        super().__init__(gw, user, password, TONE)
        self.register()

    def unregister_and_stop(self):
        """Removes the phone's binding, so the next test's phone is the only one that rings."""
        ruri = f"sip:127.0.0.1:{self.gw.sip_port}"
        try:
            self.transaction("REGISTER", ruri, uuid.uuid4().hex, 1, "unreg", f"<sip:{self.user}@127.0.0.1>",
                             "Expires: 0\r\n")
        finally:
            self.stop()
            time.sleep(0.25)  # the signalling thread's last read times out
            self.sock.close()

    def _ok(self, request, source):
        method = request.split(" ", 1)[0]
        if method == "INVITE" and tag(header(request, "To")) is None:
            self._incoming(request, source)
        elif method == "CANCEL":
            self._reply(request, source, "200 OK")
            invite = next((d for d in self.incoming if d.call_id == header(request, "Call-ID")), None)
            if invite is not None:
                self._reply(invite.invite, source, "487 Request Terminated", to_tag=invite.from_tag)
        else:
            super()._ok(request, source)

    def _reply(self, request, source, status, to_tag=None, body=""):
        lines = [f"SIP/2.0 {status}"]
        for name in ("Via", "Record-Route", "From", "To", "Call-ID", "CSeq"):
            for value in re.findall(rf"^{name}:\s*(.*)$", request, re.M | re.I):
                value = value.strip()
                if name == "To" and to_tag and ";tag=" not in value:
                    value += f";tag={to_tag}"
                lines.append(f"{name}: {value}")
        lines.append(f"Contact: <sip:{self.user}@127.0.0.1:{self.port}>")
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body)}")
        self.sock.sendto(("\r\n".join(lines) + "\r\n\r\n" + body).encode(), source)

    def _incoming(self, invite, source):
        caller = re.search(r"<([^>]+)>", header(invite, "From")).group(1)
        dialog = Dialog(header(invite, "Call-ID"), caller, "p" + uuid.uuid4().hex[:8])
        dialog.invite, dialog.to_tag = invite, tag(header(invite, "From"))
        dialog.remote_target = re.search(r"<([^>]+)>", header(invite, "Contact")).group(1)
        self.incoming.append(dialog)
        self._reply(invite, source, "180 Ringing", to_tag=dialog.from_tag)
        if self.behaviour == "busy":
            self._reply(invite, source, "486 Busy Here", to_tag=dialog.from_tag)
        elif self.behaviour == "decline":
            self._reply(invite, source, "603 Decline", to_tag=dialog.from_tag)
        elif self.behaviour == "answer":
            self.answer(dialog, source)

    def answer(self, dialog, source=None):
        sdp = dialog.invite.split("\r\n\r\n", 1)[1]
        dialog.media = (re.search(r"^c=IN IP4 (\S+)", sdp, re.M).group(1),
                        int(re.search(r"^m=audio (\d+)", sdp, re.M).group(1)))
        threading.Thread(target=self._receive, args=(dialog,), daemon=True).start()
        self.target = dialog
        body = ("v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                f"m=audio {dialog.rtp_port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n")
        self.answered_at[dialog.call_id] = time.time()
        self._reply(dialog.invite, source or self.server, "200 OK", to_tag=dialog.from_tag, body=body)

    def _send(self, method, ruri, call_id, cseq, from_tag, to, extra="", body=""):
        # Requests in a dialog the phone answered go From its own To.
        dialog = next((d for d in self.incoming if d.call_id == call_id), None)
        if dialog is None or method == "ACK":
            return super()._send(method, ruri, call_id, cseq, from_tag, to, extra, body)
        branch = "z9hG4bK" + uuid.uuid4().hex
        message = (f"{method} {ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch};rport\r\n"
                   f"Max-Forwards: 70\r\nFrom: {header(dialog.invite, 'To')};tag={from_tag}\r\n"
                   f"To: {header(dialog.invite, 'From')}\r\nCall-ID: {call_id}\r\nCSeq: {cseq} {method}\r\n"
                   f"Content-Length: 0\r\n\r\n")
        self.sock.sendto(message.encode(), self.server)

    def ringing(self, timeout=15):
        deadline = time.time() + timeout
        while not self.incoming:
            assert time.time() < deadline, f"the phone {self.user} never rang"
            time.sleep(0.02)
        return self.incoming[-1]

    def first_heard(self, dialog, frequency, timeout=5):
        """Seconds from the 200 until the phone hears `frequency` (its own tone, echoed by the user)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            heard = self.heard(dialog, seconds=0.5)
            if heard is not None and abs(heard - frequency) < 40:
                return time.time() - self.answered_at[dialog.call_id]
            time.sleep(0.02)
        raise AssertionError(f"the phone never heard {frequency} Hz: {self.heard(dialog)}")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """One sandbox gateway for the module: a TLS listener whose certificate names
    the SIP domain, and the two SIP-mode numbers; the simulated user echoes."""
    tmp = tmp_path_factory.mktemp("e2ein")
    ca, cert, key = certificates(tmp)
    http_port = free_port(socket.SOCK_STREAM, both=False)
    sip_port = free_port(socket.SOCK_STREAM, both=False)
    gw = Gateway(tmp, tls=(cert, key), extra_sections=NUMBERS,
                 whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{http_port}\n"
                          f"simulator_sip_listen = 127.0.0.1:{sip_port}\nsimulator_media = echo\n")
    held = set(conftest._handed_out)
    try:
        yield gw, Simulator(http_port), ca, held
    finally:
        gw.stop()


@pytest.fixture
def gateway(sandbox):
    """The module's gateway, its ports kept out of this test's free ports."""
    gw, sim, ca, held = sandbox
    conftest._handed_out.update(held)
    gw.wait_for_log("SIP listening")
    return gw, sim, ca


@pytest.fixture
def phones(gateway):
    gw = gateway[0]
    made = []

    def make(user, behaviour="answer"):
        phone = Phone(gw, user, f"{user}-secret", behaviour)
        made.append(phone)
        return phone

    yield make
    for phone in made:
        phone.unregister_and_stop()


def cdr(gw, wacid):
    out = subprocess.run([str(WAGATE), "calls", "--config", str(gw.config), "--json"], capture_output=True,
                         text=True, timeout=20).stdout
    records = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    found = [record for record in records if wacid in json.dumps(record)]
    return found[0] if found else None


def wait_for_cdr(gw, wacid, predicate=lambda record: record.get("endAt"), timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        record = cdr(gw, wacid)
        if record and predicate(record):
            return record
        time.sleep(0.2)
    raise AssertionError(f"no closed CDR for {wacid}: {cdr(gw, wacid)}")


def calls_active(gw, timeout=5):
    """The sum of wagate_calls_active, once it is zero or after `timeout`."""
    deadline = time.time() + timeout
    while True:
        text = urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5).read().decode()
        total = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                    if line.startswith("wagate_calls_active"))
        if total == 0 or time.time() > deadline:
            return total
        time.sleep(0.1)


# MARK: - Calls that are answered


@pytest.mark.parametrize("business, user, number_id", BOTH)
def test_user_call_rings_the_phone_with_audio_both_ways_and_the_phone_hangs_up(gateway, phones, business, user,
                                                                                 number_id):
    gw, sim, _ = gateway
    phone = phones(user)
    wacid = sim.call(business)["id"]
    dialog = phone.ringing()
    assert f"sip:+{USER}@" in header(dialog.invite, "From"), dialog.invite
    call = sim.wait(wacid, lambda c: c.get("state") == "accepted")
    assert call["sip"]["record_routes_echoed"] is True, call
    assert DOMAIN in call["sip"]["gateway_certificate_names"], call
    # The answer went out in a 183 first, so ICE and DTLS (or SDES media) start before the 200.
    assert call["sip"].get("early_sdp_status") == 183, call
    delay = phone.first_heard(dialog, TONE)
    print(f"{business}: the phone heard its tone echoed {delay:.2f} s after its 200")
    assert delay < 1.5, delay
    media = sim.request("GET", f"/control/calls/{wacid}/media")
    assert media["live"] and media["packets_received"] > 20 and media["srtp_failures"] == 0, media
    # The phone hangs up: Meta gets a BYE, the CDR closes as ended by the business.
    assert phone.in_dialog(dialog, "BYE") == 200
    sim.wait(wacid, lambda c: c.get("state") == "ended")
    record = wait_for_cdr(gw, wacid)
    assert record.get("phoneNumberID") == number_id and record.get("direction") == "inbound", record
    assert record.get("endedBy") == "sip" and record.get("endAt"), record


@pytest.mark.parametrize("business, user, number_id", BOTH)
def test_user_hangs_up_and_the_phone_gets_bye(gateway, phones, business, user, number_id):
    gw, sim, _ = gateway
    phone = phones(user)
    wacid = sim.call(business)["id"]
    dialog = phone.ringing()
    sim.wait(wacid, lambda c: c.get("state") == "accepted")
    phone.first_heard(dialog, TONE)
    sim.request("POST", f"/control/calls/{wacid}/hangup")
    phone.received("BYE", dialog.call_id, timeout=10)
    record = wait_for_cdr(gw, wacid)
    assert record.get("endedBy") == "whatsapp" and record.get("direction") == "inbound", record
    assert record.get("phoneNumberID") == number_id, record


# MARK: - Calls that are not answered


@pytest.mark.parametrize("business, user, number_id", BOTH)
def test_user_cancels_while_the_phone_rings(gateway, phones, business, user, number_id):
    gw, sim, _ = gateway
    phone = phones(user, behaviour="ring")
    wacid = sim.call(business)["id"]
    dialog = phone.ringing()
    sim.wait(wacid, lambda c: c.get("state") in ("ringing", "offered"))
    sim.request("POST", f"/control/calls/{wacid}/hangup")
    phone.received("CANCEL", dialog.call_id, timeout=10)
    call = sim.wait(wacid, lambda c: c.get("state") == "ended")
    assert call["sip"].get("final_status") == 487, call
    record = wait_for_cdr(gw, wacid)
    assert record.get("endedBy") == "whatsapp" and not record.get("answerAt"), record
    assert record.get("phoneNumberID") == number_id, record
    assert sim.request("GET", "/control/sip")["dialogs"] == 0
    assert calls_active(gw) == 0


@pytest.mark.parametrize("behaviour, business", [("busy", DTLS), ("decline", SDES)])
def test_the_phone_rejects_and_meta_gets_a_clean_final_response(gateway, phones, behaviour, business):
    gw, sim, _ = gateway
    phone = phones("alice" if business == DTLS else "carol", behaviour=behaviour)
    wacid = sim.call(business)["id"]
    phone.ringing()
    call = sim.wait(wacid, lambda c: c.get("state") == "ended")
    status = call["sip"].get("final_status")
    # wagate declines for the phone either way: the port to Meta carries no reason (603 Decline).
    assert status == 603, call
    record = wait_for_cdr(gw, wacid)
    assert record.get("direction") == "inbound" and not record.get("answerAt"), record


# MARK: - Security: only TLS from Meta's networks (and digest, when asked) rings


OFFER = (SIPP_DIR / "meta_uac_invite.xml").read_text().split("Content-Length: [len]\n\n", 1)[1].split("\n]]>")[0]


def meta_invite(business, transport, local, call_id, cseq=1, authorization=None):
    """An INVITE with every header Meta's carries, as anyone can write one."""
    body = (OFFER.replace("[media_port]", "40000").replace("[candidate_port]", "40000").replace("[media_ip_type]", "4")
            .replace("[media_ip]", "127.0.0.1").replace("\n", "\r\n"))
    lines = [f"INVITE sip:{business}@{DOMAIN};transport=tls SIP/2.0",
             f"Via: SIP/2.0/{transport} {local[0]}:{local[1]};branch=z9hG4bK{uuid.uuid4().hex}",
             f"Record-Route: <sip:{local[0]}:{local[1]};transport=tls;lr;wa=edge-1>",
             f"Record-Route: <sip:{local[0]}:{local[1]};transport=tls;lr;wa=edge-2>",
             "Max-Forwards: 70", f"From: <sip:+{USER}@wa.meta.vc>;tag=forged{cseq}", f"To: <sip:{business}@{DOMAIN}>",
             f"Call-ID: {call_id}", f"CSeq: {cseq} INVITE", f"Contact: <sip:+{USER}@{local[0]}:{local[1]};transport=tls>",
             "X-FB-External-Domain: wa.meta.vc", f"x-wa-meta-wacid: {call_id.split(':', 1)[1]}",
             "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS"]
    if authorization:
        lines.append(authorization)
    lines += ["Content-Type: application/sdp", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


class Client:
    """One connection (or UDP socket) to wagate, reading whole SIP messages."""

    def __init__(self, gw, transport, source="127.0.0.1", certificate=None):
        self.transport, self.buffer = transport, b""
        kind = socket.SOCK_DGRAM if transport == "UDP" else socket.SOCK_STREAM
        self.sock = socket.socket(socket.AF_INET, kind)
        self.sock.bind((source, 0))
        self.sock.settimeout(10)
        port = gw.tls_port if transport == "TLS" else gw.sip_port
        self.sock.connect(("127.0.0.1", port))
        if transport == "TLS":
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            if certificate:
                context.load_cert_chain(str(certificate[0]), str(certificate[1]))
            self.sock = context.wrap_socket(self.sock, server_hostname=DOMAIN)
        self.local = self.sock.getsockname()

    def send(self, data):
        self.sock.send(data)

    def read(self):
        while True:
            if self.transport == "UDP":
                return self.sock.recv(65535).decode()
            head, found, rest = self.buffer.partition(b"\r\n\r\n")
            if found:
                length = int(header(head.decode(), "Content-Length") or 0)
                if len(rest) >= length:
                    self.buffer = rest[length:]
                    return (head + b"\r\n\r\n" + rest[:length]).decode()
            chunk = self.sock.recv(65535)
            assert chunk, "wagate closed the connection"
            self.buffer += chunk

    def final(self):
        while True:
            message = self.read()
            if int(message.split()[1]) >= 200:
                return message

    def close(self):
        self.sock.close()


def ack(client, response, business):
    """The ACK of a failed INVITE (its own branch)."""
    lines = [f"ACK sip:{business}@{DOMAIN};transport=tls SIP/2.0", f"Via: {header(response, 'Via')}",
             "Max-Forwards: 70", f"From: {header(response, 'From')}", f"To: {header(response, 'To')}",
             f"Call-ID: {header(response, 'Call-ID')}", f"CSeq: {header(response, 'CSeq').split()[0]} ACK",
             "Content-Length: 0"]
    client.send(("\r\n".join(lines) + "\r\n\r\n").encode())


def refused(gw, phone, transport, source="127.0.0.1", certificate=None):
    """Sends a Meta-shaped INVITE for the DTLS number; returns wagate's final status. Nothing may ring."""
    client = Client(gw, transport, source, certificate)
    call_id = f"outgoing:wacid.forged{uuid.uuid4().hex[:12]}"
    try:
        client.send(meta_invite(DTLS, transport, client.local, call_id))
        response = client.final()
        ack(client, response, DTLS)
    finally:
        client.close()
    assert not phone.incoming, f"the phone rang for a {transport} INVITE from {source}"
    assert not [line for line in gw.logs().splitlines() if "INVITE from Meta" in line and call_id[9:] in line]
    return int(response.split()[1])


@pytest.mark.parametrize("transport, source", [("UDP", "127.0.0.1"), ("TCP", "127.0.0.1"), ("TLS", "127.0.0.2")])
def test_a_meta_shaped_invite_not_over_tls_from_metas_network_rings_nothing(gateway, phones, transport, source):
    gw = gateway[0]
    phone = phones("alice")
    status = refused(gw, phone, transport, source)
    # Judged as any unknown source: challenged for credentials it cannot have.
    print(f"{transport} from {source}: {status}")
    assert status in (401, 407, 403), status


def test_a_client_certificate_is_no_evidence_of_meta(gateway, phones, tmp_path):
    """Meta does no mutual TLS, so a certificate a client presents proves nothing:
    one claiming wa.meta.vc from outside Meta's networks rings nothing."""
    gw = gateway[0]
    key, cert = tmp_path / "rogue-key.pem", tmp_path / "rogue.pem"
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key),
            "-out", str(cert), "-days", "2", "-subj", "/CN=wa.meta.vc", "-addext", "subjectAltName=DNS:wa.meta.vc")
    phone = phones("alice")
    assert refused(gw, phone, "TLS", "127.0.0.2", certificate=(cert, key)) in (401, 407, 403)


def digest_header(challenge, method, uri, username, password):
    import hashlib
    fields = dict(re.findall(r'(\w+)="?([^",]+)"?', challenge))
    algorithm = fields.get("algorithm", "MD5")
    hash_ = (lambda t: hashlib.sha256(t.encode()).hexdigest()) if algorithm.upper().startswith("SHA-256") \
        else (lambda t: hashlib.md5(t.encode()).hexdigest())
    ha1, ha2 = hash_(f"{username}:{fields['realm']}:{password}"), hash_(f"{method}:{uri}")
    cnonce, nc = "0a4f113b", "00000001"
    if "qop" in fields:
        response = hash_(f"{ha1}:{fields['nonce']}:{nc}:{cnonce}:auth:{ha2}")
        extra = f", qop=auth, nc={nc}, cnonce=\"{cnonce}\""
    else:
        response, extra = hash_(f"{ha1}:{fields['nonce']}:{ha2}"), ""
    opaque = f', opaque="{fields["opaque"]}"' if "opaque" in fields else ""
    return (f'Digest username="{username}", realm="{fields["realm"]}", nonce="{fields["nonce"]}", uri="{uri}", '
            f'response="{response}", algorithm={algorithm}{extra}{opaque}')


def authed_attempt(gw, password):
    """Meta's INVITE to the number with sip_inbound_auth, answering the challenge with `password`."""
    client = Client(gw, "TLS")
    call_id = f"outgoing:wacid.auth{uuid.uuid4().hex[:12]}"
    try:
        client.send(meta_invite(AUTHED, "TLS", client.local, call_id))
        challenge = client.final()
        ack(client, challenge, AUTHED)
        status = int(challenge.split()[1])
        assert status in (401, 407), challenge
        name = "WWW-Authenticate" if status == 401 else "Proxy-Authenticate"
        value = digest_header(header(challenge, name), "INVITE", f"sip:{AUTHED}@{DOMAIN};transport=tls",
                              AUTHED[1:], password)
        answer = "Authorization" if status == 401 else "Proxy-Authorization"
        client.send(meta_invite(AUTHED, "TLS", client.local, call_id, cseq=2, authorization=f"{answer}: {value}"))
        response = client.final()
        ack(client, response, AUTHED)
        return int(response.split()[1])
    finally:
        client.close()


def test_inbound_auth_with_a_wrong_digest_rings_nothing_and_the_right_one_rings(gateway, phones):
    gw = gateway[0]
    phone = phones("alice", behaviour="decline")
    assert authed_attempt(gw, "not-the-password") in (401, 403, 407)
    assert not phone.incoming, "a wrong digest rang the phone"
    # The same INVITE with the right password is Meta's: it rings, and the phone's 603 goes back.
    assert authed_attempt(gw, AUTHED_PASSWORD) == 603
    assert phone.incoming


# MARK: - SIPp as Meta, over the TLS relay


def test_sipp_plays_metas_invite_and_bye_through_the_tls_relay(gateway, phones, tmp_path):
    gw, sim, ca = gateway
    phone = phones("alice")
    meta_side = TLSRelay.server(free_port(socket.SOCK_STREAM, both=False), (ca.parent / "gw.pem", ca.parent / "gw-key.pem"))
    relay = TLSRelay.client(gw.tls_port, ca=ca)
    try:
        code, out = conftest.sipp(gw, "meta_uac_invite.xml", service=DTLS, relay=relay, tmp=tmp_path,
                                  extra=["-key", "meta_port", str(meta_side.port), "-key", "caller", USER,
                                         "-key", "candidate_port", str(free_port()),
                                         "-cid_str", "outgoing:wacid.HBgL%u%p"])
    finally:
        relay.close()
        meta_side.close()
    trace = "".join(path.read_text() for path in tmp_path.glob("meta_uac_invite_*_messages.log"))
    assert code == 0, out + trace + gw.logs()[-4000:]
    assert phone.incoming and f"sip:+{USER}@" in header(phone.incoming[-1].invite, "From")
    phone.received("BYE", phone.incoming[-1].call_id, timeout=10)
    assert [each["peer_names"] for each in relay.handshakes][0][0] in (DOMAIN, "127.0.0.1")


# MARK: - Meta offering 100rel: a reliable 183, PRACKed, before the 200


def in_dialog_request(method, response, local, cseq, extra=""):
    """A request in the dialog `response` (to Meta's INVITE) set up, along its Record-Routes."""
    target = re.search(r"<([^>]+)>", header(response, "Contact")).group(1)
    routes = re.findall(r"^Record-Route:\s*(.*)$", response, re.M | re.I)
    lines = [f"{method} {target} SIP/2.0", f"Via: SIP/2.0/TLS {local[0]}:{local[1]};branch=z9hG4bK{uuid.uuid4().hex}",
             *[f"Route: {route.strip()}" for route in reversed(routes)], "Max-Forwards: 70",
             f"From: {header(response, 'From')}", f"To: {header(response, 'To')}",
             f"Call-ID: {header(response, 'Call-ID')}", f"CSeq: {cseq} {method}", *([extra] if extra else []),
             "Content-Length: 0"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_meta_offering_100rel_gets_a_reliable_183_and_its_prack_is_answered(gateway, phones):
    gw = gateway[0]
    phone = phones("alice", behaviour="ring")
    client = Client(gw, "TLS")
    call_id = f"outgoing:wacid.rel{uuid.uuid4().hex[:12]}"
    try:
        invite = meta_invite(DTLS, "TLS", client.local, call_id).replace(b"Allow:", b"Supported: 100rel\r\nAllow:", 1)
        client.send(invite)
        dialog = phone.ringing()
        session = client.read()
        while not session.startswith("SIP/2.0 183"):
            assert int(session.split()[1]) < 200, session
            session = client.read()
        assert re.search(r"^Require:.*100rel", session, re.M | re.I) and header(session, "RSeq"), session
        assert "a=fingerprint:" in session and "a=setup:active" in session, session
        rack = f"RAck: {header(session, 'RSeq')} 1 INVITE"
        client.send(in_dialog_request("PRACK", session, client.local, 2, rack))
        prack = client.read()
        assert prack.startswith("SIP/2.0 200") and "PRACK" in header(prack, "CSeq"), prack
        # The phone answers: the 200 carries the same answer and both Record-Routes.
        phone.answer(dialog)
        answer = client.final()
        assert answer.startswith("SIP/2.0 200") and "INVITE" in header(answer, "CSeq"), answer
        assert answer.split("\r\n\r\n", 1)[1] == session.split("\r\n\r\n", 1)[1]
        assert len(re.findall(r"^Record-Route:", answer, re.M | re.I)) == 2, answer
        ack_ = in_dialog_request("ACK", answer, client.local, 1)
        client.send(ack_)
        client.send(in_dialog_request("BYE", answer, client.local, 3, "x-wa-meta-call-duration: 1"))
        assert client.read().startswith("SIP/2.0 200")
        phone.received("BYE", dialog.call_id, timeout=10)
    finally:
        client.close()
    assert calls_active(gw) == 0


# MARK: - Client certificates: Meta presents none


def test_asking_tls_clients_for_a_certificate_is_refused_with_sip_mode_numbers(gateway, tmp_path):
    """Meta does no mutual TLS: with tls_verify = client its handshake would fail
    and no call would arrive, so the configuration is refused (check-config and start)."""
    gw, _, ca = gateway
    text = gw.config.read_text()
    text = text.replace("tls_private_key = ", f"tls_verify = client\ntls_ca_file = {ca}\ntls_private_key = ", 1)
    config = tmp_path / "sip.conf"
    config.write_text(text)
    checked = subprocess.run([str(WAGATE), "check-config", str(config)], capture_output=True, text=True, timeout=20)
    assert checked.returncode != 0, checked.stdout + checked.stderr
    assert "Meta does no mutual TLS" in checked.stdout + checked.stderr and "[dtls]" in checked.stdout + checked.stderr
