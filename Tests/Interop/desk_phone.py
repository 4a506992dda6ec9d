"""A desk phone on one UDP socket (127.0.0.1), as an attended transfer needs one:
it REGISTERs and places INVITEs with MD5 digest (answering 401/407 with the
nonce), ACKs, sends in-dialog REFER and BYE, answers every request it is sent
(NOTIFY, BYE, re-INVITE) with 200 and keeps them, and has PCMU RTP per dialog:
a tone to the dialog it talks to (`talk_to`) and a recorder of each dialog."""
import hashlib
import math
import queue
import re
import socket
import struct
import threading
import time
import uuid

import numpy as np

from conftest import free_port
from g711 import decode, encode

SDP = ("v=0\r\no={user} 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio {port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n")


def header(message, name):
    """The first value of header `name` in `message`, or None."""
    match = re.search(rf"^{name}:\s*(.*)$", message, re.M | re.I)
    return match.group(1).strip() if match else None


def tag(value):
    match = re.search(r";\s*tag=([^;>\s]+)", value or "")
    return match.group(1) if match else None


class Dialog:
    """One call of the phone: its SIP dialog, its RTP socket and what it received."""

    def __init__(self, call_id, ruri, from_tag):
        self.call_id, self.ruri, self.from_tag = call_id, ruri, from_tag
        self.to_tag, self.remote_target, self.media = None, ruri, None
        self.cseq = 0
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp_port = free_port(even=True)
        self.rtp.bind(("127.0.0.1", self.rtp_port))
        self.received = bytearray()


class DeskPhone:
    def __init__(self, gw, user, password, tone_hz):
        self.gw, self.user, self.password, self.tone_hz = gw, user, password, tone_hz
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.port = free_port()
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.settimeout(0.2)
        self.server = ("127.0.0.1", gw.sip_port)
        self.responses = queue.Queue()
        self.requests = []  # (method, Call-ID, message) of every request received
        self.target = None  # the dialog the tone goes to
        self.stopped = False
        threading.Thread(target=self._signalling, daemon=True).start()
        threading.Thread(target=self._tone, daemon=True).start()

    def stop(self):
        self.stopped = True

    # Requests and digest.

    def _send(self, method, ruri, call_id, cseq, from_tag, to, extra="", body=""):
        branch = "z9hG4bK" + uuid.uuid4().hex
        message = (f"{method} {ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch};rport\r\n"
                   f"Max-Forwards: 70\r\nFrom: <sip:{self.user}@127.0.0.1>;tag={from_tag}\r\nTo: {to}\r\n"
                   f"Call-ID: {call_id}\r\nCSeq: {cseq} {method}\r\n"
                   f"Contact: <sip:{self.user}@127.0.0.1:{self.port}>\r\n{extra}"
                   + ("Content-Type: application/sdp\r\n" if body else "")
                   + f"Content-Length: {len(body)}\r\n\r\n{body}")
        self.sock.sendto(message.encode(), self.server)

    def _final(self, call_id, cseq, timeout=10.0):
        deadline = time.time() + timeout
        while True:
            try:
                message = self.responses.get(timeout=max(0.01, deadline - time.time()))
            except queue.Empty:
                raise AssertionError(f"no final response to {call_id} CSeq {cseq}") from None
            status = int(message.split()[1])
            if header(message, "Call-ID") == call_id and header(message, "CSeq").split()[0] == str(cseq) \
                    and status >= 200:
                return status, message

    def _authorization(self, challenge_line, method, uri):
        challenge = dict(re.findall(r'(\w+)="?([^",]+)"?', challenge_line))
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
        ha1, ha2, cnonce = md5(f"{self.user}:{challenge['realm']}:{self.password}"), md5(f"{method}:{uri}"), "c0ffee"
        response = md5(f"{ha1}:{challenge['nonce']}:00000001:{cnonce}:auth:{ha2}")
        return (f'Digest username="{self.user}", realm="{challenge["realm"]}", nonce="{challenge["nonce"]}", '
                f'uri="{uri}", response="{response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="{cnonce}"')

    def transaction(self, method, ruri, call_id, cseq, from_tag, to, extra="", body=""):
        """Sends a request, answering one 401/407 challenge; returns (status, response, CSeq used)."""
        self._send(method, ruri, call_id, cseq, from_tag, to, extra, body)
        status, message = self._final(call_id, cseq)
        if status not in (401, 407):
            return status, message, cseq
        if method == "INVITE":
            self._send("ACK", ruri, call_id, cseq, from_tag, header(message, "To"))
        name = "Authorization" if status == 401 else "Proxy-Authorization"
        challenge = header(message, "WWW-Authenticate" if status == 401 else "Proxy-Authenticate")
        extra += f"{name}: {self._authorization(challenge, method, ruri)}\r\n"
        self._send(method, ruri, call_id, cseq + 1, from_tag, to, extra, body)
        status, message = self._final(call_id, cseq + 1)
        return status, message, cseq + 1

    def register(self):
        ruri = f"sip:127.0.0.1:{self.gw.sip_port}"
        status, _, _ = self.transaction("REGISTER", ruri, uuid.uuid4().hex, 1, "reg", f"<sip:{self.user}@127.0.0.1>",
                                        "Expires: 300\r\n")
        assert status == 200, status

    def invite(self, user):
        """Calls `user` (a number or user name) through wagate; returns the answered Dialog."""
        ruri = f"sip:{user}@127.0.0.1:{self.gw.sip_port}"
        dialog = Dialog(uuid.uuid4().hex, ruri, "a" + uuid.uuid4().hex[:8])
        body = SDP.format(user=self.user, port=dialog.rtp_port)
        status, message, dialog.cseq = self.transaction("INVITE", ruri, dialog.call_id, 1, dialog.from_tag,
                                                        f"<{ruri}>", body=body)
        assert status == 200, message
        dialog.to_tag = tag(header(message, "To"))
        dialog.remote_target = re.search(r"<([^>]+)>", header(message, "Contact")).group(1)
        sdp = message.split("\r\n\r\n", 1)[1]
        dialog.media = (re.search(r"^c=IN IP4 (\S+)", sdp, re.M).group(1),
                        int(re.search(r"^m=audio (\d+)", sdp, re.M).group(1)))
        self._send("ACK", dialog.remote_target, dialog.call_id, dialog.cseq, dialog.from_tag,
                   f"<{ruri}>;tag={dialog.to_tag}")
        threading.Thread(target=self._receive, args=(dialog,), daemon=True).start()
        self.target = dialog
        return dialog

    def in_dialog(self, dialog, method, extra=""):
        """An in-dialog request (BYE, REFER); returns its final status."""
        dialog.cseq += 1
        status, _, dialog.cseq = self.transaction(method, dialog.remote_target, dialog.call_id, dialog.cseq,
                                                  dialog.from_tag, f"<{dialog.ruri}>;tag={dialog.to_tag}", extra)
        return status

    def received(self, method, call_id, timeout=15.0):
        """The requests `method` received on `call_id`, waiting until there is at least one."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [m for (name, cid, m) in self.requests if name == method and cid == call_id]
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no {method} on {call_id}; got {[r[:2] for r in self.requests]}")

    def _signalling(self):
        while not self.stopped:
            try:
                data, source = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            message = data.decode(errors="replace")
            if message.startswith("SIP/2.0"):
                self.responses.put(message)
                continue
            method = message.split(" ", 1)[0]
            self.requests.append((method, header(message, "Call-ID"), message))
            if method != "ACK":
                self._ok(message, source)

    def _ok(self, request, source):
        lines = ["SIP/2.0 200 OK"]
        for name in ("Via", "From", "To", "Call-ID", "CSeq"):
            lines += [f"{name}: {v.strip()}" for v in re.findall(rf"^{name}:\s*(.*)$", request, re.M | re.I)]
        lines += [f"Contact: <sip:{self.user}@127.0.0.1:{self.port}>", "Content-Length: 0"]
        self.sock.sendto(("\r\n".join(lines) + "\r\n\r\n").encode(), source)

    # Media.

    def heard(self, dialog, seconds=1.5):
        """The strongest frequency of the last `seconds` the dialog received, or None."""
        data = bytes(dialog.received)[-int(8000 * seconds):]
        if len(data) < 4000:
            return None
        samples = decode(data).astype(float)
        spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
        return float(np.argmax(spectrum[1:]) + 1) * 8000 / len(samples)

    def _receive(self, dialog):
        dialog.rtp.settimeout(0.2)
        while not self.stopped:
            try:
                packet, _ = dialog.rtp.recvfrom(2048)
            except socket.timeout:
                continue
            if len(packet) > 12 and packet[1] & 0x7F == 0:
                dialog.received += packet[12:]

    def _tone(self):
        sequence, phase, step = 0, 0.0, 2 * math.pi * self.tone_hz / 8000
        next_at = time.time()
        while not self.stopped:
            dialog = self.target
            if dialog and dialog.media:
                pcm = 8000 * np.sin(phase + np.arange(160) * step)
                phase += 160 * step
                rtp = struct.pack("!BBHII", 0x80, 0, sequence & 0xFFFF, (sequence * 160) & 0xFFFFFFFF, 0x0A11CE00)
                dialog.rtp.sendto(rtp + encode(pcm, 0), dialog.media)
                sequence += 1
            next_at += 0.02
            time.sleep(max(0, next_at - time.time()))
