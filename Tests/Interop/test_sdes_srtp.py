"""wagate's SDES-keyed WhatsApp leg (the WebRTC probe's `answer-sdes` role,
the product's `.sdes` leg and `SDESSDP`) against a peer written here that
plays Meta's SIP interface with SDES: its offer is composed by hand (RTP/SAVP,
one AES_CM_128_HMAC_SHA1_80 line, PCMU and telephone-event, rtcp-mux), its keys
are read and written with Python's base64 and its SRTP is pylibsrtp. Like Meta
it sends nothing before wagate's first packet. Audio crosses both ways (checked
by tone), wagate's SRTCP report is read, wagate answers with its own key, and
correctly keyed SRTP from another address is dropped by wagate before it is
decoded. Needs `swift build` (the probe) and the requirements' aiortc (pylibsrtp)."""
import base64
import json
import os
import re
import socket
import subprocess
import time

import numpy as np
from pylibsrtp import Policy, Session

import g711
from conftest import ROOT, free_port

PROBE = ROOT / ".build" / "debug" / "WebRTCProbe"
RATE = 8000


def meta_offer(port, key):
    lines = ["v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", f"m=audio {port} RTP/SAVP 0 126",
             "c=IN IP4 127.0.0.1", "a=rtpmap:0 PCMU/8000", "a=rtpmap:126 telephone-event/8000", "a=ptime:20",
             "a=sendrecv", "a=rtcp-mux", f"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{base64.b64encode(key).decode()}"]
    return "\n".join(lines) + "\n.\n"


def read_answer(stream):
    lines = []
    while True:
        line = stream.readline().rstrip("\n")
        assert line or lines, "the probe printed no answer"
        if line == ".":
            return lines
        lines.append(line)


def rtp(sequence, timestamp, ssrc, payload):
    """An RTP packet of PCMU (payload type 0)."""
    header = bytes([0x80, 0]) + sequence.to_bytes(2, "big") + timestamp.to_bytes(4, "big") + ssrc.to_bytes(4, "big")
    return header + payload


def dominant_frequency(samples):
    tail = np.asarray(samples[-RATE // 2:], dtype=float)
    spectrum = np.abs(np.fft.rfft(tail * np.hanning(len(tail))))
    return float(np.argmax(spectrum[1:]) + 1) * RATE / len(tail)


def run_call(seconds=3.0):
    """Offers SDES to the probe, plays Meta for `seconds`, and returns what both sides saw."""
    port = free_port(even=True, both=False)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    sock.settimeout(0.005)
    stranger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    stranger.bind(("127.0.0.1", free_port(both=False)))
    key = os.urandom(30)
    probe = subprocess.Popen([str(PROBE), "answer-sdes", "--tone", "1100", "--seconds", str(seconds), "--rate", str(RATE)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        probe.stdin.write(meta_offer(port, key))
        probe.stdin.flush()
        answer = read_answer(probe.stdout)
        media = next(line for line in answer if line.startswith("m=audio "))
        crypto = next(line for line in answer if line.startswith("a=crypto:"))
        match = re.fullmatch(r"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)", crypto)
        assert match, crypto
        wagate_key = base64.b64decode(match.group(1))
        peer = ("127.0.0.1", int(media.split()[1]))
        inbound = Session(Policy(key=wagate_key, ssrc_type=Policy.SSRC_ANY_INBOUND))
        outbound = Session(Policy(key=key, ssrc_type=Policy.SSRC_ANY_OUTBOUND))
        heard, first_at, sent, rtcp, strangers = [], None, 0, 0, 0
        tone = (np.sin(2 * np.pi * 700 * np.arange(RATE * 10) / RATE) * 8000).astype(np.int16)
        deadline = time.monotonic() + seconds + 1
        next_send = None
        while time.monotonic() < deadline and probe.poll() is None:
            try:
                data, source = sock.recvfrom(2048)
                assert source == peer, source
                if 200 <= data[1] <= 204:
                    inbound.unprotect_rtcp(data)
                    rtcp += 1
                else:
                    plain = inbound.unprotect(data)
                    if plain[1] & 0x7F == 0:
                        heard.extend(g711.decode(plain[12:], 0))
                    if first_at is None:
                        first_at, next_send = time.monotonic(), time.monotonic()
            except socket.timeout:
                pass
            if next_send is not None and time.monotonic() >= next_send:  # Meta speaks once wagate has
                frame = g711.encode(tone[sent * 160:(sent + 1) * 160], 0)
                sock.sendto(outbound.protect(rtp(sent, sent * 160, 0x4D455441, frame)), peer)
                # The same keys from a stranger's address, until 1 s before the probe reads its statistics
                # (it reads them `seconds` after setting up, then closes): every stranger packet is counted.
                if sent % 10 == 0 and time.monotonic() < first_at + seconds - 1:
                    stranger.sendto(outbound.protect(rtp(1000 + sent, 0, 0x0BAD0BAD, frame)), peer)
                    strangers += 1
                sent += 1
                next_send += 0.02
        out, err = probe.communicate(timeout=30)
        result = json.loads(out.strip().splitlines()[-1])
        return {"answer": answer, "wagate_key": wagate_key, "key": key, "heard": heard, "first_at": first_at,
                "sent": sent, "strangers": strangers, "rtcp": rtcp, "result": result, "log": err}
    finally:
        if probe.poll() is None:
            probe.kill()
        sock.close()
        stranger.close()


def test_meta_style_sdes_peer_and_wagate_hear_each_other():
    call = run_call()
    result, answer = call["result"], call["answer"]
    assert any(line.startswith("m=audio ") and line.endswith(" RTP/SAVP 0 126") for line in answer), answer
    assert not [line for line in answer if line.startswith(("a=ice-", "a=fingerprint", "a=candidate", "a=setup"))]
    assert "a=rtcp-mux" in answer
    assert len(call["wagate_key"]) == 30 and call["wagate_key"] != call["key"], "wagate's own key, never ours echoed"
    assert call["first_at"] is not None, ("wagate never sent first", result, call["log"])
    assert any("sdesKeyed" in event for event in result["events"]), result
    assert abs(result["frequency"] - 700) <= 10 and result["rms"] > 1000, ("wagate heard", result)
    assert abs(dominant_frequency(call["heard"]) - 1100) <= 20, "the peer heard wagate's tone"
    assert result["srtpFailures"] == 0 and result["packetsReceived"] > 50, result
    assert call["rtcp"] >= 1, "wagate's SRTCP report (due 1 s after media starts) unprotected by pylibsrtp"
    assert call["strangers"] >= 5 and result["foreignDropped"] >= call["strangers"] - 1, (
        "keyed SRTP from a stranger was not dropped", call["strangers"], result)
    assert result["packetsReceived"] <= call["sent"], "nothing but the peer's own packets was decoded"
