"""Internal calls from the web phone, against a real wagate: the agent (agent_peer.py,
aiortc, 700 Hz) dials a user by name; that user's phone is baresip (registered,
auto-answer, 1000 Hz, records what it decodes). The call is anchored at wagate (the
browser faces a `.browser` WebRTC leg, bob's phone the bridge's RTP port, transcoded
as phone ⇄ WhatsApp is); tones are heard both ways; no WhatsApp call is made."""
import asyncio
import threading

from agent_peer import AgentPeer
from baresip_peer import dominant_frequency, run_call
from test_agent_calls import ARTIFACTS, admin_calls, heard, start


def bob_phone(gw, tmp_path, seconds, result):
    """bob's baresip registers, auto-answers, plays 1000 Hz for `seconds` and hangs up (exits)."""
    def run():
        result["out"], result["samples"], result["rate"] = run_call(
            tmp_path / "bob", f"<sip:bob@127.0.0.1:{gw.sip_port}>;auth_pass=bob-secret;answermode=auto", None,
            seconds=seconds, tone_hz=1000, register=True)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_agent_dials_bob_by_name_bob_answers_tones_both_ways_no_whatsapp_call(e2e, tmp_path):
    gw, meta = start(e2e)
    result = {}
    phone = bob_phone(gw, tmp_path, 9, result)
    gw.wait_for_log("registered", timeout=20)

    async def scenario():
        agent = AgentPeer(gw, "dave", "dave-secret", tone_hz=700)
        call = await agent.dial("bob")
        progress = await agent.next(lambda m: m["type"] == "progress" and m["call"] == call and m.get("sdp"))
        assert "a=ice-lite" in progress["sdp"] and "a=setup:passive" in progress["sdp"], progress
        await agent.apply_answer(progress["sdp"])
        await agent.next(lambda m: m["type"] == "answered" and m["call"] == call, timeout=15)
        live = await asyncio.to_thread(admin_calls, gw)
        agent_heard = await heard(agent.media, 1000)
        ended = await agent.next("ended", timeout=20)
        await agent.close()
        return call, live, agent_heard, ended

    call, live, agent_heard, ended = asyncio.run(scenario())
    phone.join(timeout=30)
    frequency, _ = dominant_frequency(result["samples"], result["rate"])
    assert frequency is not None and abs(frequency - 700) <= 15, (frequency, result["out"][-2000:])
    assert ended["call"] == call and ended["by"] != "agent", ended
    assert [c["direction"] for c in live] == ["internal"], live
    assert meta.calls() == [], "no WhatsApp call for an internal call"
    logs = gw.wait_for_log("internal call anchored")
    assert "direction=internal" in logs or '"direction":"internal"' in logs or "internal" in logs



async def agent_in_whatsapp_call(gw, meta):
    """dave's agent answers a WhatsApp call (X) and the user hears it; returns (agent, user, X, X's media, sim call)."""
    from aiortc import RTCSessionDescription
    from aiortc_peer import poll
    from test_agent_calls import whatsapp_user_calls
    agent = AgentPeer(gw, "dave", "dave-secret", tone_hz=500)
    user, sim_call = await whatsapp_user_calls(meta)
    incoming = await agent.next("incoming")
    await agent.answer(incoming)
    x = incoming["call"]
    await agent.next(lambda m: m["type"] == "answered" and m["call"] == x)
    answer = await poll(lambda: meta.get(f"/control/calls/{sim_call}").get("business_sdp"))
    await user.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    await heard(user, 500)
    return agent, user, x, agent.media, sim_call


async def consult(agent, x, to="bob"):
    """Holds X and dials `to` (Y); returns Y once answered and heard (1000 Hz)."""
    await agent.ask({"type": "hold", "call": x, "on": True})
    await agent.next("held")
    y = await agent.dial(to)
    first = await agent.next(lambda m: m["type"] in ("progress", "answered") and m["call"] == y and m.get("sdp"),
                             timeout=15)
    await agent.apply_answer(first["sdp"])
    if first["type"] == "progress":
        await agent.next(lambda m: m["type"] == "answered" and m["call"] == y, timeout=15)
    await heard(agent.media, 1000)
    return y


def test_attended_transfer_sends_invite_with_replaces_baresip_refuses_420_x_stays(e2e, tmp_path):
    """Debian's baresip 1.0 has no Replaces (RFC 3891): it answers 420 to `Require: replaces`.
    The page hears `transfer {state:"failed", sip_status:420}` and X stays with the agent."""
    gw, meta = start(e2e)
    result = {}
    phone = bob_phone(gw, tmp_path, 14, result)
    gw.wait_for_log("registered", timeout=20)

    async def scenario():
        agent, user, x, x_media, sim_call = await agent_in_whatsapp_call(gw, meta)
        y = await consult(agent, x)
        await agent.ask({"type": "transfer", "call": x, "replaces": y})
        notice = await agent.next(lambda m: m["type"] == "transfer" and m["state"] != "trying", timeout=15)
        await agent.ask({"type": "hangup", "call": y})
        await agent.ask({"type": "hold", "call": x, "on": False})
        user_heard = await heard(user, 500)
        state = meta.get(f"/control/calls/{sim_call}")["state"]
        agent.save_transcript(ARTIFACTS / "agent-consult-replaces-refused.txt")
        await x_media.close()
        await agent.close()
        await user.close()
        return x, notice, user_heard, state

    x, notice, user_heard, state = asyncio.run(scenario())
    phone.join(timeout=30)
    assert notice == {"type": "transfer", "call": x, "state": "failed", "to": "bob", "sip_status": 420}, notice
    assert "Replaces: " in gw.logs() or "replaces" in gw.logs().lower()
    assert state != "ended"


def test_consultation_gone_before_transfer_fails_481_and_x_continues(e2e, tmp_path):
    gw, meta = start(e2e)
    result = {}
    phone = bob_phone(gw, tmp_path, 8, result)
    gw.wait_for_log("registered", timeout=20)

    async def scenario():
        agent, user, x, x_media, sim_call = await agent_in_whatsapp_call(gw, meta)
        y = await consult(agent, x)
        ended = await agent.next(lambda m: m["type"] == "ended" and m["call"] == y, timeout=20)  # bob hangs up
        await agent.ask({"type": "transfer", "call": x, "replaces": y})
        notice = await agent.next("transfer")
        await agent.ask({"type": "hold", "call": x, "on": False})
        user_heard = await heard(user, 500)
        state = meta.get(f"/control/calls/{sim_call}")["state"]
        await x_media.close()
        await agent.close()
        await user.close()
        return x, ended, notice, user_heard, state

    x, ended, notice, user_heard, state = asyncio.run(scenario())
    phone.join(timeout=30)
    assert notice == {"type": "transfer", "call": x, "state": "failed", "to": "", "sip_status": 481}, notice
    assert state != "ended"


def test_agent_consults_bob_and_transfers_whatsapp_user_and_bob_hear_each_other(e2e, tmp_path):
    """bob's phone supports Replaces (replaces_phone.py): it takes X without ringing and
    BYEs the consultation; the WhatsApp user hears bob and bob hears the user."""
    from replaces_phone import ReplacesPhone
    from test_agent_calls import register_phone

    gw, meta = start(e2e)
    port = register_phone(gw, tmp_path)
    phone = ReplacesPhone(port, tone_hz=1000)
    phone.start()

    async def scenario():
        agent, user, x, x_media, sim_call = await agent_in_whatsapp_call(gw, meta)
        y = await consult(agent, x)
        await agent.ask({"type": "transfer", "call": x, "replaces": y})
        notice = await agent.next(lambda m: m["type"] == "transfer" and m["state"] != "trying", timeout=15)
        endings = [await agent.next("ended", timeout=10), await agent.next("ended", timeout=10)]
        user_heard = await heard(user, 1000, timeout=10)
        await asyncio.sleep(1.5)  # bob's phone records the user for a while
        bob_heard = phone.heard(list(phone.dialogs)[-1])
        agent.save_transcript(ARTIFACTS / "agent-consult-transfer.txt")
        meta.post(f"/control/calls/{sim_call}/hangup")
        await x_media.close()
        await agent.close()
        await user.close()
        return x, y, notice, endings, user_heard, bob_heard, sim_call

    try:
        x, y, notice, endings, user_heard, bob_heard, sim_call = asyncio.run(scenario())
    finally:
        phone.stop()
        print("phone:", phone.log)
    assert notice == {"type": "transfer", "call": x, "state": "completed", "to": "bob", "sip_status": 200}, notice
    assert {e["call"] for e in endings} == {x, y}, endings
    assert len(phone.replaced) == 1 and len(phone.dialogs) == 2, phone.log
    assert bob_heard is not None and abs(bob_heard - 700) <= 15, ("bob hears the WhatsApp user", bob_heard)
    meta.wait_for_state(sim_call, "ended", timeout=20)
