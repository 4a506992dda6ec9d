"""B2BUA call rate: SIPp places authenticated calls to a
WhatsApp number through wagate (cloud mode) to the Meta simulator on the same
machine, which answers at once with real WebRTC media (ICE, DTLS, SRTP, Opus);
each call is held 1 s with media set up on both sides, then hung up. Rates rise
until a call fails; the best is confirmed for 30 s. INVITE→200 percentiles are
printed: they contain the gateway's work on both legs plus the simulator's
(Graph request, signed webhooks, its own ICE/DTLS), all on this machine. The
time the gateway itself adds per hop (INVITE in → connect out; connect webhook
in → 200 out) comes from wagate's own `GET /metrics` histograms, scraped at the
end of each run; percentiles are interpolated within buckets as Prometheus'
histogram_quantile does."""
import glob
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "Tests" / "Interop"))
from sipp_builder import build  # noqa: E402

WAGATE = Path(os.environ.get("WAGATE_BIN", HERE.parent / ".build-release" / "release" / "wagate"))
RATES = [int(r) for r in os.environ.get("RATES", "10,25,50,100,150,200").split(",")]
PROBE, CONFIRM = int(os.environ.get("PROBE_SECONDS", "8")), int(os.environ.get("CONFIRM_SECONDS", "30"))


def free_port(kind=socket.SOCK_DGRAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(target, scenario, rate, seconds, work):
    for f in glob.glob(str(work / "*_rtt.csv")):
        os.remove(f)
    args = ["sipp", target, "-sf", str(scenario), "-i", "127.0.0.1", "-p", str(free_port()), "-r", str(rate),
            "-m", str(rate * seconds), "-s", "+447700900123", "-auth_uri", f"+447700900123@{target}", "-au", "alice", "-ap", "alice-secret", "-nostdin",
            "-timeout", f"{seconds + 40}s", "-trace_rtt", "-rtt_freq", "1", "-max_socket", "4000", "-l", str(rate * 10)]
    ok = subprocess.run(args, cwd=work, capture_output=True, text=True).returncode == 0
    latencies = sorted(float(line.split(";")[1]) for f in glob.glob(str(work / "*_rtt.csv"))
                       for line in open(f).read().splitlines()[1:] if line.count(";") >= 2)
    return ok, latencies


class Stack:
    """A fresh simulator and gateway for one measurement, so a failed run leaves nothing behind."""

    def __init__(self, work, g711=False):
        self.work = work
        http, sim, self.sip = free_port(socket.SOCK_STREAM), free_port(socket.SOCK_STREAM), free_port()
        self.http = http
        self.simulator = subprocess.Popen(
            [str(WAGATE), "simulate", "serve", "--port", str(sim), "--app-secret", "s", "--access-token", "t",
             "--webhook-url", f"http://127.0.0.1:{http}/whatsapp/webhook", "--media", "tone:440",
             "--media-ports", "40000-49999", "--grant-all", "--auto-answer-ms", "0", "--connects-per-minute",
             "1000000", "--log-level", "error"] + (["--additional-codecs", "pcma,pcmu"] if g711 else []), cwd=work, stdout=subprocess.DEVNULL,
            stderr=open(work / "simulator.log", "a"))
        database = work / f"wagate-{self.sip}.sqlite"
        (work / "sip.conf").write_text(f"""[general]
listen = udp:127.0.0.1:{self.sip}
rtp_port_range = 20000-39999
auth_max_failures = 0
; the benchmark measures throughput from one address: no rate limits
source_invite_rate = 0
call_attempt_rate = 0
[http]
listen = 127.0.0.1:{http}
[whatsapp]
mode = cloud
graph_url = http://127.0.0.1:{sim}
phone_number_id = 100000000000001
business_number = +15550001111
access_token = t
app_secret = s
verify_token = v
{"additional_codecs = pcma, pcmu" if g711 else ""}
[storage]
database = {database}
[alice]
type = user
secret = alice-secret
allow = +*
max_calls = 1000
""")
        self.gateway = subprocess.Popen([str(WAGATE), "run", "--config", str(work / "sip.conf"), "--log-level", "error"],
                                        cwd=work, stdout=subprocess.DEVNULL, stderr=open(work / "wagate.log", "a"))
        time.sleep(2)
        self.alive = self.gateway.poll() is None and self.simulator.poll() is None

    def stop(self):
        for process in (self.gateway, self.simulator):
            process.send_signal(signal.SIGTERM)
        for process in (self.gateway, self.simulator):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def hop_quantiles(text, hop, quantiles=(0.5, 0.99)):
    """Quantiles (ms) of one `wagate_setup_hop_seconds` histogram, interpolated within buckets."""
    buckets = []
    for line in text.splitlines():
        if line.startswith("wagate_setup_hop_seconds_bucket{") and f'hop="{hop}"' in line:
            le = line.split('le="')[1].split('"')[0]
            buckets.append((float("inf") if le == "+Inf" else float(le), float(line.rsplit(" ", 1)[1])))
    buckets.sort()
    total = buckets[-1][1] if buckets else 0
    result = []
    for q in quantiles:
        if not total:
            result.append(float("nan"))
            continue
        wanted, lower, below = q * total, 0.0, 0.0
        for upper, count in buckets:
            if count >= wanted:
                if upper == float("inf"):
                    result.append(lower * 1000)
                else:
                    share = (wanted - below) / (count - below) if count > below else 1
                    result.append((lower + (upper - lower) * share) * 1000)
                break
            lower, below = upper, count
    return result, int(total)


def measure(work, scenario, rate, seconds, g711=False):
    stack = Stack(work, g711)
    try:
        if not stack.alive:
            return False, [], ""
        ok, latencies = run(f"127.0.0.1:{stack.sip}", scenario, rate, seconds, work)
        try:
            metrics = urllib.request.urlopen(f"http://127.0.0.1:{stack.http}/metrics", timeout=5).read().decode()
        except OSError:
            metrics = ""
        return ok, latencies, metrics
    finally:
        stack.stop()


HOPS = (("invite_to_connect", "INVITE→connect", "INVITE in → connect out"),
        ("connect_webhook_to_200", "webhook→200", "connect webhook in → 200 out (ICE+DTLS to the media server inside)"))


def hops(metrics):
    """The gateway's own hops, on one line."""
    parts = []
    for hop, short, _ in HOPS:
        (p50, p99), count = hop_quantiles(metrics, hop)
        parts.append(f"{short} p50 {p50:.1f} ms p99 {p99:.1f} ms (n={count})")
    return "; gateway adds " + ", ".join(parts)


def main():
    work = Path(tempfile.mkdtemp(prefix="wagate-b2bua-bench-"))
    scenario = build(work / "call.xml", ["invite", "ringing", "answered", "pause:1000", "bye"])
    text = scenario.read_text().replace('<send retrans="500">', '<send retrans="500" start_rtd="1">', 2)
    text = text.replace('<send retrans="500" start_rtd="1">', '<send retrans="500">', 1)
    text = text.replace('<recv response="200" rrs="true"/>', '<recv response="200" rrs="true" rtd="1"/>')
    # Meta allows one call per user at a time (138003): every call dials its own number.
    scenario.write_text(text.replace("[service]", "+4477009[call_number]"))

    def pct(values, p):
        return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")

    for g711 in (False, True):
        mode = ("G.711 toward Meta ([whatsapp] additional_codecs: the phone's PCMA end to end, no Opus anywhere)" if g711
                else "Opus toward Meta (a number without additional_codecs: PCMA ⇄ Opus transcoded on both sides)")
        print(f"B2BUA call rate, {mode}: SIPp → wagate → Meta simulator (real WebRTC media), 1 s calls, "
              "fresh processes per run")
        best = None
        for rate in RATES:
            ok, latencies, metrics = measure(work, scenario, rate, PROBE, g711)
            print(f"  {rate:4d} calls/s for {PROBE} s: {'ok  ' if ok else 'FAILED CALLS'}  INVITE→200 "
                  f"p50 {pct(latencies, 0.5):.0f} ms  p99 {pct(latencies, 0.99):.0f} ms{hops(metrics)}", flush=True)
            if not ok:
                break
            best = rate
        confirmed, latencies, metrics = None, [], ""
        while best:
            ok, latencies, metrics = measure(work, scenario, best, CONFIRM, g711)
            if ok:
                confirmed = best
                break
            best = int(best * 0.8) or None
        print(f"\nsustained {confirmed or 0} calls/s for {CONFIRM} s with 0 failed calls (goal ≥ 100)")
        print(f"INVITE→200 at that rate (authenticated INVITE to answer, ICE/DTLS on both legs): "
              f"p50 {pct(latencies, 0.5):.0f} ms, p99 {pct(latencies, 0.99):.0f} ms")
        for hop, _, label in HOPS:
            (p50, p99), count = hop_quantiles(metrics, hop)
            print(f"time the gateway adds, {label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms over {count} calls")
        print("", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
