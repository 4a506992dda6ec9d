"""Call setup through a cluster against one node, on this machine, in one run.

Three stacks, each fresh, each driven by the same SIPp scenario (an INVITE to
a WhatsApp number, the call held HOLD_MS, then BYE), with
the Meta simulator answering at once (`--auto-answer-ms 0`, cheap media):

1. one node, SQLite store, SIPp straight to the node (the baseline);
2. one node, PostgreSQL store, SIPp straight to the node (PostgreSQL's share);
3. two nodes sharing PostgreSQL behind Kamailio (dispatcher round robin),
   SIPp to Kamailio with digest, and webhooks through HAProxy, so about
   half of them are handed from one node to the other (the cluster's share).

Each stack is driven at each rate of RATES for SECONDS, then holds CONCURRENT
calls up at once (placed at 10/s, each held until the last is placed), and
prints calls placed, failed, and the INVITE→200 time as SIPp measured it (p50,
p90, p99). The held calls carry media on the WhatsApp leg (the simulator's
tone, decoded and re-encoded to G.711 toward SIPp). The
percentiles of stack 2 minus stack 1 are PostgreSQL's cost per call setup;
stack 3 minus stack 2 is Kamailio's and the webhook hand-over's. On a 2-core
machine the nodes, Kamailio, PostgreSQL, the simulator and SIPp share two
cores, so the rates here show the shape, not a node's capacity: on separate
machines each node brings its own cores (docs/cluster.md, Sizing).

QUICK=1 runs one rate for 5 s per stack."""
import glob
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "Tests" / "Interop"))
from cluster_stack import HAProxy, KamailioCluster, Postgres, wait_until  # noqa: E402
from sipp_builder import build, tcp_listening  # noqa: E402

RELEASE = HERE.parent / ".build-release" / "release" / "wagate"
WAGATE = Path(os.environ.get("WAGATE_BIN", RELEASE if RELEASE.exists() else HERE.parent / ".build" / "debug" / "wagate"))
QUICK = os.environ.get("QUICK") == "1"
RATES = [int(r) for r in os.environ.get("RATES", "10" if QUICK else "10,20,40").split(",")]
SECONDS = int(os.environ.get("SECONDS", "5" if QUICK else "10"))
HOLD_MS = int(os.environ.get("HOLD_MS", "1000"))
CONCURRENT = int(os.environ.get("CONCURRENT", "40" if QUICK else "100"))


def free_port(kind=socket.SOCK_DGRAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """The simulator, PostgreSQL (unless `sqlite`), `nodes` wagate nodes, and with
    two nodes Kamailio and HAProxy in front; `target` is where SIPp sends."""

    def __init__(self, work, nodes=1, sqlite=False):
        self.work, self.processes, self.servers = work, [], []
        self.pg = None if sqlite else Postgres(work)
        if self.pg:
            self.servers.append(self.pg)
        webhook = free_port(socket.SOCK_STREAM)
        self.sim = free_port(socket.SOCK_STREAM)
        self.spawn([str(WAGATE), "simulate", "serve", "--port", str(self.sim), "--app-secret", "s", "--access-token", "t",
                    "--webhook-url", f"http://127.0.0.1:{webhook}/whatsapp/webhook", "--media", "cheap:440",
                    "--media-ports", "40000-49999", "--grant-all", "--auto-answer-ms", "0",
                    "--connects-per-minute", "1000000", "--log-level", "error"], "simulator")
        wait_until(lambda: tcp_listening(self.sim, "127.0.0.1"), "simulator listening", timeout=20)
        edge = free_port() if nodes > 1 else None
        self.nodes = []
        for index in range(nodes):
            ip = f"127.0.0.{index + 2}" if nodes > 1 else "127.0.0.1"
            sip, http, admin = free_port(), (webhook if nodes == 1 else free_port(socket.SOCK_STREAM)), \
                free_port(socket.SOCK_STREAM)
            self.nodes.append((ip, sip, http, admin))
            self.node(index, ip, sip, http, admin, edge)
        for ip, sip, _, _ in self.nodes:
            wait_until(lambda: subprocess.run(["ss", "-lun"], capture_output=True, text=True).stdout.count(f"{ip}:{sip} ")
                       > 0, f"node {ip}:{sip} listening", timeout=30)
        if nodes > 1:
            users = {"bench": "bench-secret"}
            self.servers.append(KamailioCluster(work, "127.0.0.1", edge, [(ip, sip) for ip, sip, _, _ in self.nodes],
                                                users, ping_interval=1))
            self.servers.append(HAProxy(work, webhook, [(ip, http, admin) for ip, _, http, admin in self.nodes]))
            self.target, self.auth = f"127.0.0.1:{edge}", ("bench", "bench-secret")
        else:
            self.target, self.auth = f"127.0.0.1:{self.nodes[0][1]}", None

    def spawn(self, command, name):
        self.processes.append(subprocess.Popen(command, cwd=self.work, stdout=subprocess.DEVNULL,
                                               stderr=open(self.work / f"{name}.log", "a")))

    def node(self, index, ip, sip, http, admin, edge):
        store = f"postgres = {self.pg.url}" if self.pg else f"database = {self.work}/wagate-{sip}.sqlite"
        cluster = (f"[cluster]\nnode_id = n{index + 1}\nnode_url = http://{ip}:{http}\nsecret = bench-cluster-secret\n"
                   if edge else "")
        match = "127.0.0.1/32"
        config = self.work / f"node{index}.conf"
        config.write_text(f"""[general]
listen = udp:{ip}:{sip}
rtp_port_range = {20000 + 10000 * index}-{29999 + 10000 * index}
auth_max_failures = 0
source_invite_rate = 0
call_attempt_rate = 0
trunk_invite_rate = 0
[http]
listen = {ip}:{http}
[admin]
bind = {ip}:{admin}
token = bench-admin-token-0123
[whatsapp]
mode = cloud
graph_url = http://127.0.0.1:{self.sim}
phone_number_id = 100000000000001
business_number = +15550001111
access_token = t
app_secret = s
verify_token = v
[storage]
{store}
{cluster}
[pbx]
type = trunk
host = 127.0.0.1
match = {match}
allow = +*
max_calls = 10000
""")
        self.spawn([str(WAGATE), "run", "--config", str(config), "--log-level", "error"], f"node{index}")

    def stop(self):
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        for server in reversed(self.servers):
            server.stop()


def scenario(work, auth):
    """UAC: INVITE (answering a 407 when `auth`), 200, ACK, pause HOLD_MS, BYE."""
    path = work / ("uac-auth.xml" if auth else "uac.xml")
    build(path, ["invite" if auth else "invite_noauth", "ringing", "answered", f"pause:{HOLD_MS}", "bye"])
    # SIPp times the INVITE that gets the 200 (after a 407, the second one) to that 200.
    text = path.read_text()
    answer = text.index('<recv response="200" rrs="true"/>')
    invite = text.rindex('<send retrans="500">', 0, answer)
    text = text[:invite] + '<send retrans="500" start_rtd="1">' + text[invite + len('<send retrans="500">'):]
    text = text.replace('<recv response="200" rrs="true"/>', '<recv response="200" rrs="true" rtd="1"/>')
    if auth:
        # Kamailio takes a phone's digest only in its own name (From user = user name),
        # and in-dialog requests follow the route it recorded.
        text = text.replace("<sip:alice@", "<sip:bench@")
        text = re.sub(r"(\[next_url\] SIP/2.0\nVia: [^\n]*\n)", r"\1[routes]\n", text)
    # A simulated WhatsApp user takes one call at a time: each call dials its own.
    path.write_text(text.replace("[service]", "+4477009[call_number]"))
    return path


def drive(stack, rate, work):
    for f in glob.glob(str(work / "*_rtt.csv")) + [str(work / "stat.csv")]:
        os.remove(f) if os.path.exists(f) else None
    placed = rate * SECONDS
    args = ["sipp", stack.target, "-sf", str(scenario(work, stack.auth)), "-i", "127.0.0.1", "-p", str(free_port()),
            "-r", str(rate), "-m", str(placed), "-nostdin", "-timeout", f"{SECONDS + 40}s",
            "-trace_rtt", "-rtt_freq", "1", "-trace_stat", "-stf", "stat.csv", "-fd", "1", "-l", str(rate * 10)]
    if stack.auth:
        args += ["-au", stack.auth[0], "-ap", stack.auth[1]]
    subprocess.run(args, cwd=work, capture_output=True, text=True)
    try:
        header, *rows = [line.split(";") for line in open(work / "stat.csv").read().splitlines() if line]
        last = dict(zip(header, rows[-1]))
        succeeded = int(last["SuccessfulCall(C)"])
    except (OSError, ValueError, KeyError, IndexError):
        succeeded = 0
    times = sorted(float(line.split(";")[1]) for f in glob.glob(str(work / "*_rtt.csv"))
                   for line in open(f).read().splitlines()[1:] if line.count(";") >= 2)
    return placed, placed - succeeded, times


def percentile(values, q):
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def held(stack, work, concurrent):
    """`concurrent` calls up at once: placed at 10/s and each held long enough; the
    failed calls and the setup percentiles of the whole ramp."""
    global HOLD_MS, SECONDS
    saved = HOLD_MS, SECONDS
    rate = 10
    HOLD_MS, SECONDS = concurrent * 1000 // rate, concurrent // rate + 5
    try:
        return drive(stack, rate, work)
    finally:
        HOLD_MS, SECONDS = saved


def main():
    print(f"wagate: {WAGATE}; rates {RATES} calls/s, {SECONDS} s each, calls held {HOLD_MS} ms")
    print("| stack | rate | placed | failed | p50 ms | p90 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for name, nodes, sqlite in (("1 node, SQLite", 1, True), ("1 node, PostgreSQL", 1, False),
                                ("2 nodes, PostgreSQL, Kamailio, HAProxy", 2, False)):
        work = Path(tempfile.mkdtemp(prefix="wagate-cluster-bench-", dir="/tmp"))
        os.chmod(work, 0o755)
        stack = Stack(work, nodes=nodes, sqlite=sqlite)
        try:
            for rate in RATES:
                placed, failed, times = drive(stack, rate, work)
                print(f"| {name} | {rate} | {placed} | {failed} | {percentile(times, .5):.1f} | "
                      f"{percentile(times, .9):.1f} | {percentile(times, .99):.1f} |", flush=True)
            placed, failed, times = held(stack, work, CONCURRENT)
            print(f"| {name} | {CONCURRENT} held at once | {placed} | {failed} | {percentile(times, .5):.1f} | "
                  f"{percentile(times, .9):.1f} | {percentile(times, .99):.1f} |", flush=True)
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
