"""Internal calls from the web phone, against a real wagate: the agent (agent_peer.py,
aiortc, 700 Hz) dials a user by name; that user's phone is baresip (registered,
auto-answer, 1000 Hz, records what it decodes). The call is anchored at wagate (the
browser faces a `.browser` WebRTC leg, bob's phone the bridge's RTP port, transcoded
as phone ⇄ WhatsApp is); tones are heard both ways; no WhatsApp call is made."""
import asyncio
import threading

from agent_peer import AgentPeer
from baresip_peer import dominant_frequency, run_call
from test_agent_calls import admin_calls, heard, start


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
