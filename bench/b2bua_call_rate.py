"""B2BUA call setup rate: SIPp places authenticated calls to a WhatsApp number
through wagate (cloud mode) to the Meta simulator on the same machine, which
answers at once with real WebRTC media (ICE, DTLS, SRTP). By default the
simulated users run the cheap media mode (`simulate serve --media cheap`: a tone
Opus-encoded once and replayed, nothing decoded), so the two cores go to the
gateway, not to the simulator's codec. Each call is held HOLD_MS (1 s) with media
on both legs, then hung up. The ladder (RATES) is probed PROBE_SECONDS each
until a call fails; the best rate is confirmed for CONFIRM_SECONDS (30 s),
stepping down 10 % until a window has 0 failed calls. The same ladder with G.711
on both legs (no Opus anywhere) is the baseline of the same run.

Failed calls come from SIPp's statistics file. INVITE→200 percentiles (SIPp's
response times) contain both legs plus the simulator. The time the gateway
itself adds per hop (INVITE in → Graph connect out; connect webhook in → SIP 200
out, which includes ICE and DTLS to the simulator's media) comes from wagate's
own `GET /metrics` histograms, scraped at the end of each run; percentiles are
interpolated within buckets as Prometheus' histogram_quantile does.
QUICK=1 runs one probe per mode and a 10 s confirmation (about a minute)."""
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
QUICK = os.environ.get("QUICK") == "1"
RATES = [int(r) for r in os.environ.get("RATES", "150" if QUICK else "100,150,200,250").split(",")]
PROBE = int(os.environ.get("PROBE_SECONDS", "5" if QUICK else "8"))
CONFIRM = int(os.environ.get("CONFIRM_SECONDS", "10" if QUICK else "30"))
HOLD_MS = int(os.environ.get("HOLD_MS", "1000"))
SIM_MEDIA = os.environ.get("SIM_MEDIA", "cheap:440")


def free_port(kind=socket.SOCK_DGRAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(target, scenario, rate, seconds, work):
    """SIPp at `rate` calls/s for `seconds`: (calls that succeeded, failed, INVITE→200 times in ms)."""
    for f in glob.glob(str(work / "*_rtt.csv")) + [str(work / "stat.csv")]:
        if os.path.exists(f):
            os.remove(f)
    args = ["sipp", target, "-sf", str(scenario), "-i", "127.0.0.1", "-p", str(free_port()), "-r", str(rate),
            "-m", str(rate * seconds), "-s", "+447700900123", "-auth_uri", f"+447700900123@{target}", "-au", "alice", "-ap", "alice-secret", "-nostdin",
            "-timeout", f"{seconds + 40}s", "-trace_rtt", "-rtt_freq", "1", "-max_socket", "4000", "-l", str(rate * 10),
            "-trace_stat", "-stf", "stat.csv", "-fd", "1"]
    subprocess.run(args, cwd=work, capture_output=True, text=True)
    succeeded, failed = sipp_counts(work / "stat.csv", rate * seconds)
    latencies = sorted(float(line.split(";")[1]) for f in glob.glob(str(work / "*_rtt.csv"))
                       for line in open(f).read().splitlines()[1:] if line.count(";") >= 2)
    return succeeded, failed, latencies


def sipp_counts(path, placed):
    """Successful and failed calls from the last line of SIPp's statistics; calls never completed count as failed."""
    try:
        header, *rows = [line.split(";") for line in open(path).read().splitlines() if line]
        last = dict(zip(header, rows[-1]))
        succeeded, failed = int(last["SuccessfulCall(C)"]), int(last["FailedCall(C)"])
    except (OSError, ValueError, KeyError, IndexError):
        return 0, placed
    return succeeded, max(failed, placed - succeeded)


class Stack:
    """A fresh simulator and gateway for one measurement, so a failed run leaves nothing behind."""

    def __init__(self, work, g711=False):
        self.work = work
        http, sim, self.sip = free_port(socket.SOCK_STREAM), free_port(socket.SOCK_STREAM), free_port()
        self.http = http
        self.simulator = subprocess.Popen(
            [str(WAGATE), "simulate", "serve", "--port", str(sim), "--app-secret", "s", "--access-token", "t",
             "--webhook-url", f"http://127.0.0.1:{http}/whatsapp/webhook", "--media", SIM_MEDIA,
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
    """One window at `rate` on fresh processes: (failed calls, INVITE→200 times, wagate's metrics text)."""
    stack = Stack(work, g711)
    try:
        if not stack.alive:
            return rate * seconds, [], ""
        _, failed, latencies = run(f"127.0.0.1:{stack.sip}", scenario, rate, seconds, work)
        try:
            metrics = urllib.request.urlopen(f"http://127.0.0.1:{stack.http}/metrics", timeout=5).read().decode()
        except OSError:
            metrics = ""
        return failed, latencies, metrics
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


def pct(values, p):
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def ladder(work, scenario, g711):
    """Probes RATES until a window fails, then confirms the best for CONFIRM seconds; returns the confirmed rate."""
    mode = ("G.711 both legs (baseline: [whatsapp] additional_codecs, the phone's PCMA end to end, no Opus)" if g711
            else "Opus toward Meta (PCMA ⇄ Opus transcoded in the gateway)")
    print(f"B2BUA setup rate, {mode}: SIPp → wagate → Meta simulator (--media {SIM_MEDIA}), "
          f"{HOLD_MS} ms calls, fresh processes per window", flush=True)
    best = None
    for rate in RATES:
        failed, latencies, metrics = measure(work, scenario, rate, PROBE, g711)
        print(f"  probe {rate:4d} calls/s for {PROBE:2d} s: {failed:5d} failed  INVITE→200 "
              f"p50 {pct(latencies, 0.5):.0f} ms  p99 {pct(latencies, 0.99):.0f} ms{hops(metrics)}", flush=True)
        if failed:
            break
        best = rate
    confirmed, latencies, metrics = None, [], ""
    while best:
        failed, latencies, metrics = measure(work, scenario, best, CONFIRM, g711)
        print(f"  confirm {best:4d} calls/s for {CONFIRM} s: {failed} failed", flush=True)
        if not failed:
            confirmed = best
            break
        best = int(best * 0.9) if best > 20 else None
    print(f"  sustained {confirmed or 0} calls/s for {CONFIRM} s with 0 failed calls (goal ≥ 150 with Opus)")
    if confirmed:
        print(f"  INVITE→200 at that rate (both legs and the simulator): "
              f"p50 {pct(latencies, 0.5):.0f} ms, p99 {pct(latencies, 0.99):.0f} ms")
        for hop, _, label in HOPS:
            (p50, p99), count = hop_quantiles(metrics, hop)
            print(f"  time the gateway adds, {label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms over {count} calls (goal p99 ≤ 50)")
    print("", flush=True)
    return confirmed or 0


def main():
    work = Path(tempfile.mkdtemp(prefix="wagate-b2bua-bench-"))
    scenario = build(work / "call.xml", ["invite", "ringing", "answered", f"pause:{HOLD_MS}", "bye"])
    text = scenario.read_text().replace('<send retrans="500">', '<send retrans="500" start_rtd="1">', 2)
    text = text.replace('<send retrans="500" start_rtd="1">', '<send retrans="500">', 1)
    text = text.replace('<recv response="200" rrs="true"/>', '<recv response="200" rrs="true" rtd="1"/>')
    # Meta allows one call per user at a time (138003): every call dials its own number.
    scenario.write_text(text.replace("[service]", "+4477009[call_number]"))
    opus = ladder(work, scenario, g711=False)
    baseline = ladder(work, scenario, g711=True)
    print(f"setup rate with Opus {opus} calls/s, G.711 baseline {baseline} calls/s"
          + (f" ({opus / baseline:.2f}×)" if baseline else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
