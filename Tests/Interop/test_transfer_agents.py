"""Blind transfers with browser agents on either end, against a real wagate, the Meta
simulator and real phones. The agent is a `wagate.agent.v1` client with aiortc media
(agent_peer.py, 1000 Hz); bob's phone is baresip (1400 Hz); alice's desk phone is SIPp.

(a) The agent blind-transfers a WhatsApp call (aiortc user, 700 Hz) to bob's phone: the
    user hears bob, bob hears the user, the page gets `ended by agent`, and the call's
    end line counts the transfer answered by bob.
(b) alice's desk phone REFERs its WhatsApp call to dave, whose only contact is the
    agent: the page rings with `direction: transfer, referred_by: alice`, answers, and
    hears its own tone back through the simulator's echo (so the WhatsApp user hears it).
(c) Nobody answers the transfer: after `[transfer] ring_timeout` the call rings the
    transferring agent again (`referred_by` null) on a new PeerConnection, which hears
    the WhatsApp user and is heard."""
import asyncio
import threading

from aiortc import RTCSessionDescription

from agent_peer import AgentPeer
from aiortc_peer import poll
from conftest import SIPP_DIR, WHATSAPP_USER, sipp  # noqa: F401 (SIPP_DIR: the scenarios' home for sipp)
from test_agent_calls import AGENT, USER, heard, whatsapp_user_calls
from test_transfer_sip import (answer_when_ringing, blind_transfer_flow, ended_line, heard_at_the_end, messages, phone,
                               wait_registered)


def agents_gateway(e2e, media="none", ring_timeout=10):
    """A gateway whose WhatsApp calls ring dave's browser; transfers ring `ring_timeout` seconds."""
    return e2e(media=media, sim_extra=("--answer-timing", "afterAccepted") if media == "none" else (),
               grant=media != "none",
               inbound="[inbound]\ntarget = user:dave\nring_timeout = 15\n",
               sections=AGENT + f"\n[transfer]\nring_timeout = {ring_timeout}\n")


async def answered_by_agent(gw, meta):
    """The simulated WhatsApp user (700 Hz) calls; dave's agent (1000 Hz) answers; both hear each other.
    Returns (agent, user, the page's call id, the simulator's call id)."""
    meta.grant(USER)
    agent = AgentPeer(gw, "dave", "dave-secret", tone_hz=1000)
    user, call_id = await whatsapp_user_calls(meta)
    incoming = await agent.next("incoming")
    assert incoming["direction"] == "whatsapp", incoming
    await agent.answer(incoming)
    await agent.next(lambda m: m["type"] == "answered" and m["call"] == incoming["call"])
    answer = await poll(lambda: meta.get(f"/control/calls/{call_id}").get("business_sdp"))
    await user.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    await heard(user, 1000)
    await heard(agent.media, 700)
    return agent, user, incoming["call"], call_id


def test_agent_transfers_to_bobs_phone_user_and_bob_hear_each_other(e2e, tmp_path):
    gw, meta = agents_gateway(e2e)
    bob, result = phone(gw, tmp_path, "bob", 1400, seconds=16)
    wait_registered(gw, "bob")

    async def scenario():
        agent, user, call, call_id = await answered_by_agent(gw, meta)
        await agent.ask({"type": "transfer", "call": call, "to": "bob"})
        ended = await agent.next("ended", timeout=15)
        user_heard = await heard(user, 1400, timeout=20)
        await asyncio.to_thread(bob.join, 40)
        meta.post(f"/control/calls/{call_id}/hangup")
        await user.close()
        await agent.close()
        return ended, user_heard

    ended, user_heard = asyncio.run(scenario())
    assert ended["by"] == "agent" and ended["detail"] == "transferred to bob", ended
    out, samples, rate = result["call"]
    bob_heard = heard_at_the_end(samples, rate)
    assert bob_heard is not None and abs(bob_heard - 700) <= 15, (bob_heard, out[-3000:], gw.logs()[-3000:])
    line = ended_line(gw, timeout=15)
    assert "transfers=1" in line and "answered_by=user:bob" in line, line


def test_desk_phone_transfers_to_an_agent_who_answers_and_is_heard(e2e, tmp_path):
    gw, meta = agents_gateway(e2e, media="echo")
    agent = AgentPeer(gw, "dave", "dave-secret", tone_hz=1000)
    answer_when_ringing(meta)
    alice = {}

    def desk_phone():
        flow = blind_transfer_flow(tmp_path / "to-agent.xml", "dave")
        alice["result"] = sipp(gw, flow, service="+" + WHATSAPP_USER, tmp=tmp_path, timeout=30)
    caller = threading.Thread(target=desk_phone, daemon=True)
    caller.start()

    async def scenario():
        incoming = await agent.next("incoming", timeout=30)
        await agent.answer(incoming)
        await agent.next(lambda m: m["type"] == "answered" and m["call"] == incoming["call"])
        echoed = await heard(agent.media, 1000, timeout=20)
        meta.post(f"/control/calls/{meta.calls()[0]['id']}/hangup")
        ended = await agent.next("ended", timeout=15)
        await agent.close()
        return incoming, echoed, ended

    incoming, echoed, ended = asyncio.run(scenario())
    caller.join(timeout=40)
    code, out = alice["result"]
    assert code == 0, out + messages(tmp_path)[-6000:] + gw.logs()[-4000:]
    assert incoming["direction"] == "transfer" and incoming["referred_by"] == "alice", incoming
    assert incoming["from"]["number"] == "+" + WHATSAPP_USER, incoming
    assert ended["by"] == "whatsapp", ended
    line = ended_line(gw, timeout=15)
    assert "transfers=1" in line and "answered_by=user:dave" in line, line


def test_unanswered_transfer_rings_the_agent_again_who_takes_the_call_back(e2e, tmp_path):
    gw, meta = agents_gateway(e2e, ring_timeout=5)
    bob, _ = phone(gw, tmp_path, "bob", 1400, seconds=14, answer="manual")
    wait_registered(gw, "bob")

    async def scenario():
        agent, user, call, call_id = await answered_by_agent(gw, meta)
        await agent.ask({"type": "transfer", "call": call, "to": "bob"})
        await agent.next("ended", timeout=15)
        await agent.media.close()
        again = await agent.next("incoming", timeout=20)
        await agent.answer(again)
        await agent.next(lambda m: m["type"] == "answered" and m["call"] == again["call"])
        agent_heard = await heard(agent.media, 700, timeout=20)
        user_heard = await heard(user, 1000, timeout=20)
        meta.post(f"/control/calls/{call_id}/hangup")
        ended = await agent.next("ended", timeout=15)
        await user.close()
        await agent.close()
        return call, again, agent_heard, user_heard, ended

    call, again, agent_heard, user_heard, ended = asyncio.run(scenario())
    bob.join(timeout=30)
    assert again["call"] != call and again["direction"] == "transfer" and again.get("referred_by") is None, again
    assert ended["call"] == again["call"] and ended["by"] == "whatsapp", ended
    line = ended_line(gw, timeout=15)
    assert "transfers=1" in line and "answered_by=user:dave" in line, line
