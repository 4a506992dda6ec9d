"""Browsers as phones, against a real wagate and the Meta simulator: an agent
client of `wagate.agent.v1` (agent_peer.py, aiortc media with a 1000 Hz tone)
rings, answers and dials; the WhatsApp user is aiortc too (700 Hz). Tones are
detected at both ends; the admin API shows Opus pass-through (nothing encoded
or decoded); a ring group with a SIPp phone and the browser has one winner each
way; missing permission, then granted; who hung up is in `ended`."""
import asyncio
import socket
import time

import pytest
from aiortc import RTCSessionDescription

from agent_peer import AgentPeer
from aiortc_peer import Peer
from conftest import free_port

USER = "447700900125"
E164 = "+" + USER
ADMIN_TOKEN = "admin-token-agent-calls-0001"
AGENT = """
[dave]
type = user
secret = dave-secret
webrtc = yes
allow = +*
"""


async def poll(predicate, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def heard(peer, hz, tolerance=15, timeout=15):
    """Waits until `peer` hears `hz`; returns the frequency heard last."""
    deadline = time.time() + timeout
    frequency = None
    while time.time() < deadline:
        frequency, rms = peer.heard()
        if frequency is not None and abs(frequency - hz) <= tolerance and rms > 100:
            return frequency
        await asyncio.sleep(0.2)
    raise AssertionError(f"expected {hz} Hz, heard {frequency}")


@pytest.fixture
def agents(e2e):
    """A gateway ringing dave (a web agent) for WhatsApp calls, with the admin API; the
    simulated user's media is aiortc (the simulator relays SDP only)."""
    admin = free_port(socket.SOCK_STREAM, both=False)
    gw, meta = e2e(media="none", sim_extra=("--answer-timing", "afterAccepted"),
                   inbound="[inbound]\ntarget = user:dave\nring_timeout = 15\n",
                   sections=AGENT + f"\n[admin]\nbind = 127.0.0.1:{admin}\ntoken = {ADMIN_TOKEN}\n")
    gw.admin_port = admin
    return gw, meta


def admin_calls(gw):
    import json
    import urllib.request
    request = urllib.request.Request(f"http://127.0.0.1:{gw.admin_port}/api/v1/calls",
                                     headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())["calls"]


async def whatsapp_user_calls(meta, cta=None):
    """The simulated user calls the business with an aiortc offer; returns (peer, simulator call id)."""
    user = Peer(700)
    await user.pc.setLocalDescription(await user.pc.createOffer())
    body = {"name": "Jo Bloggs", "sdp": user.pc.localDescription.sdp}
    if cta:
        body["cta_payload"] = cta
    created = meta.post(f"/control/users/{USER}/call", body)
    return user, created["id"]


def test_whatsapp_user_calls_agent_answers_tones_both_ways_pass_through(agents):
    gw, meta = agents

    async def scenario():
        agent = AgentPeer(gw, "dave", "dave-secret", tone_hz=1000)
        user, call_id = await whatsapp_user_calls(meta, cta="order-4711")
        incoming = agent.wait_for("incoming")
        assert incoming["from"]["number"] == E164 and incoming["from"]["name"] == "Jo Bloggs"
        assert incoming["cta"] == {"payload": "order-4711"}, incoming
        assert "a=ice-lite" in incoming["sdp"] and "opus/48000/2" in incoming["sdp"]
        await agent.answer(incoming)
        agent.wait_for(lambda m: m["type"] == "answered" and m["call"] == incoming["call"])
        answer = await poll(lambda: meta.get(f"/control/calls/{call_id}").get("business_sdp"))
        await user.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        agent_heard = await heard(agent.media, 700)
        user_heard = await heard(user, 1000)
        media = (await poll(lambda: [c for c in admin_calls(gw) if c.get("media", {}).get("business_leg") == "browser"]))[0]["media"]
        assert media["pass_through"] is True and media["opus_encoded_frames"] == 0 and media["opus_decoded_frames"] == 0, media
        meta.post(f"/control/calls/{call_id}/hangup")
        ended = agent.wait_for("ended")
        await user.close()
        await agent.close()
        return agent_heard, user_heard, ended, incoming

    agent_heard, user_heard, ended, incoming = asyncio.run(scenario())
    print("agent heard", agent_heard, "user heard", user_heard)
    assert ended["call"] == incoming["call"] and ended["by"] == "whatsapp", ended
