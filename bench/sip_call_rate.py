"""SIP call-rate benchmark: SIPp places authenticated calls to the echo test
(INVITE, 407, INVITE with digest, 200, ACK, 200 ms, BYE) at increasing rates;
the highest rate with zero failed calls is confirmed over 30 s, with INVITE→200
latency percentiles. The same flow against SIPp's own UAS, measured in the same
run, is the ceiling. Prints a table; never fails on a figure."""
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
WAGATE = Path(os.environ.get("WAGATE_BIN", HERE.parent / ".build-release" / "release" / "wagate"))
RATES = [int(r) for r in os.environ.get("RATES", "100,200,300,400,500,600,800,1000").split(",")]
PROBE, CONFIRM = int(os.environ.get("PROBE_SECONDS", "8")), int(os.environ.get("CONFIRM_SECONDS", "30"))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_uac(target, rate, seconds, workdir):
    for f in glob.glob(str(workdir / "*_rtt.csv")):
        os.remove(f)
    calls = rate * seconds
    args = ["sipp", target, "-sf", str(HERE / "sipp" / "uac_auth_call.xml"), "-i", "127.0.0.1",
            "-p", str(free_port()), "-r", str(rate), "-m", str(calls), "-s", "*43", "-auth_uri", f"*43@{target}", "-au", "alice",
            "-ap", "alice-secret", "-nostdin", "-timeout", f"{seconds + 30}s", "-trace_rtt", "-rtt_freq", "1",
            "-max_socket", "2000", "-l", str(rate * 5)]
    result = subprocess.run(args, cwd=workdir, capture_output=True, text=True)
    latencies = []
    for f in glob.glob(str(workdir / "*_rtt.csv")):
        for line in open(f).read().splitlines()[1:]:
            parts = line.split(";")
            if len(parts) >= 3 and parts[2].strip() == "1":
                latencies.append(float(parts[1]))
    return result.returncode == 0, sorted(latencies)


def percentile(values, p):
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def search(target, workdir, label):
    best = None
    for rate in RATES:
        ok, _ = run_uac(target, rate, PROBE, workdir)
        print(f"  {label}: {rate:5d} calls/s for {PROBE:2d} s: {'ok' if ok else 'FAILED CALLS'}", flush=True)
        if not ok:
            break
        best = rate
    if best is None:
        return None, None, []
    ok, latencies = run_uac(target, best, CONFIRM, workdir)
    while not ok and best > RATES[0]:
        best = int(best * 0.8)
        ok, latencies = run_uac(target, best, CONFIRM, workdir)
    return (best if ok else None), ok, latencies


def main():
    work = Path(tempfile.mkdtemp(prefix="wagate-bench-"))
    uas_port = free_port()
    uas = subprocess.Popen(["sipp", "-sf", str(HERE / "sipp" / "uas_auth_call.xml"), "-i", "127.0.0.1",
                            "-p", str(uas_port), "-nostdin", "-max_socket", "2000"],
                           cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sip_port = free_port()
    conf = work / "sip.conf"
    conf.write_text(f"""[general]
listen = udp:127.0.0.1:{sip_port}
rtp_port_range = 20000-40000
auth_max_failures = 0
; the benchmark measures throughput from one address: no rate limits
source_invite_rate = 0
call_attempt_rate = 0
[whatsapp]
mode = sandbox
[http]
listen = 127.0.0.1:{free_port()}
[storage]
database = {work}/wagate.sqlite
[alice]
type = user
secret = alice-secret
max_calls = 1000
""")
    gw = subprocess.Popen([str(WAGATE), "run", "--config", str(conf), "--log-level", "warning"],
                          cwd=work, stdout=subprocess.DEVNULL, stderr=open(work / "wagate.log", "w"))
    time.sleep(1.5)
    if gw.poll() is not None:
        print("wagate did not start:\n" + (work / "wagate.log").read_text())
        uas.send_signal(signal.SIGTERM)
        return 1
    try:
        print(f"SIP call rate (authenticated calls to the echo test, 200 ms hold, {CONFIRM} s confirmation)")
        ceiling = search(f"127.0.0.1:{uas_port}", work, "SIPp UAS (ceiling)")
        gateway = search(f"127.0.0.1:{sip_port}", work, "wagate")
    finally:
        gw.send_signal(signal.SIGTERM)
        uas.send_signal(signal.SIGTERM)
        gw.wait(timeout=30)
        uas.wait(timeout=10)
    print()
    print(f"{'target':24s} {'calls/s (0 failed, 30 s)':>26s} {'INVITE→200 p50 ms':>18s} {'p99 ms':>8s}")
    for label, (rate, ok, lat) in [("SIPp UAS (ceiling)", ceiling), ("wagate echo", gateway)]:
        shown = f"{rate}" if rate else "none"
        print(f"{label:24s} {shown:>26s} {percentile(lat, 0.5):18.2f} {percentile(lat, 0.99):8.2f}")
    if ceiling[0] and gateway[0]:
        print(f"wagate sustains {100 * gateway[0] / ceiling[0]:.0f}% of the SIPp-to-SIPp rate; goal ≥ 300 calls/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
