"""aiortc (an independent WebRTC stack) as the WhatsApp user's side, pinned to
127.0.0.1 with no STUN/TURN server, sending a tone and recording what it hears."""
import asyncio
import fractions
import time

import aioice.ice
import numpy as np
from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection, RTCRtpSender
from av import AudioFrame

# Loopback only: aioice would otherwise gather every interface address.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


class ToneTrack(MediaStreamTrack):
    """48 kHz mono sine, paced in real time, 20 ms per frame."""
    kind = "audio"

    def __init__(self, frequency):
        super().__init__()
        self.frequency = frequency
        self.pts = 0
        self.start = None

    async def recv(self):
        if self.start is None:
            self.start = time.monotonic()
        delay = self.start + self.pts / 48000 - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        t = (np.arange(960) + self.pts) / 48000
        samples = (8000 * np.sin(2 * np.pi * self.frequency * t)).astype(np.int16)
        frame = AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = 48000
        frame.pts = self.pts
        frame.time_base = fractions.Fraction(1, 48000)
        self.pts += 960
        return frame


class Peer:
    def __init__(self, tone_hz):
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.received = []
        self.rate = 48000
        self.tasks = []
        sender = self.pc.addTrack(ToneTrack(tone_hz))
        transceiver = next(t for t in self.pc.getTransceivers() if t.sender == sender)
        opus = [c for c in RTCRtpSender.getCapabilities("audio").codecs if c.mimeType.lower() == "audio/opus"]
        transceiver.setCodecPreferences(opus)

        @self.pc.on("track")
        def on_track(track):
            self.tasks.append(asyncio.ensure_future(self._record(track)))

    async def _record(self, track):
        while True:
            try:
                frame = await track.recv()
            except Exception:
                return
            data = frame.to_ndarray()
            channels = len(frame.layout.channels)
            self.rate = frame.sample_rate
            self.received.append(data.reshape(-1)[::channels].astype(np.int16))

    def heard(self):
        if not self.received:
            return None, 0.0
        samples = np.concatenate(self.received).astype(float)
        segment = samples[-self.rate // 2:]
        spectrum = np.abs(np.fft.rfft(segment * np.hanning(len(segment))))
        freqs = np.fft.rfftfreq(len(segment), 1 / self.rate)
        return float(freqs[spectrum.argmax()]), float(np.sqrt((segment ** 2).mean()))

    async def close(self):
        await self.pc.close()
        for task in self.tasks:
            task.cancel()


async def poll(predicate, timeout=15):
    """Awaits `predicate()` turning truthy (its value), checking every 50 ms."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")
