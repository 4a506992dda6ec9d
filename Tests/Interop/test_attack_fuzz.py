"""Attack: the committed fuzz corpora (Fuzz/corpus, Fuzz/regressions), sent as
raw datagrams and as one TCP stream at a real wagate. The SIP inputs are the
minimised set libFuzzer kept for reaching new code in sofia's parser and
wagate's reader; the other corpora (SDP, STUN, RTP/RTCP, DTLS) are junk to a
SIP socket. The gateway must stay up and still answer an OPTIONS afterwards."""
import socket
import time
import uuid
from pathlib import Path

from conftest import ROOT

CORPORA = ROOT / "Fuzz"


def corpus(*targets):
    """Every input of the named targets, corpus and regressions, in a stable order."""
    files = []
    for target in targets:
        for folder in (CORPORA / "corpus" / target, CORPORA / "regressions" / target):
            if folder.is_dir():
                files += sorted(p for p in folder.iterdir() if p.is_file())
    return [p.read_bytes() for p in files]


def options(gw, timeout=10):
    """Sends an OPTIONS from a fresh socket; returns the status line of its response."""
    call_id = f"{uuid.uuid4()}@fuzz"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        msg = (f"OPTIONS sip:127.0.0.1:{gw.sip_port} SIP/2.0\r\n"
               f"Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-{uuid.uuid4().hex}\r\n"
               f"From: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: {call_id}\r\n"
               "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode()
        deadline = time.time() + timeout
        s.sendto(msg, ("127.0.0.1", gw.sip_port))
        while time.time() < deadline:
            s.settimeout(max(0.01, min(0.5, deadline - time.time())))
            try:
                data, _ = s.recvfrom(65536)
            except socket.timeout:
                s.sendto(msg, ("127.0.0.1", gw.sip_port))  # UDP: retransmit as a UA would
                continue
            if call_id.encode() in data:
                return data.split(b"\r\n", 1)[0].decode(errors="replace")
    raise AssertionError("no response to OPTIONS")


def spray_then_expect_200(gateway, inputs):
    """Sends each input as one UDP datagram, then checks the gateway still answers OPTIONS."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        for data in inputs:
            s.sendto(data[:65507], ("127.0.0.1", gateway.sip_port))
    assert options(gateway).startswith("SIP/2.0 200")
    assert gateway.proc.poll() is None


def test_sip_fuzz_corpus_over_udp_leaves_the_gateway_answering(gateway):
    inputs = corpus("sip")
    assert len(inputs) > 50
    spray_then_expect_200(gateway, inputs)


def test_other_corpora_as_junk_to_the_sip_port_are_dropped(gateway):
    spray_then_expect_200(gateway, corpus("sdp", "stun", "rtp", "dtls", "dtmf", "webhook", "config"))


def test_sip_fuzz_corpus_as_one_tcp_stream_leaves_the_gateway_answering(gateway):
    with socket.create_connection(("127.0.0.1", gateway.sip_port), timeout=5) as c:
        for data in corpus("sip"):
            try:
                c.sendall(data)
            except OSError:
                break  # sofia closed the connection on a framing error: the designed outcome
    assert options(gateway).startswith("SIP/2.0 200")
    assert gateway.proc.poll() is None
