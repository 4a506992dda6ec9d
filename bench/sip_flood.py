"""SIP flood benchmark: SIPp floods wagate from 127.0.0.2 with out-of-dialog
OPTIONS and with unauthenticated INVITEs at rising rates, then from twenty
addresses at once above the gateway-wide ceiling, while a phone registered as
alice on 127.0.0.1 places authenticated echo calls. Reports, beside the idle
baseline of the same run: how many requests were answered, challenged (407)
or shed (503 with Retry-After), wagate's CPU and RSS, RSS before and after a
long OPTIONS run (1 million by default), and the phone's calls that completed.
Uses the default rate limits. Prints tables; never fails on a figure."""
import csv
import glob
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
WAGATE = Path(os.environ.get("WAGATE_BIN", ROOT / ".build-release" / "release" / "wagate"))
OPTIONS_RATES = [int(r) for r in os.environ.get("OPTIONS_RATES", "2000,5000,10000,20000").split(",")]
INVITE_RATES = [int(r) for r in os.environ.get("INVITE_RATES", "5,20,100,500,1000").split(",")]
OPTIONS_TOTAL = int(os.environ.get("OPTIONS_TOTAL", "1000000"))
STEP = int(os.environ.get("STEP_SECONDS", "5"))
LONG_RUN_CAP = int(os.environ.get("LONG_RUN_SECONDS", "150"))
RSS_CAP = float(os.environ.get("RSS_CAP_MIB", "2048"))  # the machine is shared: stop a flood that grows wagate past this
PHONE_RATE = 2


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def usage(pid):
    """(RSS in MiB, CPU seconds used so far) of `pid`."""
    rss = next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS:"))
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return rss / 1024, (int(fields[11]) + int(fields[12])) / ticks


class Run:
    """One SIPp process; `result()` reads its statistics and message counts."""

    def __init__(self, work, name, scenario, target, ip, rate, calls, service="*43", extra=()):
        self.dir = work / name
        self.dir.mkdir(parents=True, exist_ok=True)
        args = ["sipp", target, "-sf", str(scenario), "-i", ip, "-p", str(free_port()), "-r", str(rate),
                "-m", str(calls), "-s", service, "-nostdin", "-timeout", f"{calls // max(rate, 1) + 20}s",
                "-l", str(max(50, rate * 4)), "-max_socket", "4000", "-trace_stat", "-stf", "stat.csv",
                "-fd", "1", "-trace_counts", *extra]
        self.proc = subprocess.Popen(args, cwd=self.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def watch(self, pid, cap_mib):
        """Waits for SIPp, stopping it when wagate's RSS passes `cap_mib`; returns the peak RSS."""
        peak = 0.0
        while self.proc.poll() is None:
            peak = max(peak, usage(pid)[0])
            if peak > cap_mib:
                self.proc.send_signal(signal.SIGTERM)
                break
            time.sleep(0.5)
        return peak

    def result(self):
        self.proc.wait()
        rows = list(csv.reader(open(self.dir / "stat.csv"), delimiter=";"))
        stat = dict(zip(rows[0], rows[-1]))
        counts = {}
        for f in glob.glob(str(self.dir / "*_counts.csv")):
            crow = list(csv.reader(open(f), delimiter=";"))
            counts = dict(zip(crow[0], crow[-1]))
        recv = lambda code: sum(int(v) for k, v in counts.items() if k.endswith(f"_{code}_Recv") and v.isdigit())
        return {"ok": int(stat.get("SuccessfulCall(C)", 0)), "failed": int(stat.get("FailedCall(C)", 0)),
                "407": recv(407), "503": recv(503)}


def gateway(work, port):
    conf = work / "sip.conf"
    conf.write_text(f"""[general]
listen = udp:127.0.0.1:{port}
rtp_port_range = 20000-40000
[whatsapp]
mode = sandbox
simulator_listen = 127.0.0.1:{free_port()}
[http]
listen = 127.0.0.1:{free_port()}
[storage]
database = {work}/wagate.sqlite
[alice]
type = user
secret = alice-secret
allow = +*
max_calls = 1000
""")
    log = work / "wagate.log"
    gw = subprocess.Popen([str(WAGATE), "run", "--config", str(conf), "--log-level", "warning"],
                          cwd=work, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    deadline = time.time() + 20
    while time.time() < deadline and gw.poll() is None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return gw, log  # wagate holds the port: listening
        time.sleep(0.1)
    raise RuntimeError("wagate did not start:\n" + log.read_text())


def phone_calls(work, name, target, seconds):
    """The registered phone (alice on 127.0.0.1) placing echo calls for `seconds`."""
    calls = PHONE_RATE * seconds
    return Run(work, name, HERE / "sipp" / "uac_auth_call.xml", target, "127.0.0.1", PHONE_RATE, calls,
               extra=("-au", "alice", "-ap", "alice-secret", "-auth_uri", f"*43@{target}"))


def measured(gw, action):
    """Runs `action()`; returns (its result, wagate CPU % of one core, RSS MiB after)."""
    _, cpu0 = usage(gw.pid)
    t0 = time.time()
    result = action()
    rss, cpu1 = usage(gw.pid)
    return result, 100 * (cpu1 - cpu0) / max(time.time() - t0, 1e-3), rss


def options_steps(work, gw, target):
    print(f"\nOPTIONS flood from 127.0.0.2, {STEP} s per rate")
    print(f"{'offered/s':>10s} {'answered':>9s} {'lost':>7s} {'CPU %':>7s} {'RSS MiB':>8s}")
    best = OPTIONS_RATES[0]
    for rate in OPTIONS_RATES:
        run = lambda: Run(work, f"options-{rate}", HERE / "sipp" / "options_flood.xml", target, "127.0.0.2",
                          rate, rate * STEP).result()
        r, cpu, rss = measured(gw, run)
        total = max(1, r["ok"] + r["failed"])
        print(f"{rate:10d} {100 * r['ok'] / total:8.1f}% {r['failed']:7d} {cpu:7.0f} {rss:8.1f}")
        if r["ok"] / total >= 0.99:
            best = rate
    return best


def invite_steps(work, gw, target):
    print(f"\nINVITE flood from 127.0.0.2 (source_invite_rate 10/s) while alice calls at {PHONE_RATE}/s from 127.0.0.1, {STEP} s per rate")
    print(f"{'offered/s':>10s} {'407':>7s} {'503':>7s} {'no answer':>10s} {'CPU %':>7s} {'RSS MiB':>8s} {'phone calls ok':>15s}")
    for rate in INVITE_RATES:
        def run():
            flood = Run(work, f"invite-{rate}", HERE / "sipp" / "invite_flood.xml", target, "127.0.0.2", rate, rate * STEP)
            phone = phone_calls(work, f"phone-{rate}", target, STEP)
            return flood.result(), phone.result()
        (f, p), cpu, rss = measured(gw, run)
        unanswered = rate * STEP - f["407"] - f["503"]
        print(f"{rate:10d} {f['407']:7d} {f['503']:7d} {unanswered:10d} {cpu:7.0f} {rss:8.1f} {p['ok']:7d}/{p['ok'] + p['failed']}")


def distributed_step(work, gw, target, sources=20, rate=20):
    print(f"\nINVITE flood from {sources} addresses at {rate}/s each ({sources * rate}/s; call_attempt_rate 100/s) "
          f"while alice calls at {PHONE_RATE}/s")
    def run():
        floods = [Run(work, f"multi-{i}", HERE / "sipp" / "invite_flood.xml", target, f"127.0.0.{10 + i}", rate, rate * STEP)
                  for i in range(sources)]
        phone = phone_calls(work, "phone-multi", target, STEP)
        return [f.result() for f in floods], phone.result()
    (floods, p), cpu, rss = measured(gw, run)
    c407, c503 = sum(f["407"] for f in floods), sum(f["503"] for f in floods)
    print(f"  407 {c407}, 503 {c503}, no answer {sources * rate * STEP - c407 - c503}; CPU {cpu:.0f} %, RSS {rss:.1f} MiB; "
          f"phone calls ok {p['ok']}/{p['ok'] + p['failed']}")


def main():
    if not WAGATE.exists():
        print(f"no wagate binary at {WAGATE}")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        port = free_port()
        target = f"127.0.0.1:{port}"
        gw, log = gateway(work, port)
        try:
            subprocess.run(["sipp", target, "-sf", str(ROOT / "Tests" / "Interop" / "sipp" / "register_only.xml"), "-i",
                            "127.0.0.1", "-p", str(free_port()), "-m", "1", "-s", "alice", "-au", "alice", "-ap",
                            "alice-secret", "-nostdin", "-timeout", "10s"], cwd=work, capture_output=True)
            time.sleep(1)
            idle_rss, idle_cpu0 = usage(gw.pid)
            time.sleep(2)
            idle_cpu = 100 * (usage(gw.pid)[1] - idle_cpu0) / 2
            base, cpu, rss = measured(gw, lambda: phone_calls(work, "phone-baseline", target, STEP).result())
            print(f"baseline: idle CPU {idle_cpu:.0f} %, RSS {idle_rss:.1f} MiB; alice alone at {PHONE_RATE} calls/s: "
                  f"{base['ok']}/{base['ok'] + base['failed']} calls ok, CPU {cpu:.0f} %, RSS {rss:.1f} MiB")
            best = options_steps(work, gw, target)
            before, _ = usage(gw.pid)
            count = min(OPTIONS_TOTAL, best * LONG_RUN_CAP)
            def long_run():
                run = Run(work, "options-long", HERE / "sipp" / "options_flood.xml", target, "127.0.0.2", best, count)
                return run.watch(gw.pid, RSS_CAP), run.result()
            (peak, r), cpu, after = measured(gw, long_run)
            sent = r["ok"] + r["failed"]
            stopped = f" (stopped: wagate RSS passed {RSS_CAP:.0f} MiB)" if peak > RSS_CAP else ""
            print(f"\n{sent} of {count} OPTIONS at {best}/s{stopped}: {r['ok']} answered; CPU {cpu:.0f} %; "
                  f"RSS {before:.1f} MiB before, {after:.1f} MiB after, peak {peak:.1f} MiB "
                  f"({1024 * 1024 * (after - before) / max(sent, 1):.0f} bytes per OPTIONS still held)")
            time.sleep(35)  # sofia keeps a UDP server transaction for 32 s (RFC 3261 timer J)
            print(f"RSS 35 s after the run: {usage(gw.pid)[0]:.1f} MiB")
            invite_steps(work, gw, target)
            distributed_step(work, gw, target)
            limited = sum("request rate limited" in line for line in log.read_text().splitlines())
            print(f"\nwagate alive: {gw.poll() is None}; 'request rate limited' log lines for the whole run: {limited}")
        finally:
            gw.send_signal(signal.SIGTERM)
            try:
                gw.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gw.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
