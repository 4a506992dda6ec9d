"""A ring-group call a browser agent answered is in that agent's `history`: the call
record names the member whose fork answered (`answered_by`), against a real wagate,
the Meta simulator and an agent client of `wagate.agent.v1` (agent_peer.py)."""
import asyncio

from agent_peer import AgentPeer
from aiortc_peer import poll
from test_agent_calls import E164, admin_calls, start, whatsapp_user_calls


def test_group_call_answered_in_the_browser_is_in_the_agents_history(e2e):
    gw, meta = start(e2e, target="group:team")

    async def scenario():
        agent = AgentPeer(gw, "dave", "dave-secret")
        user, call_id = await whatsapp_user_calls(meta)
        incoming = await agent.next("incoming")
        await agent.answer(incoming)
        await agent.next(lambda m: m["type"] == "answered" and m["call"] == incoming["call"])
        # Hang up once the gateway has Meta's answer to the accept (the call is answered
        # on both legs), so the record has its answer time: Meta may record the accept
        # before its response reaches the gateway.
        await asyncio.to_thread(meta.wait_for_state, call_id, "accepted")
        await poll(lambda: [c for c in admin_calls(gw) if c.get("state") == "answered"])
        await agent.ask({"type": "hangup", "call": incoming["call"]})
        await agent.next("ended")
        history = await poll(lambda: agent.history())
        await user.close()
        await agent.close()
        return history

    history = asyncio.run(scenario())
    assert len(history) == 1, history
    assert history[0]["direction"] == "inbound" and history[0]["peer"] == E164, history
    assert history[0]["outcome"] == "answered", history
