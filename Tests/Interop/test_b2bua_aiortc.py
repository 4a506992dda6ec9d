"""End to end with aiortc, an independent WebRTC stack, as the WhatsApp user's
media: a SIP phone (baresip) ↔ wagate ↔ Meta simulator (signalling only) ↔
aiortc. Each side sends its own tone and must hear the other's."""
import asyncio
import socket
import time

import pytest
from aiortc import RTCSessionDescription

from aiortc_peer import Peer, poll
from baresip_peer import dominant_frequency, run_call
from conftest import Gateway, free_port
from meta_simulator import MetaSimulator

USER = "447700900124"
E164 = "+" + USER


@pytest.fixture
def e2e(tmp_path):
    http = free_port(socket.SOCK_STREAM, both=False)
    meta = MetaSimulator(tmp_path, http, media="none", extra=("--answer-timing", "afterAccepted"))
    gw = Gateway(tmp_path, whatsapp=meta.whatsapp_section(), http_port=http,
                 extra_sections="[inbound]\ntarget = user:alice\nring_timeout = 10\n")
    meta.grant(USER)
    yield gw, meta
    gw.stop()
    meta.stop()


def test_outbound_call_with_aiortc_as_the_whatsapp_user(e2e, tmp_path):
    gw, meta = e2e

    async def scenario():
        peer = Peer(tone_hz=700)
        phone = asyncio.create_task(asyncio.to_thread(
            run_call, tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
            f"sip:{E164}@127.0.0.1:{gw.sip_port}", 8, 1000))
        call = await poll(lambda: next((c for c in meta.calls() if c["state"] == "ringing"), None))
        offer = call["business_sdp"]
        assert "a=setup:actpass" in offer and "a=mid:audio" in offer
        await peer.pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        await peer.pc.setLocalDescription(await peer.pc.createAnswer())
        meta.post(f"/control/calls/{call['id']}/answer", {"sdp": peer.pc.localDescription.sdp})
        out, samples, rate = await phone
        heard_by_aiortc = peer.heard()
        await peer.close()
        return out, dominant_frequency(samples, rate), heard_by_aiortc

    out, (phone_heard, _), (aiortc_heard, _) = asyncio.run(scenario())
    assert "Call established" in out, out + gw.logs()
    assert phone_heard is not None and abs(phone_heard - 700) <= 10, ("phone heard", phone_heard)
    assert aiortc_heard is not None and abs(aiortc_heard - 1000) <= 15, ("aiortc heard", aiortc_heard)


def test_inbound_call_with_aiortc_as_the_whatsapp_user(e2e, tmp_path):
    gw, meta = e2e

    async def scenario():
        peer = Peer(tone_hz=700)
        phone = asyncio.create_task(asyncio.to_thread(
            run_call, tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret;answermode=auto",
            None, 10, 1000, "PCMU", "", True))
        await asyncio.sleep(2.5)  # the phone registers
        await peer.pc.setLocalDescription(await peer.pc.createOffer())
        created = meta.post(f"/control/users/{USER}/call", {"name": "aiortc", "sdp": peer.pc.localDescription.sdp})
        call_id = created["id"]
        answer = await poll(lambda: meta.get(f"/control/calls/{call_id}").get("business_sdp"))
        assert "a=setup:active" in answer
        await peer.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        out, samples, rate = await phone
        heard_by_aiortc = peer.heard()
        await peer.close()
        return out, dominant_frequency(samples, rate), heard_by_aiortc

    out, (phone_heard, _), (aiortc_heard, _) = asyncio.run(scenario())
    assert "Call established" in out, out + gw.logs()
    assert phone_heard is not None and abs(phone_heard - 700) <= 10, ("phone heard", phone_heard, gw.logs()[-3000:])
    assert aiortc_heard is not None and abs(aiortc_heard - 1000) <= 15, ("aiortc heard", aiortc_heard)
