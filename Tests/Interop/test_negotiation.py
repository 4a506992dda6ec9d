"""SDP negotiation end to end: a SIPp phone calls a WhatsApp user through a real
wagate and the standalone Meta simulator (the user echoes what it hears).

The phone's RTP is played and heard by this test: a 1000 Hz tone goes out in
whatever law wagate last sent, and the audio that comes back is checked by its
frequency. SIPp does the signalling; its SDP points at the test's socket."""
import re
import socket
import threading
import time

import numpy as np

from baresip_peer import dominant_frequency
from conftest import free_port, sipp
from g711 import TABLES, encode
from sipp_builder import _ack_error, _in_dialog, _invite, _send
from test_b2bua import E164, answer_when_ringing

RATE = 8000


class Phone:
    """The phone's RTP: sends a tone in the law wagate uses, records what it hears by payload type."""

    def __init__(self, port_file):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", free_port(even=True)))
        self.socket.settimeout(0.005)
        self.port = self.socket.getsockname()[1]
        self.port_file = port_file
        self.heard = {0: [], 8: []}
        self.order = []
        self.done = threading.Event()

    def run(self):
        sequence, timestamp, payload_type, target = 0, 0, 0, None
        tone = (8000 * np.sin(2 * np.pi * 1000 * np.arange(160 * 50) / RATE)).astype(int)
        next_send = time.monotonic()
        while not self.done.is_set():
            if target is None and self.port_file.exists() and self.port_file.read_text().strip():
                target = ("127.0.0.1", int(self.port_file.read_text().split()[0]))
            try:
                packet, _ = self.socket.recvfrom(2048)
                received = packet[1] & 0x7F
                if received in self.heard:
                    payload_type = received
                    self.heard[received].append(TABLES[received][np.frombuffer(packet[12:], dtype=np.uint8)])
                    if not self.order or self.order[-1] != received:
                        self.order.append(received)
            except socket.timeout:
                pass
            if target is not None and time.monotonic() >= next_send:
                frame = tone[(sequence % 50) * 160:(sequence % 50 + 1) * 160]
                header = bytes([0x80, payload_type]) + sequence.to_bytes(2, "big") + timestamp.to_bytes(4, "big")
                self.socket.sendto(header + b"\x11\x22\x33\x44" + encode(frame, payload_type), target)
                sequence, timestamp, next_send = (sequence + 1) & 0xFFFF, timestamp + 160, next_send + 0.02

    def frequency(self, payload_type):
        chunks = self.heard[payload_type]
        return dominant_frequency(np.concatenate(chunks).astype(float), RATE) if chunks else (None, 0.0)


def _sdp(port, payload_type, version):
    name = "PCMU" if payload_type == 0 else "PCMA"
    return (f"v=0\no=phone 1 {version} IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
            f"m=audio {port} RTP/AVP {payload_type}\na=rtpmap:{payload_type} {name}/8000\na=sendrecv\n")


def _offerless_invite(cseq, auth):
    """sipp_builder's INVITE without its SDP body (a late offer)."""
    return _invite(cseq, auth).split("Content-Type:")[0] + "Content-Length: 0\n"


def late_offer_scenario(path, phone_port, port_file, codec_change=True):
    """INVITE without SDP; the 200's offer answered PCMU in the ACK; 4 s of audio.
    With `codec_change`: a re-INVITE offering PCMA only, answered PCMA; 4 s of
    audio; the same offer again in an UPDATE (a session refresh). Then BYE."""
    grab = (f'<action><ereg regexp="m=audio ([0-9]+)" search_in="body" check_it="true" assign_to="match,port"/>'
            f'<exec command="echo [$port] [$match] > {port_file}"/></action>')
    body = _send(_offerless_invite(1, False))
    body += '  <recv response="100" optional="true"/>\n  <recv response="407" auth="true"/>\n'
    body += _send(_ack_error(1), retrans=False)
    body += _send(_offerless_invite(2, True))
    body += '  <recv response="100" optional="true"/>\n  <recv response="180" optional="true"/>\n'
    body += f'  <recv response="200" rrs="true">{grab}</recv>\n'
    sdp = _sdp(phone_port, 0, 1)
    body += _send(_in_dialog("ACK", 2, f"Content-Type: application/sdp\nContent-Length: [len]\n\n{sdp}"),
                  retrans=False)
    body += '  <pause milliseconds="4000"/>\n'
    cseq = 3
    if codec_change:
        sdp = _sdp(phone_port, 8, 2)
        body += _send(_in_dialog("INVITE", 3, f"Content-Type: application/sdp\nContent-Length: [len]\n\n{sdp}"))
        body += '  <recv response="100" optional="true"/>\n'
        body += ('  <recv response="200"><action><ereg regexp="m=audio [0-9]+ RTP/AVP 8( |\\r|\\n)" search_in="body" '
                 'check_it="true" assign_to="match"/></action></recv>\n')
        body += _send(_in_dialog("ACK", 3, "Content-Length: 0\n"), retrans=False)
        body += '  <pause milliseconds="4000"/>\n'
        body += _send(_in_dialog("UPDATE", 4, f"Content-Type: application/sdp\nContent-Length: [len]\n\n{sdp}"))
        body += '  <recv response="200"/>\n'
        cseq = 5
    body += _send(_in_dialog("BYE", cseq, "Content-Length: 0\n"))
    body += '  <recv response="200" crlf="true"/>\n'
    path.write_text(f'<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="negotiation">\n{body}</scenario>\n')
    return path


def call_with_phone(gw, tmp_path, service, codec_change):
    """Runs the late-offer scenario with the test's RTP phone; returns the phone and SIPp's result."""
    port_file = tmp_path / "wagate_rtp_port"
    phone = Phone(port_file)
    media = threading.Thread(target=phone.run, daemon=True)
    media.start()
    scenario = late_offer_scenario(tmp_path / "negotiation.xml", phone.port, port_file, codec_change)
    try:
        code, out = sipp(gw, scenario, service=service, tmp=tmp_path, timeout=40)
    finally:
        phone.done.set()
        media.join(timeout=5)
    return phone, code, out


def answer_origins(directory):
    """The o= line of every SDP in wagate's 200s, in order (from SIPp's message trace)."""
    trace = next(directory.glob("negotiation_*_messages.log")).read_text()
    origins = []
    for message in trace.split("-----------------------------------------------"):
        if "SIP/2.0 200 OK" in message and "m=audio" in message:
            origins += re.findall(r"^o=.*$", message, re.MULTILINE)
    return origins


def test_late_offer_call_carries_audio_then_a_reinvite_moves_it_from_pcmu_to_pcma(e2e, tmp_path):
    gw, meta = e2e(media="echo")
    answer_when_ringing(meta)
    phone, code, out = call_with_phone(gw, tmp_path, E164, codec_change=True)
    assert code == 0, out + gw.logs()
    origins = answer_origins(tmp_path)
    assert len(origins) == 3, origins
    assert origins[1] != origins[0] and origins[2] == origins[1], origins  # RFC 3264 §8
    assert phone.order[:2] == [0, 8], (phone.order, gw.logs())
    for payload_type in (0, 8):
        frequency, rms = phone.frequency(payload_type)
        assert frequency is not None and abs(frequency - 1000) <= 10, (payload_type, frequency, gw.logs())
        assert rms > 1000, (payload_type, rms)


def test_late_offer_echo_call_offers_one_law_and_echoes_to_the_acks_address(gateway, tmp_path):
    phone, code, out = call_with_phone(gateway, tmp_path, "*43", codec_change=False)
    assert code == 0, out + gateway.logs()
    offer = next(tmp_path.glob("negotiation_*_messages.log")).read_text()
    assert re.search(r"^m=audio \d+ RTP/AVP 0 101\s*$", offer, re.MULTILINE), offer
    frequency, rms = phone.frequency(0)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, gateway.logs())
    assert rms > 1000, rms
