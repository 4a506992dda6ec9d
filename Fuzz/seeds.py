#!/usr/bin/env python3
"""Writes the raw seed inputs for the libFuzzer harnesses into OUT/<target>/.

Seeds come from the repository's own captures and fixtures: the SIP messages of
the SIPp scenarios (Tests/Interop/sipp), the golden SDP files (Tests/SDPTests),
the RFC 5769 STUN vectors (Tests/STUNTests), the webhook and Graph JSON fixtures
(Tests/WhatsAppCloudTests), sip.conf.example and the config test fixtures, plus
a few hand-written packets (RTP/RTCP, DTLS records, DTMF INFO bodies, the
unsigned-long header values sofia hands over). `make fuzz-seed` minimises them
into Fuzz/corpus/<target>/ with libFuzzer's -merge=1.
"""
import hashlib
import pathlib
import re
import struct
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

SIPP_FIELDS = {
    "remote_ip": "127.0.0.1", "remote_port": "5060", "local_ip": "127.0.0.1", "local_port": "5070",
    "service": "alice", "pid": "4242", "call_number": "1", "call_id": "1-4242@127.0.0.1",
    "transport": "UDP", "branch": "z9hG4bK-4242-1-0", "peer_tag_param": ";tag=abc123",
    "media_port": "6000", "media_ip_type": "4", "media_ip": "127.0.0.1", "local_ip_type": "4",
    "next_url": "sip:alice@127.0.0.1:5070", "cseq": "1",
    "authentication": 'Authorization: Digest username="alice",realm="wagate",'
                      'nonce="MTc2NTAwMDAwMC4wOmFiY2Q",uri="sip:127.0.0.1:5060",'
                      'response="0123456789abcdef0123456789abcdef",algorithm=MD5,'
                      'qop=auth,nc=00000001,cnonce="deadbeef"',
}


def write(out, target, data):
    folder = out / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def sip_message(template):
    lines = template.strip("\n").split("\n")
    text = "\r\n".join(line.strip() for line in lines)
    head, _, body = text.partition("\r\n\r\n")
    head = re.sub(r"\[(\w+)(?: [^\]]*)?\]", lambda m: SIPP_FIELDS.get(m.group(1), m.group(0)), head)
    body = re.sub(r"\[(\w+)(?: [^\]]*)?\]", lambda m: SIPP_FIELDS.get(m.group(1), m.group(0)), body)
    body = body + "\r\n" if body else ""
    head = head.replace("[len]", str(len(body.encode())))
    head = re.sub(r"Content-Length: *\d+", f"Content-Length: {len(body.encode())}", head)
    return (head + "\r\n\r\n" + body).encode()


def sip_seeds(out):
    for xml in sorted((ROOT / "Tests/Interop/sipp").glob("*.xml")):
        for template in re.findall(r"<send[^>]*>\s*<!\[CDATA\[(.*?)\]\]>", xml.read_text(), re.S):
            write(out, "sip", sip_message(template))
    big = "18446744073709551615"
    for header in (f"Expires: {big}", f"Contact: <sip:alice@127.0.0.1:5070>;expires={big}",
                   f"CSeq: {big} REGISTER", "Content-Length: 99999999999"):
        msg = ("REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
               "From: <sip:alice@127.0.0.1>;tag=1\r\nTo: <sip:alice@127.0.0.1>\r\nCall-ID: big@x\r\n"
               "CSeq: 1 REGISTER\r\nContact: <sip:alice@127.0.0.1:5070>\r\n" + header + "\r\n\r\n")
        write(out, "sip", msg.encode())
    challenge = ("SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n"
                 "From: <sip:alice@127.0.0.1>;tag=1\r\nTo: <sip:alice@127.0.0.1>;tag=2\r\nCall-ID: c@x\r\n"
                 "CSeq: 1 INVITE\r\nWWW-Authenticate: Digest realm=\"trunk\", nonce=\"abc\", qop=\"auth\"\r\n"
                 "Content-Length: 0\r\n\r\n")
    write(out, "sip", challenge.encode())
    # Meta's shape: 407 with SHA-256 and MD5 challenges (the stronger is answered).
    meta = ("SIP/2.0 407 Proxy Authentication Required\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-2\r\n"
            "From: <sip:15550001111@example.com>;tag=1\r\nTo: <sip:+447700900123@wa.meta.vc>;tag=2\r\n"
            "Call-ID: m@x\r\nCSeq: 1 INVITE\r\n"
            "Proxy-Authenticate: Digest realm=\"wa.meta.vc\", nonce=\"n1\", opaque=\"o\", algorithm=SHA-256, qop=\"auth\"\r\n"
            "Proxy-Authenticate: Digest realm=\"wa.meta.vc\", nonce=\"n1\", algorithm=MD5-sess, qop=\"auth,auth-int\"\r\n"
            "Content-Length: 0\r\n\r\n")
    write(out, "sip", meta.encode())


def files(out, target, pattern_root, pattern):
    for path in sorted((ROOT / pattern_root).glob(pattern)):
        write(out, target, path.read_bytes())


def stun_seeds(out):
    source = (ROOT / "Tests/STUNTests/RFC5769Tests.swift").read_text()
    for block in re.findall(r"static let \w+: \[UInt8\] = \[(.*?)\]", source, re.S):
        write(out, "stun", bytes(int(x, 16) for x in re.findall(r"0x[0-9a-fA-F]{2}", block)))


def rtp_seeds(out):
    rtp = struct.pack("!BBHII", 0x80, 0, 1, 160, 0x11223344) + bytes([0xFF] * 160)
    ext = struct.pack("!BBHII", 0x90, 0x80 | 101, 2, 320, 0x11223344) + struct.pack("!HH", 0xBEDE, 1) + b"\x10\x01\x00\x00" + b"\x05\x0a\x00\xa0"
    padded = struct.pack("!BBHII", 0xA0, 8, 3, 480, 0x11223344) + b"\xd5" * 20 + b"\x00\x00\x00\x04"
    block = struct.pack("!IIIIII", 0x55667788, 0x01000002, 7, 3, 0x12345678, 0x00010000)
    sr = struct.pack("!BBHI", 0x81, 200, 12, 0x11223344) + struct.pack("!IIIII", 0xE0000000, 0, 160, 10, 1600) + block
    sdes_items = b"\x01\x05wagat" + b"\x00\x00"
    sdes = struct.pack("!BBHI", 0x81, 202, 1 + len(sdes_items) // 4, 0x11223344) + sdes_items
    bye = struct.pack("!BBHI", 0x81, 203, 3, 0x11223344) + b"\x03bye" + b"\x00" * 4
    rr = struct.pack("!BBHI", 0x81, 201, 7, 0x11223344) + block
    for seed in (rtp, ext, padded, sr + sdes, rr + sdes + bye, sr, rr):
        write(out, "rtp", seed)


def dtls_seeds(out):
    hello = struct.pack("!BHHHIH", 22, 0xFEFD, 0, 0, 0, 60) + bytes(60)
    alert = struct.pack("!BHHHIH", 21, 0xFEFD, 1, 0, 5, 2) + b"\x02\x28"
    appdata = struct.pack("!BHHHIH", 23, 0xFEFD, 1, 0, 6, 32) + bytes(range(32))
    write(out, "dtls", hello)
    write(out, "dtls", hello + alert + appdata)
    write(out, "dtls", alert[:7])
    write(out, "dtls", struct.pack("!BHHHIH", 22, 0xFEFD, 0, 0, 0, 0xFFFF) + bytes(4))
    # Captured from `openssl s_client -dtls1_2 -use_srtp` and `openssl s_server`.
    for path in sorted((ROOT / "Fuzz/captures").glob("dtls-*.bin")):
        write(out, "dtls", path.read_bytes())
        write(out, "stun", path.read_bytes())


def dtmf_seeds(out):
    # The first byte picks the content type (see FuzzDTMF.swift).
    for kind, body in ((0, "Signal=5\r\nDuration=160\r\n"), (0, "Signal= *\r\nDuration= 99999999999999999999\r\n"),
                       (0, "signal=#\nduration=-5\n"), (1, "7"), (2, "Signal=A\r\n"), (1, " D \r\n"), (3, "5")):
        write(out, "dtmf", bytes([kind]) + body.encode())


def graph_seeds(out):
    # The first byte picks the reader (see FuzzGraph.swift).
    fixtures = ROOT / "Tests/WhatsAppCloudTests/Fixtures"
    for kind, pattern in ((0, "error_*.json"), (1, "response_settings_*.json"), (2, "response_call_permissions*.json"),
                          (5, "response_connect.json"), (6, "response_message_sent.json")):
        for path in sorted(fixtures.glob(pattern)):
            write(out, "graph", bytes([kind]) + path.read_bytes())
    write(out, "graph", b"\x03" + b'{"data":[{"whatsapp_business_api_data":{"id":"1","name":"app"}}]}')
    write(out, "graph", b"\x04" + b'{"data":[{"object":"whatsapp_business_account","callback_url":"https://x/",'
                                   b'"active":true,"fields":[{"name":"calls","version":"v26.0"}]}]}')
    for text in (b"US.13491208655302741918", b"US.ENT.11815799212886844830", b"bob.example", b"us.1", b"A.B"):
        write(out, "graph", b"\x07" + text)


def agent_seeds(out):
    """The agent protocol's client frames as docs/web-agents.md shows them."""
    sdp = "v=0\\r\\no=- 1 1 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\nm=audio 9 UDP/TLS/RTP/SAVPF 111\\r\\n"
    frames = [
        '{"type":"login","v":1,"user":"alice","password":"s3cret","id":"1"}',
        '{"type":"login","v":1,"token":"tK7f3kq9w2m4x8c1zdAbCdEf","presence":"away"}',
        '{"type":"logout"}', '{"type":"ping","id":"p"}', '{"type":"candidate","candidate":"x"}',
        '{"type":"presence","status":"available","id":"2"}', '{"type":"history","limit":10,"id":"4"}',
        '{"type":"dial","to":"+447700900125","sdp":"%s","id":"2"}' % sdp,
        '{"type":"answer","call":"a-7f3kq9w2m4x8c1zd","sdp":"%s"}' % sdp,
        '{"type":"ringing","call":"a-7f3kq9w2m4x8c1zd"}', '{"type":"hangup","call":"a-1"}',
        '{"type":"reject","call":"a-1","reason":"busy"}',
        '{"type":"dtmf","call":"a-1","digits":"12#*AD","duration_ms":160}',
        '{"type":"hold","call":"a-1","on":true}', '{"type":"mute","call":"a-1","on":false}',
        '{"type":"transfer","call":"a-1","to":"bob","id":"9"}',
        '{"type":"transfer","call":"a-1","replaces":"a-2"}',
        '{"type":"permission.request","to":"+447700900125","id":"3"}',
    ]
    for frame in frames:
        write(out, "agent", frame.encode())
    write(out, "agent", b"https://phone.example.com\nphone.example.com\nwagate.agent.v1")


def refer_seeds(out):
    """Refer-To values: the first byte picks sofia's REFER (even) or the raw value (odd)."""
    values = [
        "<sip:bob@198.51.100.1>", "sip:2001@pbx.example.com;user=phone",
        '"Bob" <sip:bob@198.51.100.1;transport=tcp>;method=INVITE',
        "<sip:bob@198.51.100.1?Replaces=abc%40host%3Bto-tag%3D7743%3Bfrom-tag%3D6472>",
        "<sips:%2B441234567890@198.51.100.1?Replaces=c1%3Bfrom-tag%3Da%3Bto-tag%3Db%3Bearly-only&Require=replaces>",
        "<tel:+441234567890>", "<http://example.com/>",
        "abc@host;to-tag=7743;from-tag=6472;early-only",
    ]
    for value in values:
        write(out, "refer", b"\x00" + value.encode())
        write(out, "refer", b"\x01" + value.encode())


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "seeds")
    sip_seeds(out)
    files(out, "sdp", "Tests/SDPTests/Fixtures", "*.sdp")
    stun_seeds(out)
    rtp_seeds(out)
    dtls_seeds(out)
    dtmf_seeds(out)
    files(out, "webhook", "Tests/WhatsAppCloudTests/Fixtures", "webhook_*.json")
    graph_seeds(out)
    files(out, "config", ".", "sip.conf.example")
    # Each section of the example alone too: small inputs mutate and run faster.
    example = (ROOT / "sip.conf.example").read_text()
    for section in re.split(r"(?m)^(?=\[)", example):
        if section.strip():
            write(out, "config", section.encode())
    files(out, "config", "Tests/ConfigTests/Fixtures", "*.conf")
    agent_seeds(out)
    refer_seeds(out)
    for name in ("chrome-offer.sdp", "browser-offer.sdp", "chrome-offer-answer.sdp", "meta-offer.sdp"):
        write(out, "browsersdp", (ROOT / "Tests/SDPTests/Fixtures" / name).read_bytes())


if __name__ == "__main__":
    main()
