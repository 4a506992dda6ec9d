"""TLS peers with good and bad certificates against a real wagate with
`tls_verify` on. A CA, certificates it signed (right and wrong names) and a
certificate from a rogue CA are made with openssl in the test's directory; the
peers are Python `ssl` sockets on 127.0.0.1. Outgoing, wagate sends a trunk its
INVITE only when the trunk's certificate chains to the CA and names the trunk's
host; incoming, a peer without a client certificate from the CA is refused in
the handshake."""
import json
import random
import socket
import ssl
import subprocess
import threading
import urllib.request

import pytest

from conftest import free_port


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def issue(tmp, name, subject_alt, ca=None):
    """A P-256 key and certificate `name`.pem signed by `ca` (a (cert, key) pair), else self-signed."""
    key, cert, csr = tmp / f"{name}.key", tmp / f"{name}.pem", tmp / f"{name}.csr"
    cn = subject_alt.split(":", 1)[1].split(",")[0]
    if ca is None:
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={cn}",
                "-addext", f"subjectAltName={subject_alt}", "-addext", "basicConstraints=critical,CA:TRUE")
        return cert, key
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", str(key), "-out", str(csr), "-subj", f"/CN={cn}")
    ext = tmp / f"{name}.ext"
    ext.write_text(f"subjectAltName={subject_alt}\nbasicConstraints=CA:FALSE\n")
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca[0]), "-CAkey", str(ca[1]), "-CAcreateserial",
            "-out", str(cert), "-days", "2", "-extfile", str(ext))
    return cert, key


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pki")
    ca = issue(tmp, "ca", "DNS:wagate-test-ca")
    rogue = issue(tmp, "rogue", "IP:127.0.0.1")  # self-signed: right name, wrong CA
    return {
        "ca": ca,
        "gateway": issue(tmp, "gateway", "IP:127.0.0.1", ca),
        "trunk": issue(tmp, "trunk", "IP:127.0.0.1", ca),
        "wrong_name": issue(tmp, "wrong-name", "DNS:other.example", ca),
        "rogue": rogue,
    }


class TLSTrunk:
    """A TLS server playing a trunk: accepts one connection and records what arrives until the INVITE or EOF."""

    def __init__(self, cert, key):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(cert), str(key))
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.listener.settimeout(10)
        self.port = self.listener.getsockname()[1]
        self.received = b""
        self.outcome = None
        self.done = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        try:
            raw, _ = self.listener.accept()
        except OSError as error:
            self.outcome = f"no connection: {error}"
            self.done.set()
            return
        raw.settimeout(10)
        try:
            with self.context.wrap_socket(raw, server_side=True) as conn:
                while b"INVITE " not in self.received:
                    data = conn.recv(65535)
                    if not data:
                        self.outcome = "closed"
                        break
                    self.received += data
                else:
                    self.outcome = "invite"
        except (ssl.SSLError, OSError) as error:
            self.outcome = f"refused: {error}"
        self.done.set()

    def close(self):
        self.listener.close()


def whatsapp_call(simulator):
    body = json.dumps({"name": "Tess"}).encode()
    urllib.request.urlopen(urllib.request.Request(
        f"http://127.0.0.1:{simulator}/control/users/447700900123/call", data=body,
        headers={"Content-Type": "application/json"}, method="POST"), timeout=5).read()


def gateway_calling_trunk(make_gateway, pki, trunk, verify="server"):
    simulator = free_port(socket.SOCK_STREAM, both=False)
    return make_gateway(
        tls=pki["gateway"],
        extra_general=f"tls_verify = {verify}\n" + (f"tls_ca_file = {pki['ca'][0]}\n" if verify != "none" else ""),
        whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{simulator}\n",
        extra_sections=f"""
[pbx]
type = trunk
host = 127.0.0.1
port = {trunk.port}
transport = tls
match = 127.0.0.1/32
allow = +*
[inbound]
target = trunk:pbx
ring_timeout = 10
"""), simulator


@pytest.mark.parametrize("certificate, expected", [
    ("trunk", "invite"),
    ("wrong_name", "refused"),
    ("rogue", "refused"),
])
def test_outgoing_tls_trunk_gets_the_invite_only_with_a_verified_certificate(make_gateway, pki, certificate, expected):
    trunk = TLSTrunk(*pki[certificate])
    try:
        gw, simulator = gateway_calling_trunk(make_gateway, pki, trunk)
        whatsapp_call(simulator)
        assert trunk.done.wait(15), "wagate never connected"
        if expected == "invite":
            assert trunk.outcome == "invite", (trunk.outcome, gw.logs()[-3000:])
        else:
            assert trunk.outcome != "invite" and b"INVITE" not in trunk.received, (trunk.outcome, trunk.received)
            gw.wait_for_log("Peer Subject Mismatch" if certificate == "wrong_name" else "Error with certificate")
        assert gw.proc.poll() is None
        if expected != "invite":
            # Sofia closes the refused connection without failing the INVITE
            # queued on it: the transaction ends at the ring timeout or Timer B
            # (32 s), and nua_shutdown waits for it. What matters here is that
            # the INVITE never reached the peer, so the process is not drained.
            gw.proc.kill()
            gw.proc.wait()
    finally:
        trunk.close()


def tls_options(gw, client=None, ca=None):
    """An OPTIONS over TLS to wagate, presenting `client` (cert, key) if given; the status line or the failure."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if client:
        context.load_cert_chain(str(client[0]), str(client[1]))
    call_id = f"{random.getrandbits(64):x}@tls"
    try:
        with socket.create_connection(("127.0.0.1", gw.tls_port), timeout=5) as raw:
            with context.wrap_socket(raw) as conn:
                port = conn.getsockname()[1]
                conn.sendall((
                    f"OPTIONS sip:wagate@127.0.0.1:{gw.tls_port};transport=tls SIP/2.0\r\n"
                    f"Via: SIP/2.0/TLS 127.0.0.1:{port};branch=z9hG4bK{random.getrandbits(48):x};rport\r\n"
                    "Max-Forwards: 70\r\n"
                    f"From: <sip:probe@127.0.0.1>;tag={random.getrandbits(32):x}\r\n"
                    "To: <sip:wagate@127.0.0.1>\r\n"
                    f"Call-ID: {call_id}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").encode())
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65535)
                    if not chunk:
                        return "closed"
                    data += chunk
                return data.split(b"\r\n", 1)[0].decode()
    except (ssl.SSLError, OSError) as error:
        return f"refused: {error}"


def test_incoming_tls_needs_a_client_certificate_from_the_ca(make_gateway, pki):
    gw = make_gateway(tls=pki["gateway"],
                      extra_general=f"tls_verify = client\ntls_ca_file = {pki['ca'][0]}\n")
    assert tls_options(gw, pki["trunk"]) == "SIP/2.0 200 OK"
    assert not tls_options(gw).startswith("SIP/2.0"), "no client certificate was accepted"
    assert not tls_options(gw, pki["rogue"]).startswith("SIP/2.0"), "a rogue CA's certificate was accepted"
    assert tls_options(gw, pki["wrong_name"]) == "SIP/2.0 200 OK", "any name the CA signed is accepted"
    assert gw.proc.poll() is None


def test_incoming_tls_with_client_names_needs_one_of_them(make_gateway, pki):
    gw = make_gateway(tls=pki["gateway"],
                      extra_general=f"tls_verify = both\ntls_ca_file = {pki['ca'][0]}\n"
                                    "tls_client_names = 127.0.0.1, pbx.example\n")
    assert tls_options(gw, pki["trunk"]) == "SIP/2.0 200 OK"
    assert not tls_options(gw, pki["wrong_name"]).startswith("SIP/2.0"), "a name outside the list was accepted"
    assert gw.proc.poll() is None


@pytest.mark.parametrize("verify", ["none", "client"])
def test_without_server_verification_any_trunk_certificate_is_accepted(make_gateway, pki, verify):
    trunk = TLSTrunk(*pki["rogue"])
    try:
        gw, simulator = gateway_calling_trunk(make_gateway, pki, trunk, verify=verify)
        whatsapp_call(simulator)
        assert trunk.done.wait(15)
        assert trunk.outcome == "invite", trunk.outcome
    finally:
        trunk.close()
