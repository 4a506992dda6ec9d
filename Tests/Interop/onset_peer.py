"""A SIP phone on raw sockets that measures media onset around the answer of one call.

It places a call (`dial`: the phone calls a WhatsApp user through wagate) or
answers one (`answer_next`: a WhatsApp user calls the phone), sends PCMU every
20 ms once it knows where to (`before_hz` until the answer, `after_hz` from it),
and reads its RTP socket only from the first SDP it gets or sends (a 183 or the
200), as a phone plays early media only where SDP set it up: packets sent to it
before then wait in the socket and are read as a burst at the answer, which is
exactly what a phone's jitter buffer would have to absorb. Every packet read is
kept with its arrival time, so `Onset` can count the burst and find when each
tone starts."""
import hashlib
import re
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass

import numpy as np

from conftest import free_port
from g711 import decode, encode

SDP = ("v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
       "a=ptime:20\r\na=sendrecv\r\n")


def header(message, name):
    match = re.search(rf"^{name}:\s*(.*)$", message, re.M | re.I)
    return match.group(1).strip() if match else None


def media_address(message):
    """(address, port) of the audio in the SDP body of `message`, or None."""
    body = message.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in message else ""
    address, port = re.search(r"^c=IN IP4 (\S+)", body, re.M), re.search(r"^m=audio (\d+)", body, re.M)
    return (address.group(1), int(port.group(1))) if address and port else None


def tone_share(payload, hz):
    """The share (0…1) of a PCMU payload's energy at `hz`: about 1 for a pure tone there, 0 elsewhere."""
    samples = decode(payload).astype(float)
    energy = float(np.sum(samples ** 2))
    if energy < len(samples) * 300.0 ** 2:  # quieter than -40 dBFS: silence, or a fade
        return 0.0
    n = np.arange(len(samples))
    power = abs(np.sum(samples * np.exp(-2j * np.pi * hz * n / 8000))) ** 2
    return float(power / (len(samples) / 2 * energy))


@dataclass
class Onset:
    """What one call's phone saw around the answer (times in ms from the answer at the phone)."""
    before_answer: int  # packets read before the answer (early media)
    first_200ms: int  # packets read in the 200 ms from the answer
    first_packet_ms: float  # the first packet after the answer
    tone_ms: float  # the first packet carrying `after_hz` (None: never)
    stale: int  # packets after the answer carrying `before_hz`


class OnsetPhone:
    def __init__(self, sip_port, user="alice", password="alice-secret", before_hz=700, after_hz=1000):
        self.user, self.password, self.before_hz, self.after_hz = user, password, before_hz, after_hz
        self.server = ("127.0.0.1", sip_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.port = free_port()
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.settimeout(5)
        self.rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rtp_port = free_port(even=True)
        self.rtp.bind(("127.0.0.1", self.rtp_port))
        self.rtp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.remote_media = None  # where the phone sends its tone
        self.answered_at = None  # time.monotonic() of the answer at the phone
        self.listening = threading.Event()
        self.packets = []  # (arrival, payload) of every PCMU packet read
        self.stopped = False
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._talk, daemon=True).start()

    def stop(self):
        self.stopped = True
        self.listening.set()

    # Signalling.

    def _send(self, text):
        self.sock.sendto(text.encode(), self.server)

    def _request(self, method, ruri, call_id, cseq, from_tag, to, extra="", body=""):
        branch = "z9hG4bK" + uuid.uuid4().hex
        self._send(f"{method} {ruri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{self.port};branch={branch};rport\r\n"
                   f"Max-Forwards: 70\r\nFrom: <sip:{self.user}@127.0.0.1>;tag={from_tag}\r\nTo: {to}\r\n"
                   f"Call-ID: {call_id}\r\nCSeq: {cseq} {method}\r\n"
                   f"Contact: <sip:{self.user}@127.0.0.1:{self.port}>\r\n"
                   + extra + ("Content-Type: application/sdp\r\n" if body else "")
                   + f"Content-Length: {len(body)}\r\n\r\n{body}")

    def _authorization(self, challenge_line, method, uri):
        challenge = dict(re.findall(r'(\w+)="?([^",]+)"?', challenge_line))
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
        ha1, ha2 = md5(f"{self.user}:{challenge['realm']}:{self.password}"), md5(f"{method}:{uri}")
        response = md5(f"{ha1}:{challenge['nonce']}:00000001:c0ffee:auth:{ha2}")
        return (f'Digest username="{self.user}", realm="{challenge["realm"]}", nonce="{challenge["nonce"]}", '
                f'uri="{uri}", response="{response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"')

    def _message(self, deadline):
        while time.monotonic() < deadline:
            try:
                data, source = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            return data.decode(errors="replace"), source
        raise AssertionError("no SIP message in time")

    def register(self):
        ruri, call_id = f"sip:127.0.0.1:{self.server[1]}", uuid.uuid4().hex
        to, extra = f"<sip:{self.user}@127.0.0.1>", "Expires: 300\r\n"
        self._request("REGISTER", ruri, call_id, 1, "reg", to, extra)
        message, _ = self._message(time.monotonic() + 10)
        if message.split()[1] == "401":
            auth = self._authorization(header(message, "WWW-Authenticate"), "REGISTER", ruri)
            self._request("REGISTER", ruri, call_id, 2, "reg", to, extra + f"Authorization: {auth}\r\n")
            message, _ = self._message(time.monotonic() + 10)
        assert message.split()[1] == "200", message

    def dial(self, number, timeout=20):
        """Calls `number` through wagate until it is answered; returns the dialog for `hang_up`."""
        ruri = f"sip:{number}@127.0.0.1:{self.server[1]}"
        call_id, from_tag, cseq, extra = uuid.uuid4().hex, "a" + uuid.uuid4().hex[:8], 1, ""
        body = SDP.format(port=self.rtp_port)
        self._request("INVITE", ruri, call_id, cseq, from_tag, f"<{ruri}>", extra, body)
        deadline = time.monotonic() + timeout
        while True:
            message, _ = self._message(deadline)
            if not message.startswith("SIP/2.0") or header(message, "Call-ID") != call_id \
                    or header(message, "CSeq").split()[0] != str(cseq):  # a retransmission of the challenge
                continue
            status = int(message.split()[1])
            if status in (401, 407) and cseq == 1:
                self._request("ACK", ruri, call_id, cseq, from_tag, header(message, "To"))
                name = "Authorization" if status == 401 else "Proxy-Authorization"
                challenge = header(message, "WWW-Authenticate" if status == 401 else "Proxy-Authenticate")
                cseq, extra = 2, f"{name}: {self._authorization(challenge, 'INVITE', ruri)}\r\n"
                self._request("INVITE", ruri, call_id, cseq, from_tag, f"<{ruri}>", extra, body)
                continue
            if status < 200:
                self._media_from(message)
                continue
            assert status == 200, message
            self.answered_at = time.monotonic()
            self._media_from(message)
            to = header(message, "To")
            target = re.search(r"<([^>]+)>", header(message, "Contact")).group(1)
            self._request("ACK", target, call_id, cseq, from_tag, to)
            return (target, call_id, cseq, from_tag, to)

    def _media_from(self, message):
        address = media_address(message)
        if address:
            self.remote_media = address
            self.listening.set()

    def answer_next(self, early_sdp, answer_after, timeout=20):
        """Answers the next INVITE: a 183 with SDP (`early_sdp`, the phone then sends early
        media) or a 180 first, then the 200 after `answer_after` seconds (0: at once)."""
        deadline = time.monotonic() + timeout
        while True:
            invite, source = self._message(deadline)
            if invite.startswith("INVITE"):
                break
        to_tag = "b" + uuid.uuid4().hex[:8]
        self.remote_media = media_address(invite)
        if answer_after > 0:
            self._respond(invite, source, "183 Session Progress" if early_sdp else "180 Ringing", to_tag,
                          SDP.format(port=self.rtp_port) if early_sdp else "")
            if early_sdp:
                self.listening.set()
            time.sleep(answer_after)  # the phone rings: this is the call-setup order under test
        self.answered_at = time.monotonic()
        self.listening.set()
        self._respond(invite, source, "200 OK", to_tag, SDP.format(port=self.rtp_port))
        while True:
            message, _ = self._message(deadline)
            if message.startswith("ACK"):
                return

    def _respond(self, request, source, status, to_tag, body=""):
        lines = [f"SIP/2.0 {status}"]
        for name in ("Via", "From", "Call-ID", "CSeq"):
            lines += [f"{name}: {v.strip()}" for v in re.findall(rf"^{name}:\s*(.*)$", request, re.M | re.I)]
        lines += [f"To: {header(request, 'To')};tag={to_tag}", f"Contact: <sip:{self.user}@127.0.0.1:{self.port}>"]
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body)}")
        self.sock.sendto(("\r\n".join(lines) + "\r\n\r\n" + body).encode(), source)

    # Media.

    def _read(self):
        self.listening.wait()
        self.rtp.settimeout(0.2)
        while not self.stopped:
            try:
                packet = self.rtp.recv(2048)
            except socket.timeout:
                continue
            if len(packet) > 12 and packet[1] & 0x7F == 0:
                self.packets.append((time.monotonic(), packet[12:]))

    def _talk(self):
        sequence, phase, next_at = 0, 0.0, time.monotonic()
        while not self.stopped:
            if self.remote_media and (self.answered_at or self.listening.is_set()):
                hz = self.after_hz if self.answered_at else self.before_hz
                pcm = 8000 * np.sin(phase + np.arange(160) * 2 * np.pi * hz / 8000)
                phase = (phase + 160 * 2 * np.pi * hz / 8000) % (2 * np.pi)
                rtp = struct.pack("!BBHII", 0x80, 0, sequence & 0xFFFF, (sequence * 160) & 0xFFFFFFFF, 0x0A11CE00)
                self.rtp.sendto(rtp + encode(pcm, 0), self.remote_media)
                sequence += 1
            next_at += 0.02
            time.sleep(max(0.0, next_at - time.monotonic()))

    def wait_for_tone(self, timeout=5.0):
        """Waits until the phone has heard `after_hz` for 200 ms after the answer (or `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            heard = [t for t, p in list(self.packets) if self.answered_at and t >= self.answered_at
                     and tone_share(p, self.after_hz) > 0.5]
            if len(heard) >= 10:
                return True
            time.sleep(0.05)
        return False

    def onset(self):
        """The figures of the call so far (`wait_for_tone` first)."""
        answer = self.answered_at
        packets = list(self.packets)
        after = [(t, p) for t, p in packets if t >= answer]
        tone = next((t for t, p in after if tone_share(p, self.after_hz) > 0.5), None)
        return Onset(before_answer=len(packets) - len(after),
                     first_200ms=sum(1 for t, _ in after if t < answer + 0.2),
                     first_packet_ms=(after[0][0] - answer) * 1000 if after else None,
                     tone_ms=(tone - answer) * 1000 if tone is not None else None,
                     stale=sum(1 for _, p in after if tone_share(p, self.before_hz) > 0.5))

    def hang_up(self, dialog):
        target, call_id, cseq, from_tag, to = dialog
        self._request("BYE", target, call_id, cseq + 1, from_tag, to)

