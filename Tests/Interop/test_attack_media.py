"""Attacks on wagate's media edges, from raw sockets on 127.0.0.1, against a real
wagate with a standalone Meta simulator (real WebRTC for the WhatsApp user) and
baresip as the phone. Each test asserts the safe outcome: the process is alive,
the phone still hears the call's audio, the attacker gets nothing, or the
designed SIP status."""
import os
import re
import socket
import struct
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from baresip_peer import dominant_frequency, run_call
from conftest import free_port, sipp
from conftest import Gateway
from sipp_builder import build

USER = "447700900123"
E164 = "+" + USER



def rtp_range(gw):
    low, high = map(int, re.search(r"rtp_port_range = (\d+)-(\d+)", gw.config.read_text()).groups())
    return range(low, high + 1)


def wagate_rtp_ports(gw):
    """The ports of `rtp_port_range` that the wagate process has bound now: the
    attacker sprays the range, but on a shared loopback the range may overlap
    the ports of baresip or the simulator, which are not what is under test."""
    inodes = set()
    for fd in Path(f"/proc/{gw.proc.pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    wanted = rtp_range(gw)
    ports = set()
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            port = int(fields[1].rsplit(":", 1)[1], 16)
            if fields[9] in inodes and port in wanted:
                ports.add(port)
    return sorted(ports)


def rtp_packet(sequence, timestamp, ssrc, payload_type=0, payload=b"\xff" * 160):
    return struct.pack("!BBHII", 0x80, payload_type, sequence & 0xFFFF, timestamp & 0xFFFFFFFF, ssrc) + payload


def pcmu_tone(frequency, count=160, rate=8000):
    """µ-law of a sine (a crude encoder is enough to be audible if it ever got through)."""
    samples = (8000 * np.sin(2 * np.pi * frequency * np.arange(count) / rate)).astype(int)
    out = bytearray()
    for sample in samples:
        sign = 0x80 if sample < 0 else 0
        magnitude = min(abs(int(sample)) + 0x84, 0x7FFF)
        exponent = max(0, magnitude.bit_length() - 8)
        mantissa = (magnitude >> (exponent + 3)) & 0x0F
        out.append(~(sign | (exponent << 4) | mantissa) & 0xFF)
    return bytes(out)


def dtls_alert(sequence):
    """A DTLS 1.2 record: fatal handshake_failure alert, epoch 0."""
    return struct.pack("!BHHHIH", 21, 0xFEFD, 0, sequence >> 32, sequence & 0xFFFFFFFF, 2) + b"\x02\x28"


def dtls_garbage(sequence):
    """A handshake record with a nonsense body (what a fuzzer aims at OpenSSL)."""
    body = bytes((sequence * 7 + i) & 0xFF for i in range(48))
    return struct.pack("!BHHHIH", 22, 0xFEFD, 0, 0, sequence & 0xFFFFFFFF, len(body)) + body


class Attacker:
    """A raw UDP socket on 127.0.0.1 that counts every datagram sent back to it."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.received = []
        self.stop = threading.Event()
        self.listener = threading.Thread(target=self._listen, daemon=True)
        self.listener.start()

    def _listen(self):
        while not self.stop.is_set():
            try:
                data, source = self.sock.recvfrom(2048)
                self.received.append((source, data))
            except socket.timeout:
                continue
            except OSError:
                return

    def send(self, data, port):
        try:
            self.sock.sendto(data, ("127.0.0.1", port))
        except OSError:
            pass  # ICMP port unreachable from an earlier datagram surfaces here

    def close(self):
        self.stop.set()
        self.listener.join(2)
        self.sock.close()


def tail_frequency(samples, rate, seconds=2):
    tail = samples[-rate * seconds:]
    return dominant_frequency(tail, rate)


# MARK: - SIP leg: RTP hijack


def test_one_datagram_then_an_rtp_burst_from_a_stranger_do_not_hijack_the_call(e2e, tmp_path):
    """The phone's audio goes to WhatsApp and comes back (Meta echoes it): if a
    stranger took over the SIP leg, the phone would hear nothing or the
    stranger's 400 Hz. A stranger probes every RTP port with one byte before the
    call is answered (the latch old wagate took) and again once the phone
    streams, then sends bursts of valid-looking RTP for 2 s: the phone still
    hears its own 1000 Hz, and the stranger gets nothing back."""
    gw, meta = e2e(media="echo")
    attacker = Attacker()
    report = {}

    def attack():
        call = meta.wait_for_call("ringing", USER)
        ports = wagate_rtp_ports(gw)
        report["ports"] = ports
        for port in ports:  # the 2016 "RTP bleed" probe: one byte, before the phone's first packet
            attacker.send(b"\x80", port)
        time.sleep(0.3)  # the user answers after a moment, as in test_b2bua's answer_when_ringing
        meta.post(f"/control/calls/{call['id']}/answer")
        tone = pcmu_tone(400)
        gw.wait_for_log("SIP-leg RTP source learnt", timeout=25)
        for port in ports:  # and once more after the phone's stream started
            attacker.send(b"\x80", port)
        sequence, timestamp, started = 0, 0, time.time()
        while time.time() - started < 2.0:
            # Bursts of valid-looking RTP (negotiated PCMU, one SSRC, consecutive sequence numbers).
            for _ in range(8):
                for port in ports:
                    attacker.send(rtp_packet(sequence, timestamp, 0xBADC0DE, 0, tone), port)
                sequence += 1
                timestamp += 160
            time.sleep(0.02)
        report["sent"] = sequence * len(ports)

    thread = threading.Thread(target=attack, daemon=True)
    thread.start()
    try:
        out, samples, rate = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
                                      f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=12, tone_hz=1000)
        thread.join(10)
        time.sleep(0.1)  # datagrams already in flight
    finally:
        attacker.close()
    assert "Call established" in out, out + gw.logs()
    assert report.get("sent", 0) > 1000 and len(report["ports"]) >= 2, report  # SIP leg (RTP, RTCP), WhatsApp leg
    assert gw.proc.poll() is None
    frequency, rms = tail_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, gw.logs()[-3000:])
    assert rms > 1000
    assert attacker.received == [], attacker.received[:3]
    assert "re-learnt" not in gw.logs()


# MARK: - WhatsApp leg: DTLS disruption


def test_dtls_alerts_and_garbage_sprayed_over_the_rtp_range_during_setup_do_not_fail_the_call(e2e, tmp_path):
    """From the moment the WhatsApp user rings until the call is up, a stranger
    sprays fatal DTLS alerts, broken handshakes, forged SRTP and STUN without
    credentials over every port of the RTP range. None of it reaches OpenSSL or
    libsrtp: the call connects and the phone hears the user's 600 Hz."""
    gw, meta = e2e(media="tone:600")
    attacker = Attacker()
    stop = threading.Event()
    report = {"rounds": 0}
    stun = struct.pack("!HHI12s", 0x0001, 0, 0x2112A442, b"attackattack")

    def spray():
        call = meta.wait_for_call("ringing", USER)
        sequence = 0
        answered = False
        while not stop.is_set():
            if sequence % 10 == 0:
                ports = wagate_rtp_ports(gw)
                report["ports"] = max(report.get("ports", 0), len(ports))
            for port in ports:
                attacker.send(dtls_alert(sequence), port)
                attacker.send(dtls_garbage(sequence), port)
                attacker.send(rtp_packet(sequence, sequence * 160, 0x5EED, 111, b"\x00" * 40), port)
                attacker.send(stun, port)
            sequence += 1
            report["rounds"] += 1
            if not answered and report["rounds"] >= 20:  # ~0.3 s: the gateway's leg is already being hit
                meta.post(f"/control/calls/{call['id']}/answer")
                answered = True
            time.sleep(0.01)

    thread = threading.Thread(target=spray, daemon=True)
    thread.start()

    def stop_after_setup():
        try:
            gw.wait_for_log("SIP-leg RTP source learnt", timeout=20)
            time.sleep(1.0)  # keep spraying across the first second of media
        finally:
            stop.set()

    threading.Thread(target=stop_after_setup, daemon=True).start()
    try:
        out, samples, rate = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
                                      f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=10, tone_hz=1000)
    finally:
        stop.set()
        thread.join(5)
        attacker.close()
    logs = gw.logs()
    assert "Call established" in out, out + logs[-4000:]
    assert report["rounds"] >= 5 and report["ports"] >= 2, report
    assert gw.proc.poll() is None
    assert "WebRTC leg failed" not in logs, logs[-4000:]
    frequency, rms = tail_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 600) <= 10, (frequency, logs[-3000:])
    assert rms > 1000
    # STUN without integrity never gets a success answer (no reflector, no learnt address).
    assert not any(data[:2] == b"\x01\x01" for _, data in attacker.received), attacker.received[:3]


# MARK: - No DNS on the call path


@pytest.mark.parametrize("service", [E164, "*43"])
def test_a_host_name_in_c_gets_488_and_is_never_resolved(e2e, tmp_path, service):
    gw, meta = e2e()
    path = build(tmp_path / "hostname.xml", ["invite", "final:488"], "c= host name")
    path.write_text(path.read_text().replace("c=IN IP[media_ip_type] [media_ip]", "c=IN IP4 media.attacker.invalid"))
    started = time.time()
    code, out = sipp(gw, path, service=service, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    assert time.time() - started < 10
    assert gw.proc.poll() is None
    assert meta.calls() == []
    messages = "".join(p.read_text(errors="replace") for p in tmp_path.glob("*_messages.log"))
    assert re.search(r'Warning: 3\d\d \S+ "[^"]*the c= address .media.attacker.invalid. is not an IP address', messages), messages[-3000:]
