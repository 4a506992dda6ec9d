"""A minimal desk phone that supports Replaces (RFC 3891), for attended transfer
tests (Debian's baresip 1.0 answers 420 to `Require: replaces`). It answers every
INVITE at once with PCMU, plays a tone to the newest dialog's media address and
records what each dialog receives; an INVITE with Replaces takes over the named
dialog: the phone answers it without ringing and BYEs the replaced one (a Replaces
naming a dialog it does not have gets 481). Register
it first (SIPp from the same port), then `start()`."""
import math
import re
import socket
import struct
import threading
import time

import numpy as np

from conftest import free_port
from g711 import decode, encode


def header(message, name):
    match = re.search(rf"^{name}:\s*(.*)$", message, re.M | re.I)
    return match.group(1).strip() if match else None


class ReplacesPhone:
    def __init__(self, port, tone_hz=1000):
        self.port = port
        self.tone_hz = tone_hz
        self.sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sip.bind(("127.0.0.1", port))
        self.sip.settimeout(0.2)
        self.dialogs = {}  # Call-ID -> dict
        self.target = None  # where the tone goes
        self.received = {}  # Call-ID -> bytearray of PCMU
        self.replaced = []
        self.stopped = False
        self.log = []

    def start(self):
        threading.Thread(target=self._signalling, daemon=True).start()
        threading.Thread(target=self._tone, daemon=True).start()

    def stop(self):
        self.stopped = True

    def heard(self, call_id):
        data = bytes(self.received.get(call_id, b""))[-8000 * 2:]
        if not data:
            return None
        samples = decode(data).astype(float)
        spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
        return float(np.argmax(spectrum[1:]) + 1) * 8000 / len(samples)

    def _signalling(self):
        while not self.stopped:
            try:
                data, source = self.sip.recvfrom(65535)
            except socket.timeout:
                continue
            message = data.decode(errors="replace")
            self.log.append(message.split("\r\n", 1)[0])
            method = message.split(" ", 1)[0]
            try:
                if method == "INVITE":
                    self._invite(message, source)
                elif method in ("BYE", "OPTIONS", "NOTIFY", "INFO", "UPDATE"):
                    self._reply(message, source, 200, "OK")
            except Exception as error:  # kept for the test's report
                self.log.append(f"error: {error!r} in {message!r}")

    def _reply(self, request, source, status, phrase, to_tag=None, sdp=None):
        lines = [f"SIP/2.0 {status} {phrase}"]
        for name in ("Via", "From", "Call-ID", "CSeq"):
            lines += [f"{name}: {v.strip()}" for v in re.findall(rf"^{name}:\s*(.*)$", request, re.M | re.I)]
        to = header(request, "To")
        if to_tag and ";tag=" not in to:
            to += f";tag={to_tag}"
        lines.append(f"To: {to}")
        lines.append(f"Contact: <sip:bob@127.0.0.1:{self.port}>")
        lines.append("Supported: replaces")
        body = sdp or ""
        if sdp:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body)}")
        self.sip.sendto(("\r\n".join(lines) + "\r\n\r\n" + body).encode(), source)

    def _invite(self, message, source):
        call_id = header(message, "Call-ID")
        if call_id in self.dialogs:  # a retransmission or re-INVITE: answer with the same SDP
            self._reply(message, source, 200, "OK", self.dialogs[call_id]["tag"], self.dialogs[call_id]["sdp"])
            return
        replaces = header(message, "Replaces")
        if replaces and replaces.split(";", 1)[0].strip() not in self.dialogs:
            self._reply(message, source, 481, "Call/Transaction Does Not Exist")  # RFC 3891 §3: no such dialog
            return
        body = message.split("\r\n\r\n", 1)[1]
        address = re.search(r"^c=IN IP4 (\S+)", body, re.M).group(1)
        port = int(re.search(r"^m=audio (\d+)", body, re.M).group(1))
        rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rtp_port = free_port(even=True)
        rtp.bind(("127.0.0.1", rtp_port))
        tag = f"bob{len(self.dialogs) + 1}"
        sdp = (f"v=0\r\no=bob 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
               f"m=audio {rtp_port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n")
        self.dialogs[call_id] = {"tag": tag, "sdp": sdp, "source": source, "from": header(message, "From"),
                                 "to": header(message, "To") + f";tag={tag}",
                                 "contact": re.search(r"<([^>]+)>", header(message, "Contact")).group(1)}
        self.received[call_id] = bytearray()
        threading.Thread(target=self._receive, args=(rtp, call_id), daemon=True).start()
        self._reply(message, source, 200, "OK", tag, sdp)
        self.target = (address, port, rtp)
        if replaces:
            old = replaces.split(";", 1)[0].strip()
            self.replaced.append(old)
            self._bye(old)

    def _bye(self, call_id):
        dialog = self.dialogs.get(call_id)
        if not dialog:
            return
        branch = f"z9hG4bK{int(time.time() * 1000)}"
        lines = [f"BYE {dialog['contact']} SIP/2.0", f"Via: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch};rport",
                 "Max-Forwards: 70", f"From: {dialog['to']}", f"To: {dialog['from']}", f"Call-ID: {call_id}",
                 "CSeq: 1 BYE", "Content-Length: 0"]
        self.sip.sendto(("\r\n".join(lines) + "\r\n\r\n").encode(), dialog["source"])

    def _receive(self, rtp, call_id):
        rtp.settimeout(0.2)
        while not self.stopped:
            try:
                packet, _ = rtp.recvfrom(2048)
            except socket.timeout:
                continue
            if len(packet) > 12 and packet[1] & 0x7F == 0:
                self.received[call_id] += packet[12:]

    def _tone(self):
        sequence, timestamp, phase = 0, 0, 0.0
        step = 2 * math.pi * self.tone_hz / 8000
        next_at = time.time()
        while not self.stopped:
            if self.target:
                address, port, rtp = self.target
                pcm = 8000 * np.sin(phase + np.arange(160) * step)
                phase += 160 * step
                header_bytes = struct.pack("!BBHII", 0x80, 0, sequence & 0xFFFF, timestamp & 0xFFFFFFFF, 0x0B0B0B0B)
                rtp.sendto(header_bytes + encode(pcm, 0), (address, port))
                sequence += 1
                timestamp += 160
            next_at += 0.02
            time.sleep(max(0, next_at - time.time()))
