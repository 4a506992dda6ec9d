"""SIPp over TLS against a real wagate, the way the SIP-mode scenarios
(Meta's servers speak TLS only) run: SIPp speaks TCP and a `TLSRelay` carries
each of its connections over TLS (why SIPp's own TLS is not used: tls_relay.py).

- As a phone: SIPp calls the echo test through wagate's TLS listener, checking
  wagate's certificate; its Via says TLS and wagate's 200 comes back on the
  same TLS connection.
- As a trunk: wagate reaches SIPp over TLS with `tls_verify = server`, rings
  it with a WhatsApp user's call, SIPp answers and hangs up.

The certificate is made by the test: self-signed for 127.0.0.1, so it is also
the CA file each side checks the other with."""
import re
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import SIPP_DIR, free_port, sipp, sipp_media_port
from sipp_builder import run_uas
from tls_relay import TLSRelay

USER = "447700900123"


@pytest.fixture
def certificate(tmp_path):
    """A P-256 key and a self-signed certificate naming 127.0.0.1 (it is its own CA)."""
    key, cert = tmp_path / "tls-key.pem", tmp_path / "tls-cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE"],
                   check=True, capture_output=True)
    return cert, key


def messages(trace, direction, start):
    """The messages of a SIPp `-trace_msg` log sent or received (`direction`) whose first line starts with `start`."""
    found = []
    for block in re.split(r"(?:^|\n)-{5,}[^\n]*\n", trace):
        match = re.search(r"(?:UDP|TCP|TLS)? ?message (sent|received)[^\n]*\n+([^\n]*)", block)
        if match and match.group(1) == direction and match.group(2).startswith(start):
            found.append(block)
    return found


def test_sipp_phone_over_tls_calls_the_echo_test(make_gateway, tmp_path, certificate):
    gw = make_gateway(tls=certificate)
    # The echo scenario as a TLS phone writes it: SIPp's [transport] would say TCP.
    scenario = tmp_path / "tls_echo_call.xml"
    scenario.write_text((SIPP_DIR / "echo_call.xml").read_text().replace("SIP/2.0/[transport]", "SIP/2.0/TLS"))
    relay = TLSRelay.client(gw.tls_port, ca=certificate[0])
    try:
        code, out = sipp(gw, scenario, relay=relay, tmp=tmp_path)
    finally:
        relay.close()
    trace = "".join(path.read_text() for path in tmp_path.glob("tls_echo_call_*_messages.log"))
    assert code == 0, out + trace + "\n".join(relay.errors) + gw.logs()[-3000:]
    # One TLS connection, to wagate's TLS port, whose certificate names 127.0.0.1 and chains to the CA file.
    assert [(each["version"][:5], each["peer_names"]) for each in relay.handshakes] == [("TLSv1", ["127.0.0.1"])]
    invites = messages(trace, "sent", "INVITE")
    answers = [block for block in messages(trace, "received", "SIP/2.0 200") if "INVITE" in block]
    assert len(invites) == 2 and all("Via: SIP/2.0/TLS " in block for block in invites), trace
    assert answers and "Via: SIP/2.0/TLS " in answers[0], "wagate answered on the TLS connection\n" + trace
    gw.wait_for_log("direction=echo")


def test_wagate_calls_a_sipp_trunk_over_verified_tls(e2e, tmp_path, certificate):
    sipp_port = free_port(socket.SOCK_STREAM, both=False)
    relay = TLSRelay.server(sipp_port, certificate)
    try:
        gw, meta = e2e(tls=certificate, general=f"tls_verify = server\ntls_ca_file = {certificate[0]}\n",
                       inbound="[inbound]\ntarget = trunk:pbx\nring_timeout = 10\n",
                       sections=f"[pbx]\ntype = trunk\nhost = 127.0.0.1\nport = {relay.port}\ntransport = tls\n"
                                "match = 127.0.0.1/32\nallow = +*\n")
        code, out = run_uas(Path(SIPP_DIR) / "tls_trunk_answer_bye.xml", sipp_port, tmp_path,
                            lambda: meta.post(f"/control/users/{USER}/call", {"name": "TLS"}),
                            tcp=True, extra=["-key", "relay_port", str(relay.port), "-mp", str(sipp_media_port())])
        assert code == 0, out + "\n".join(relay.errors) + gw.logs()[-3000:]
        invites = messages(out, "received", "INVITE")
        assert invites and "Via: SIP/2.0/TLS " in invites[0], "wagate sent the INVITE over TLS\n" + out
        # wagate reached the relay's TLS port: that is the only way to SIPp.
        assert relay.handshakes and all(each["version"].startswith("TLSv1.") for each in relay.handshakes)
        call = meta.wait_for_state(meta.calls()[0]["id"], "ended")
        assert call.get("business_sdp"), call
    finally:
        relay.close()
