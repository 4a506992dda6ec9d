"""SIPp as Meta's SIP servers for a business-initiated call, over TLS.

Debian's SIPp has no working TLS, so it speaks TCP behind `tls_relay.TLSRelay`
(the TLS server wagate connects to, its certificate checked with
`tls_verify = server`). The scenario (`sipp/meta_uas_407.xml`) answers the first
INVITE with Meta's 407 carrying a SHA-256 and an MD5 challenge, checks the shape
of the authorised INVITE, rings, answers with an ICE-lite SDP, and after a
second hangs up with Meta's BYE. SIPp verifies digest in MD5 only, so this test
recomputes the SHA-256 response from the message trace with the known password
and checks that the digest `uri` is the Request-URI byte for byte. SIPp does no
ICE, so the call carries no audio: this is the signalling check against an
independent SIP stack; audio is checked against the simulator's SIP-mode Meta
(test_e2eout_sipmode.py)."""
import hashlib
import re
import socket
import subprocess
import threading

from baresip_peer import run_call
from conftest import SIPP_DIR, WHATSAPP_USER, free_port
from sipp_builder import run_uas
from tls_relay import TLSRelay

DOMAIN = "sip.example.test"
PASSWORD = "meta-sip-pass-1"


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def self_signed(tmp, name, subject, san=None):
    cert, key = tmp / f"{name}.pem", tmp / f"{name}.key"
    extra = ["-addext", f"subjectAltName={san}"] if san else []
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key),
            "-out", str(cert), "-days", "2", "-subj", subject, *extra)
    return cert, key


def header(message, name):
    match = re.search(rf"^{name}:\s*(.*?)\r?$", message, re.MULTILINE | re.IGNORECASE)
    return match.group(1) if match else None


def digest_params(value):
    return {key.lower(): (quoted if quoted else bare)
            for key, quoted, bare in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]+))', value)}


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def test_sipp_as_meta_challenges_with_sha256_answers_and_hangs_up(e2e, tmp_path):
    # Meta's certificate names the address wagate connects to (sofia matches the CN
    # of a certificate without subjectAltName DNS entries, and never IP entries).
    meta_cert = self_signed(tmp_path, "meta", "/CN=127.0.0.1")
    gateway_cert = self_signed(tmp_path, "gateway", f"/CN={DOMAIN}", f"DNS:{DOMAIN}")
    sipp_port = free_port(socket.SOCK_STREAM, both=False)
    relay = TLSRelay.server(sipp_port, meta_cert)
    try:
        gw, _ = e2e(tls=gateway_cert, general=f"tls_verify = server\ntls_ca_file = {meta_cert[0]}\n",
                    whatsapp_extra=(f"signaling = sip\nsip_domain = {DOMAIN}\nsip_host = 127.0.0.1\n"
                                    f"sip_port = {relay.port}\nsip_password = {PASSWORD}\n"
                                    "sip_source_networks = 127.0.0.1/32\n"))
        phone = {}

        def dial():
            def call():
                phone["out"] = run_call(tmp_path / "phone", f"sip:alice@127.0.0.1:{gw.sip_port};auth_pass=alice-secret",
                                        f"sip:+{WHATSAPP_USER}@127.0.0.1:{gw.sip_port}", seconds=6)
            threading.Thread(target=call, daemon=True).start()

        code, out = run_uas(SIPP_DIR / "meta_uas_407.xml", sipp_port, tmp_path, dial, tcp=True,
                            extra=("-key", "relay_port", str(relay.port), "-key", "candidate_port", str(free_port())))
        assert code == 0, out[:3000] + out[-3000:] + gw.logs()[-2000:]
        assert relay.handshakes, "wagate never completed a TLS handshake with Meta's relay"

        invites = re.findall(r"^(INVITE sip:.*?)(?=^\S+ sip:|\Z|^-{5})", out, re.MULTILINE | re.DOTALL)
        authorised = next(message for message in invites if header(message, "Proxy-Authorization"))
        request_uri = authorised.split(" ")[1]
        assert request_uri == f"sip:+{WHATSAPP_USER}@127.0.0.1:{relay.port};transport=tls", request_uri
        auth = digest_params(header(authorised, "Proxy-Authorization"))
        assert auth["algorithm"] == "SHA-256" and auth["realm"] == "wa.meta.vc"
        assert auth["uri"] == request_uri
        assert auth["username"] == "15550001111"
        ha1 = sha256(f"{auth['username']}:{auth['realm']}:{PASSWORD}")
        ha2 = sha256(f"INVITE:{auth['uri']}")
        expected = sha256(f"{ha1}:{auth['nonce']}:{auth['nc']}:{auth['cnonce']}:{auth['qop']}:{ha2}")
        assert auth["response"] == expected
        assert PASSWORD not in gw.logs()
        gw.wait_for_log("Meta answered the INVITE")
    finally:
        relay.close()
