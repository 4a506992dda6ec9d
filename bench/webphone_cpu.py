"""CPU of a real `wagate` process per call: one steady browser ⇄ WhatsApp call (an aiortc agent
of `wagate.agent.v1`, Opus passed through) and one steady desk-phone ⇄ WhatsApp call (baresip
with PCMU, transcoded), each against the Meta simulator with aiortc as the WhatsApp user, beside
an idle window of the same process. wagate's threads are pinned to CPU 0, everything else (this
harness, aiortc, baresip, the simulator) to CPU 1. CPU is read from /proc/<pid>/task/*/: the sum
of utime+stime (clock ticks) and of schedstat's run time (ns), at the start and end of each window;
a call's figure is its window minus the idle window. Prints each run, then the median of the runs.

Usage (bench/60-webphone-cpu.sh runs it): WAGATE_BIN=… .venv/bin/python bench/webphone_cpu.py [RUNS] [SECONDS]
Bounded: every wait has a deadline; the gateway and simulator are stopped at the end of each run."""
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "Interop"))

from aiortc import RTCSessionDescription  # noqa: E402

from agent_peer import AgentPeer  # noqa: E402
from aiortc_peer import Peer, poll  # noqa: E402
from baresip_peer import run_call  # noqa: E402
from conftest import Gateway, free_port  # noqa: E402
from meta_simulator import MetaSimulator  # noqa: E402

USER = "447700900126"
E164 = "+" + USER
AGENT = "[dave]\ntype = user\nsecret = dave-secret\nwebrtc = yes\nallow = +*\n"
TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid):
    """(utime+stime seconds, schedstat run-time seconds) summed over the process's threads."""
    ticks, run_ns = 0, 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
            run_ns += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended during the walk
    return ticks / TICK, run_ns / 1e9


async def window(pid, seconds):
    """CPU seconds per wall second over a window: (ticks-based, schedstat-based)."""
    start_wall, start = time.monotonic(), process_cpu(pid)
    await asyncio.sleep(seconds)
    end_wall, end = time.monotonic(), process_cpu(pid)
    wall = end_wall - start_wall
    return (end[0] - start[0]) / wall, (end[1] - start[1]) / wall


async def heard(peer, hz, timeout=20):
    """Waits until `peer` hears `hz` (the call's media flows both ways end to end)."""
    await poll(lambda: (lambda f: f[0] is not None and abs(f[0] - hz) <= 20 and f[1] > 100)(peer.heard()), timeout)


async def browser_call(gw, meta, seconds):
    """The agent dials the WhatsApp user, who answers; measures `seconds` of the steady call."""
    agent = AgentPeer(gw, "dave", "dave-secret", tone_hz=1000)
    # The socket's 10 s timeout would end AgentPeer's reader thread during a quiet 20 s window
    # (no message comes while a call just runs); the dial's answer wakes the pending read first.
    agent.ws.settimeout(None)
    call = await agent.dial(E164)
    ringing = await poll(lambda: next((c for c in meta.calls() if c["state"] == "ringing"), None))
    progress = await agent.next(lambda m: m["type"] == "progress" and m["call"] == call and m.get("sdp"))
    await agent.apply_answer(progress["sdp"])
    user = Peer(700)
    await user.pc.setRemoteDescription(RTCSessionDescription(sdp=ringing["business_sdp"], type="offer"))
    await user.pc.setLocalDescription(await user.pc.createAnswer())
    meta.post(f"/control/calls/{ringing['id']}/answer", {"sdp": user.pc.localDescription.sdp})
    await heard(user, 1000)
    await heard(agent.media, 700)
    measured = await window(gw.proc.pid, seconds)
    await agent.ask({"type": "hangup", "call": call})
    await asyncio.to_thread(meta.wait_for_state, ringing["id"], "ended")
    await user.close()
    await agent.close()
    return measured


async def phone_call(gw, meta, seconds, workdir):
    """baresip (PCMU) dials the WhatsApp user, who answers; measures `seconds` of the steady call."""
    user = Peer(700)
    phone = asyncio.create_task(asyncio.to_thread(
        run_call, workdir, f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
        f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds + 12, 1000, "PCMU"))
    ringing = await poll(lambda: next((c for c in meta.calls() if c["state"] == "ringing"), None))
    await user.pc.setRemoteDescription(RTCSessionDescription(sdp=ringing["business_sdp"], type="offer"))
    await user.pc.setLocalDescription(await user.pc.createAnswer())
    meta.post(f"/control/calls/{ringing['id']}/answer", {"sdp": user.pc.localDescription.sdp})
    await heard(user, 1000)
    measured = await window(gw.proc.pid, seconds)
    out, _, _ = await phone
    await user.close()
    if "Call established" not in out:
        raise AssertionError("the phone call was not established:\n" + out[-2000:])
    return measured


def pin(pid, cpu):
    subprocess.run(["taskset", "-a", "-p", "-c", str(cpu), str(pid)], check=True, capture_output=True)


async def one_run(tmp, seconds):
    """Idle, browser and phone windows of one fresh gateway; returns {kind: (ticks, schedstat)} CPU s/s."""
    http = free_port(socket.SOCK_STREAM, both=False)
    meta = MetaSimulator(tmp, http, media="none", extra=("--answer-timing", "afterAccepted"))
    gw = Gateway(tmp, whatsapp=meta.whatsapp_section(), http_port=http, extra_sections=AGENT)
    try:
        meta.grant(USER)
        pin(gw.proc.pid, 0)
        await asyncio.sleep(2)  # start-up work (health check, first timers) stays out of the idle window
        idle = await window(gw.proc.pid, seconds)
        browser = await browser_call(gw, meta, seconds)
        phone = await phone_call(gw, meta, seconds, tmp / "baresip")
        return {"idle": idle, "browser": browser, "phone": phone}
    finally:
        gw.stop()
        meta.stop()


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 20
    os.sched_setaffinity(0, {1})  # this harness and the peers it starts; wagate is moved to CPU 0
    print(f"real wagate ({os.environ.get('WAGATE_BIN', 'debug build')}), {runs} runs, {seconds:.0f} s windows, "
          "wagate on CPU 0, peers on CPU 1")
    results = []
    for index in range(runs):
        with tempfile.TemporaryDirectory(prefix="webphone-cpu-") as tmp:
            result = asyncio.run(one_run(Path(tmp), seconds))
        results.append(result)
        idle = result["idle"]
        print(f"run {index + 1}: idle {idle[1] * 1e6:.0f} µs/s"
              + "".join(f"  {kind} {(result[kind][1] - idle[1]) * 1e6:.0f} µs/call-s"
                        f" (ticks {(result[kind][0] - idle[0]) * 1e6:.0f})" for kind in ("browser", "phone")), flush=True)
    print("")
    print("| real wagate, one call | median µs CPU per call-second (schedstat) | min | max | utime+stime (10 ms ticks), median |")
    print("|---|---|---|---|---|")
    medians = {}
    for kind, label in (("browser", "browser (aiortc agent) ⇄ WhatsApp, Opus pass-through"),
                        ("phone", "desk phone (baresip PCMU) ⇄ WhatsApp, transcoded")):
        precise = sorted((r[kind][1] - r["idle"][1]) * 1e6 for r in results)
        ticks = statistics.median((r[kind][0] - r["idle"][0]) * 1e6 for r in results)
        medians[kind] = statistics.median(precise)
        print(f"| {label} | {medians[kind]:.0f} | {precise[0]:.0f} | {precise[-1]:.0f} | {ticks:.0f} |")
    idle = statistics.median(r["idle"][1] * 1e6 for r in results)
    print(f"| idle process (subtracted above) | {idle:.0f} µs per second | | | |")
    if medians["phone"] > 0:
        print(f"browser ⇄ WhatsApp / desk phone ⇄ WhatsApp: {medians['browser'] / medians['phone']:.2f}×")


if __name__ == "__main__":
    main()
