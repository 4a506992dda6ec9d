"""Browsers as phones, against a real wagate and the Meta simulator: an agent
client of `wagate.agent.v1` (agent_peer.py, aiortc media with a 1000 Hz tone)
rings, answers and dials; the WhatsApp user is aiortc too (700 Hz). Tones are
detected at both ends; the admin API shows Opus pass-through (nothing encoded
or decoded); a ring group with a SIPp phone and the browser has one winner each
way; missing permission, the page's request, then granted; who hung up is in `ended`."""
import asyncio
import socket
import time

from pathlib import Path

import pytest
from aiortc import RTCSessionDescription

from agent_peer import AgentPeer
from aiortc_peer import Peer, poll
from conftest import SIPP_DIR, free_port, sipp
from sipp_builder import run_uas

ARTIFACTS = Path(__file__).parent / "artifacts"
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


GROUP = """
[team]
type = ringgroup
members = dave, bob
"""


def start(e2e, target="user:dave", grant=True, whatsapp_extra="", sim_extra=()):
    """A gateway ringing `target` (dave is a web agent) for WhatsApp calls, with the admin
    API; the simulated user's media is aiortc (the simulator relays SDP only)."""
    admin = free_port(socket.SOCK_STREAM, both=False)
    gw, meta = e2e(media="none", sim_extra=("--answer-timing", "afterAccepted", *sim_extra), grant=False,
                   whatsapp_extra=whatsapp_extra,
                   inbound=f"[inbound]\ntarget = {target}\nring_timeout = 15\n",
                   sections=AGENT + GROUP + f"\n[admin]\nbind = 127.0.0.1:{admin}\ntoken = {ADMIN_TOKEN}\n")
    gw.admin_port = admin
    if grant:
        meta.grant(USER)
    return gw, meta


@pytest.fixture
def agents(e2e):
    return start(e2e)


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
        incoming = await agent.next("incoming")
        assert incoming["from"]["number"] == E164 and incoming["from"]["name"] == "Jo Bloggs"
        assert incoming["cta"] == {"payload": "order-4711"}, incoming
        assert "a=ice-lite" in incoming["sdp"] and "opus/48000/2" in incoming["sdp"]
        await agent.answer(incoming)
        await agent.next(lambda m: m["type"] == "answered" and m["call"] == incoming["call"])
        answer = await poll(lambda: meta.get(f"/control/calls/{call_id}").get("business_sdp"))
        await user.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        agent_heard = await heard(agent.media, 700)
        user_heard = await heard(user, 1000)
        media = (await poll(lambda: [c for c in admin_calls(gw) if c.get("media", {}).get("business_leg") == "browser"]))[0]["media"]
        assert media["pass_through"] is True and media["opus_encoded_frames"] == 0 and media["opus_decoded_frames"] == 0, media
        await agent.ask({"type": "hold", "call": incoming["call"], "on": True})
        await agent.next("held")
        meta.post(f"/control/calls/{call_id}/hangup")
        ended = await agent.next("ended")
        agent.save_transcript(ARTIFACTS / "agent-inbound.txt")
        await user.close()
        await agent.close()
        return agent_heard, user_heard, ended, incoming

    agent_heard, user_heard, ended, incoming = asyncio.run(scenario())
    print("agent heard", agent_heard, "user heard", user_heard)
    assert ended["call"] == incoming["call"] and ended["by"] == "whatsapp", ended


def test_agent_dials_user_answers_tones_both_ways_agent_hangs_up(agents):
    gw, meta = agents

    async def scenario():
        agent = AgentPeer(gw, "dave", "dave-secret", tone_hz=1000)
        call = await agent.dial(E164)
        ringing = await poll(lambda: next((c for c in meta.calls() if c["state"] == "ringing"), None))
        progress = await agent.next(lambda m: m["type"] == "progress" and m["call"] == call and m.get("sdp"))
        assert "a=ice-lite" in progress["sdp"] and "a=setup:passive" in progress["sdp"], progress
        await agent.apply_answer(progress["sdp"])
        user = Peer(700)
        await user.pc.setRemoteDescription(RTCSessionDescription(sdp=ringing["business_sdp"], type="offer"))
        await user.pc.setLocalDescription(await user.pc.createAnswer())
        meta.post(f"/control/calls/{ringing['id']}/answer", {"sdp": user.pc.localDescription.sdp})
        await agent.next(lambda m: m["type"] == "answered" and m["call"] == call)
        agent_heard = await heard(agent.media, 700)
        user_heard = await heard(user, 1000)
        await agent.ask({"type": "hangup", "call": call})
        ended = await agent.next("ended")
        final = await asyncio.to_thread(meta.wait_for_state, ringing["id"], "ended")
        history = await poll(lambda: agent.history())
        agent.save_transcript(ARTIFACTS / "agent-outbound.txt")
        await user.close()
        await agent.close()
        return agent_heard, user_heard, ended, final, call, history

    agent_heard, user_heard, ended, final, call, history = asyncio.run(scenario())
    assert history[0]["direction"] == "outbound" and history[0]["peer"] == E164, history
    assert history[0]["outcome"] == "answered", history
    assert ended["call"] == call and ended["by"] == "agent", ended
    assert final["state"] == "ended"


def admin_cdr(gw, call_id):
    import json
    import urllib.request
    request = urllib.request.Request(f"http://127.0.0.1:{gw.admin_port}/api/v1/cdrs/{call_id}",
                                     headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return None


def test_a_browser_that_closes_its_peer_connection_without_hangup_has_hung_up(agents):
    """A page that closes its PeerConnection (DTLS close_notify) before its `hangup`
    arrives ends the call normally, by the business side, not as a media failure."""
    gw, meta = agents

    async def scenario():
        agent = AgentPeer(gw, "dave", "dave-secret", tone_hz=1000)
        user, call_id = await whatsapp_user_calls(meta)
        incoming = await agent.next("incoming")
        await agent.answer(incoming)
        await agent.next(lambda m: m["type"] == "answered" and m["call"] == incoming["call"])
        answer = await poll(lambda: meta.get(f"/control/calls/{call_id}").get("business_sdp"))
        await user.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        await heard(user, 1000)
        gateway_call = (await poll(lambda: admin_calls(gw)))[0]["call_id"]
        await agent.media.close()  # aiortc's close sends close_notify, as Chromium's does; no `hangup`
        ended = await agent.next("ended")
        final = await asyncio.to_thread(meta.wait_for_state, call_id, "ended")
        record = await poll(lambda: (admin_cdr(gw, gateway_call) or {}).get("end_reason") and admin_cdr(gw, gateway_call))
        await user.close()
        agent.ws.close()
        return ended, final, record, incoming

    ended, final, record, incoming = asyncio.run(scenario())
    assert ended["call"] == incoming["call"] and ended["by"] == "agent", ended
    assert final["state"] == "ended"
    assert record["end_reason"] == "normal" and record["ended_by"] == "sip", record


def test_missing_permission_shown_requested_then_granted_and_the_call_goes_through(e2e):
    gw, meta = start(e2e, grant=False, whatsapp_extra="permission_template = call_request\npermission_template_language = en_US\n",
                     sim_extra=("--template", "call_request:en_US"))

    async def scenario():
        agent = AgentPeer(gw, "dave", "dave-secret")
        call = await agent.dial(E164)
        missing = await agent.next("permission")
        ended = await agent.next("ended")
        await agent.media.close()
        await agent.ask({"type": "permission.request", "to": E164})
        requested = await agent.next("permission")
        sent = await poll(lambda: meta.get("/control/messages")["messages"])
        meta.grant(USER)
        granted = await agent.next("permission")
        second = await agent.dial(E164)
        ringing = await poll(lambda: next((c for c in meta.calls() if c["state"] == "ringing"), None))
        await agent.ask({"type": "hangup", "call": second})
        agent.save_transcript(ARTIFACTS / "agent-permission.txt")
        await agent.close()
        return call, missing, ended, requested, sent, granted, ringing

    call, missing, ended, requested, sent, granted, ringing = asyncio.run(scenario())
    assert missing == {"type": "permission", "to": E164, "status": "missing", "can_request": True,
                       "request_sent": False}, missing
    assert ended["call"] == call and ended["reason"] == "no_permission" and ended["sip_status"] == 403, ended
    assert requested["status"] == "requested" and requested["to"] == E164, requested
    assert len(sent) == 1 and sent[0]["kind"] == "template" and sent[0]["template"] == "call_request", sent
    assert granted["status"] == "granted" and granted["to"] == E164, granted
    assert ringing["state"] == "ringing"


def register_phone(gw, tmp_path):
    """bob's phone (SIPp) registers; returns its port."""
    port = free_port()
    code, out = sipp(gw, "register_only.xml", service="bob", user="bob", password="bob-secret", tmp=tmp_path,
                     local_port=port)
    assert code == 0, out
    return port


def test_ring_group_phone_answers_first_browser_gets_cancelled(e2e, tmp_path):
    gw, meta = start(e2e, target="group:team")
    port = register_phone(gw, tmp_path)
    agent = AgentPeer(gw, "dave", "dave-secret")
    started = {}

    def trigger():
        started["user"], started["call"] = asyncio.run(whatsapp_user_calls(meta))

    code, out = run_uas(Path(SIPP_DIR) / "uas_ring_then_answer.xml", port, tmp_path, trigger)
    incoming = agent.wait_for("incoming")
    cancelled = agent.wait_for(lambda m: m["type"] == "cancelled")
    assert cancelled == {"type": "cancelled", "call": incoming["call"], "reason": "answered_elsewhere"}
    assert code == 0, out
    agent.ws.close()


def test_ring_group_browser_answers_first_phone_gets_cancel(e2e, tmp_path):
    gw, meta = start(e2e, target="group:team")
    port = register_phone(gw, tmp_path)
    agent = AgentPeer(gw, "dave", "dave-secret")
    started = {}

    def trigger():
        async def answer_in_browser():
            started["user"], started["call"] = await whatsapp_user_calls(meta)
            await agent.answer(await agent.next("incoming"))
        asyncio.run(answer_in_browser())

    code, out = run_uas(Path(SIPP_DIR) / "uas_ring_expect_cancel.xml", port, tmp_path, trigger)
    assert code == 0, out
    assert "CANCEL sip:" in out
    agent.wait_for("answered")
    agent.ws.close()
