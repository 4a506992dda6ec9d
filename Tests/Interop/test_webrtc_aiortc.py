"""The WhatsApp media leg against aiortc over 127.0.0.1, both directions of
offer/answer, each side sending a different tone and hearing the other's."""
import asyncio
import json
from pathlib import Path

import pytest
from aiortc import RTCSessionDescription

from aiortc_peer import Peer
from conftest import ROOT

PROBE = ROOT / ".build" / "debug" / "WebRTCProbe"


async def start_probe(role, tone, seconds, rate, dtmf=""):
    args = [str(PROBE), role, "--tone", str(tone), "--seconds", str(seconds), "--rate", str(rate)]
    if dtmf:
        args += ["--dtmf", dtmf]
    return await asyncio.create_subprocess_exec(*args, stdin=asyncio.subprocess.PIPE,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def read_sdp(stream):
    lines = []
    while True:
        line = (await asyncio.wait_for(stream.readline(), 10)).decode().rstrip("\r\n")
        if line == ".":
            return "\r\n".join(lines) + "\r\n"
        lines.append(line)


async def finish(probe):
    out, err = await asyncio.wait_for(probe.communicate(), 30)
    text = out.decode().strip().splitlines()
    assert text, err.decode()
    return json.loads(text[-1]), err.decode()


async def aiortc_offers(rate):
    peer = Peer(tone_hz=700)
    offer = await peer.pc.createOffer()
    await peer.pc.setLocalDescription(offer)
    local = peer.pc.localDescription.sdp
    assert "a=setup:actpass" in local and "a=rtcp-mux" in local and "BUNDLE" in local
    probe = await start_probe("answer", 1100, 3, rate)
    probe.stdin.write((local.replace("\r\n", "\n") + ".\n").encode())
    await probe.stdin.drain()
    answer = await read_sdp(probe.stdout)
    await peer.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    result, log = await finish(probe)
    heard = peer.heard()
    await peer.close()
    return answer, result, heard, log


async def wagate_offers(rate):
    peer = Peer(tone_hz=700)
    probe = await start_probe("offer", 1100, 10, rate)
    offer = await read_sdp(probe.stdout)
    await peer.pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
    answer = await peer.pc.createAnswer()
    await peer.pc.setLocalDescription(answer)
    probe.stdin.write((peer.pc.localDescription.sdp.replace("\r\n", "\n") + ".\n").encode())
    await probe.stdin.drain()
    result, log = await finish(probe)
    heard = peer.heard()
    await peer.close()
    return offer, result, heard, log


@pytest.mark.parametrize("rate", [8000, 16000])
def test_aiortc_offers_wagate_answers_as_dtls_client_audio_both_ways(rate):
    answer, result, (frequency, rms), log = asyncio.run(aiortc_offers(rate))
    assert "a=setup:active" in answer, "we are the DTLS client toward an actpass offer"
    assert "a=ice-lite" not in answer, "we are a full ICE agent"
    assert any("dtlsConnected" in e for e in result["events"]), (result, log)
    assert abs(result["frequency"] - 700) <= 10, ("wagate heard", result)
    assert frequency is not None and abs(frequency - 1100) <= 15, ("aiortc heard", frequency)
    assert result["srtpFailures"] == 0 and result["packetsReceived"] > 50


def test_wagate_offers_aiortc_answers_audio_both_ways():
    offer, result, (frequency, rms), log = asyncio.run(wagate_offers(8000))
    assert "a=setup:actpass" in offer and "a=mid:audio" in offer and "opus/48000/2" in offer
    assert "telephone-event/8000" in offer
    # RTCP both ways over 10 s: ours 1 s after media starts, then after 2.5–7.5 s (5 s times a
    # random factor, RFC 3550 §6.3.1), so at the latest at 8.5 s; aiortc's about every 5 s.
    assert result["rtcpSent"] >= 2 and result["rtcpReceived"] >= 1, result
    assert any("dtlsConnected" in e for e in result["events"]), (result, log)
    assert abs(result["frequency"] - 700) <= 10, ("wagate heard", result)
    assert frequency is not None and abs(frequency - 1100) <= 15, ("aiortc heard", frequency)
