"""Two wagate nodes as a cluster, end to end on loopback: PostgreSQL shared by
the nodes, Kamailio in front as registrar and dispatcher (contrib/cluster), and
HAProxy spreading the Meta simulator's webhooks over the nodes. Phones are
baresip (audio checked by the tone they hear back from the simulator's echo)
and SIPp; the nodes are real `wagate run` processes on 127.0.0.2 and 127.0.0.3.

Each test builds the whole stack, then breaks something: a webhook lands on
the node that does not own the call, a number is at its limit on the other
node, a node is killed with -9 or drained, PostgreSQL restarts mid-call, a
number is onboarded and removed through one node, a user without permission is
called through both nodes."""
import json
import socket
import subprocess
import threading
import time
import urllib.request

import pytest

from baresip_peer import run_call, tail_frequency
from cluster_stack import HAProxy, KamailioCluster, Postgres, call_scenario, run_sipp, wait_until
from conftest import WAGATE, Gateway, free_port, free_range
from meta_simulator import SECRET, TOKEN, VERIFY, BUSINESS, MetaSimulator
from test_onboard_signup import KEY, PIN, Onboarding
from test_onboard_signup import TOKEN as ONBOARDING_TOKEN

NODE_IPS = ["127.0.0.2", "127.0.0.3"]
EDGE = "127.0.0.1"
USERS = {"phone1": "447700900123", "phone2": "447700900234", "phone3": "447700900345"}
"""The WhatsApp user each phone calls (a simulated user takes one call at a time)."""
USER = USERS["phone1"]
PENDING = "447700900456"
"""A WhatsApp user who has not granted call permission."""
PHONES = {"phone1": "phone1-secret", "phone2": "phone2-secret", "phone3": "phone3-secret"}
ADMIN_TOKEN = "cluster-test-admin-token"
CLUSTER_SECRET = "cluster-test-forward-secret"
NUMBER_ID = "100000000000001"


class Node(Gateway):
    """One `wagate run` cluster node on its own loopback address (stopped, and its
    log read, as any test gateway)."""

    def __init__(self, tmp, name, ip, postgres, simulator_port, edge_port, max_calls, onboarding=False,
                 permissions=False):
        self.tmp, self.name, self.ip = tmp, name, ip
        self.sip_port = free_port()
        self.http_port = free_port(socket.SOCK_STREAM, both=False)
        self.admin_port = free_port(socket.SOCK_STREAM, both=False)
        self.onboarding = Onboarding(free_port(socket.SOCK_STREAM, both=False), host=ip) if onboarding else None
        # Every node seals and opens the stored business tokens with the same key.
        onboarding_section = (f"[onboarding]\nbind = {ip}:{self.onboarding.base.rsplit(':', 1)[1]}\n"
                              f"token = {ONBOARDING_TOKEN}\nencryption_key = {KEY}\napp_id = 300000000000003\n"
                              f"config_id = 123456789\nregistration_pin = {PIN}\ninbound_target = trunk:edge\n"
                              if onboarding else "")
        rtp = free_range(200)
        self.config = tmp / f"{name}.conf"
        self.config.write_text(f"""
[general]
listen = udp:{ip}:{self.sip_port}, tcp:{ip}:{self.sip_port}
rtp_port_range = {rtp}-{rtp + 200}
drain_time = 0
[http]
listen = {ip}:{self.http_port}
webhook_path = /whatsapp/webhook
[admin]
bind = {ip}:{self.admin_port}
token = {ADMIN_TOKEN}
[whatsapp]
mode = cloud
graph_url = http://127.0.0.1:{simulator_port}
app_secret = {SECRET}
verify_token = {VERIFY}
request_timeout = 2
{"send_permission_request = yes" if permissions else ""}
[storage]
postgres = {postgres.url}
[cluster]
node_id = {name}
node_url = http://{ip}:{self.http_port}
secret = {CLUSTER_SECRET}
heartbeat = 1
lease = 3
[biz]
type = number
phone_number_id = {NUMBER_ID}
business_number = {BUSINESS}
access_token = {TOKEN}
inbound_target = trunk:edge
max_calls = {max_calls}
[edge]
type = trunk
host = {EDGE}
port = {edge_port}
match = {EDGE}/32
allow = +*
dial = phone1
{"permission_callback = 120" if permissions else ""}
""" + onboarding_section)
        self.log_path = tmp / f"{name}.log"
        self.start()

    def start(self):
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen([str(WAGATE), "run", "--config", str(self.config), "--log-level", "debug"],
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.wait_for_log("SIP listening", timeout=30)
        self.wait_for_log("cluster node joined", timeout=30)

    def admin(self, method, path):
        request = urllib.request.Request(f"http://{self.ip}:{self.admin_port}{path}", method=method,
                                         headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read() or b"{}")

    def metrics(self):
        with urllib.request.urlopen(f"http://{self.ip}:{self.http_port}/metrics", timeout=5) as response:
            return response.read().decode()

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        self.log.close()


class Cluster:
    """PostgreSQL, the simulator (echoing each caller's audio), two nodes, Kamailio and HAProxy."""

    def __init__(self, tmp, max_calls=10, onboarding=False, permissions=False):
        self.tmp = tmp
        self.started = []
        self.pg = self.keep(Postgres(tmp))
        self.haproxy_port = free_port(socket.SOCK_STREAM, both=False)
        self.meta = self.keep(MetaSimulator(tmp, self.haproxy_port, media="echo",
                                            extra=("--registration-pin", PIN) if onboarding else ()))
        for user in USERS.values():
            self.meta.grant(user)
        self.edge_port = free_port()
        self.nodes = [self.keep(Node(tmp, f"n{i + 1}", ip, self.pg, self.meta.port, self.edge_port, max_calls,
                                     onboarding, permissions))
                      for i, ip in enumerate(NODE_IPS)]
        self.kamailio = self.keep(KamailioCluster(tmp, EDGE, self.edge_port,
                                                  [(n.ip, n.sip_port) for n in self.nodes], PHONES))
        self.haproxy = self.keep(HAProxy(tmp, self.haproxy_port,
                                         [(n.ip, n.http_port, n.admin_port) for n in self.nodes]))
        for server in ("node1", "node2"):
            self.haproxy.wait_state(server, "UP")

    def keep(self, thing):
        self.started.append(thing)
        return thing

    def stop(self):
        for thing in reversed(self.started):
            try:
                thing.stop()
            except Exception:  # noqa: BLE001 (the rest must still stop)
                pass

    def rows(self, sql):
        text = self.pg.query(sql)
        return [line.split("|") for line in text.splitlines()] if text else []

    def node(self, name):
        return next(n for n in self.nodes if n.name == name)


@pytest.fixture
def cluster(tmp_path):
    made = []

    def make(**kwargs):
        made.append(Cluster(tmp_path, **kwargs))
        return made[-1]

    yield make
    for item in made:
        item.stop()


def phone_call(tmp, results, name, cluster, seconds, tone, dial=True, register=False):
    """baresip as `name` calling the WhatsApp user through Kamailio (or, without
    `dial`, registered and answering); its result lands in `results[name]`."""
    edge = f"{EDGE}:{cluster.edge_port}"
    account = f"<sip:{name}@{edge}>;auth_pass={PHONES[name]}" + ("" if dial else ";answermode=auto")

    def run():
        results[name] = run_call(tmp / name, account, f"sip:+{USERS[name]}@{edge}" if dial else None, seconds=seconds,
                                 tone_hz=tone, register=register)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def two_calls(tmp, results, cluster, seconds):
    """phone1 (700 Hz) and phone2 (1100 Hz) each call their WhatsApp user, one
    after the other so Kamailio's round robin gives one to each node; returns
    their threads once both calls are up."""
    threads = [phone_call(tmp, results, "phone1", cluster, seconds, 700)]
    wait_until(lambda: len(live_calls(cluster)) == 1, "the first call up")
    threads.append(phone_call(tmp, results, "phone2", cluster, seconds, 1100))
    wait_until(lambda: len(live_calls(cluster)) == 2, "two calls up", timeout=15)
    return threads


def heard(results, name):
    out, samples, rate = results[name]
    return tail_frequency(samples, rate, seconds=1.5), out


def live_calls(cluster):
    """[call_id, node_id, wacid, phone] of each outbound call in progress."""
    return cluster.rows("SELECT call_id, node_id, wacid, sip_from_user FROM calls "
                        "WHERE end_at IS NULL AND direction = 'outbound'")


def media_flowing(node, calls=1, packets=150):
    """Waits until `node` carries `calls` calls that each received `packets` RTP
    packets on both legs (150: three seconds of audio)."""
    def flowing():
        live = node.admin("GET", "/api/v1/calls")["calls"]
        received = [(call.get("sip", {}).get("quality") or {}).get("packets_received", 0) >= packets
                    and ((call.get("whatsapp") or {}).get("quality") or {}).get("packets_received", 0) >= packets
                    for call in live]
        return len(live) == calls and all(received)
    wait_until(flowing, f"{calls} call(s) with audio both ways on {node.name}", timeout=20)


def test_calls_from_phones_spread_over_the_nodes_with_audio_both_ways(tmp_path, cluster):
    c = cluster()
    stop = threading.Event()
    threading.Thread(target=c.meta.answer_calls, args=(stop,), daemon=True).start()
    results = {}
    try:
        for thread in two_calls(tmp_path, results, c, 8):
            thread.join(timeout=40)
    finally:
        stop.set()
    for name, tone in (("phone1", 700), ("phone2", 1100)):
        frequency, out = heard(results, name)
        assert frequency is not None and abs(frequency - tone) <= 15, (name, frequency, out[-2000:])
    rows = c.rows("SELECT node_id, end_reason FROM calls WHERE direction = 'outbound' ORDER BY setup_at")
    assert sorted(row[0] for row in rows) == ["n1", "n2"], rows
    assert all(row[1] == "normal" for row in rows), rows
    # Each node's metrics carry its name.
    assert 'node="n1"' in c.node("n1").metrics() and 'node="n2"' in c.node("n2").metrics()
    # Either node's admin API shows the cluster from the shared store.
    view = c.node("n2").admin("GET", "/api/v1/cluster")
    assert sorted((n["node_id"], n["state"]) for n in view["nodes"]) == [("n1", "alive"), ("n2", "alive")]


def test_a_webhook_landing_on_the_wrong_node_reaches_the_owner(tmp_path, cluster):
    c = cluster()
    results = {}
    phone = phone_call(tmp_path, results, "phone1", c, 14, 900, dial=False, register=True)
    wait_until(lambda: "phone1" in c.kamailio.rpc("ul.dump"), "phone1 registered at Kamailio", timeout=15)
    # Meta's connect can only land on n1: it takes the call (it is ready and no busier).
    c.haproxy.command("set server wagate_nodes/node2 state maint")
    call_id = c.meta.post(f"/control/users/{USER}/call", {"name": "User One"})["id"]
    c.meta.wait_for_state(call_id, "accepted", timeout=15)
    media_flowing(c.node("n1"))
    assert c.rows(f"SELECT node_id FROM call_owners WHERE wacid = '{call_id}'") == [["n1"]]
    # The hang-up can only land on n2, which hands it to n1.
    c.haproxy.command("set server wagate_nodes/node2 state ready")
    c.haproxy.command("set server wagate_nodes/node1 state maint")
    c.meta.post(f"/control/calls/{call_id}/hangup")
    c.node("n2").wait_for_log("webhook event handed to its owner", timeout=10)
    wait_until(lambda: c.rows(f"SELECT end_reason, ended_by, node_id FROM calls WHERE wacid = '{call_id}' "
                              "AND end_at IS NOT NULL"), "the call's record closed by its owner", timeout=10)
    assert c.rows(f"SELECT ended_by, node_id FROM calls WHERE wacid = '{call_id}'") == [["whatsapp", "n1"]]
    phone.join(timeout=30)
    frequency, out = heard(results, "phone1")
    assert frequency is not None and abs(frequency - 900) <= 15, (frequency, out[-2000:])


def test_a_number_at_its_limit_refuses_the_next_call_on_either_node(tmp_path, cluster):
    c = cluster(max_calls=2)
    stop = threading.Event()
    threading.Thread(target=c.meta.answer_calls, args=(stop,), daemon=True).start()
    results = {}
    try:
        threads = two_calls(tmp_path, results, c, 12)
        assert sorted(row[1] for row in live_calls(c)) == ["n1", "n2"]
        # Call 3 straight to each node (from the trunk's address): both refuse it.
        scenario = call_scenario(tmp_path / "refused.xml", "phone3", auth=False, final="503")
        for node in c.nodes:
            status, output, _ = run_sipp(tmp_path, scenario, (node.ip, node.sip_port), f"+{USERS['phone3']}",
                                         name=f"third-{node.name}")
            assert status == 0, output[-3000:]
        for thread in threads:
            thread.join(timeout=40)
    finally:
        stop.set()
    assert all(abs((heard(results, n)[0] or 0) - tone) <= 15 for n, tone in (("phone1", 700), ("phone2", 1100)))
    # Slots were given back: a new call gets through.
    assert c.rows("SELECT COUNT(*) FROM call_slots") == [["0"]]


def test_a_killed_node_s_calls_are_ended_within_15_s_and_new_calls_go_to_the_survivor(tmp_path, cluster):
    c = cluster()
    stop = threading.Event()
    threading.Thread(target=c.meta.answer_calls, args=(stop,), daemon=True).start()
    results = {}
    try:
        threads = two_calls(tmp_path, results, c, 25)
        for node in c.nodes:
            media_flowing(node)
        victim = next(row for row in live_calls(c) if row[1] == "n1")
        survivor = next(row for row in live_calls(c) if row[1] == "n2")
        killed_at = time.monotonic()
        c.node("n1").kill()
        c.meta.wait_for_state(victim[2], "ended", timeout=15)
        taken = time.monotonic() - killed_at
        assert taken <= 15, taken
        wait_until(lambda: c.rows(f"SELECT end_reason FROM calls WHERE call_id = '{victim[0]}' AND end_at IS NOT NULL"),
                   "the dead node's CDR closed", timeout=5)
        assert c.rows(f"SELECT end_reason FROM calls WHERE call_id = '{victim[0]}'") == [["node_failed"]]
        assert c.rows("SELECT state, taken_over_by FROM cluster_nodes WHERE node_id = 'n1'") == [["dead", "n2"]]
        # The survivor's call goes on; a new call through Kamailio goes to the survivor.
        c.kamailio.wait_node_down(c.node("n1").ip, c.node("n1").sip_port, timeout=10)
        threads.append(phone_call(tmp_path, results, "phone3", c, 5, 1300))
        threads[-1].join(timeout=30)
        for thread in threads:
            thread.join(timeout=40)
    finally:
        stop.set()
    assert abs((heard(results, "phone3")[0] or 0) - 1300) <= 15, heard(results, "phone3")[1][-2000:]
    tones = {"phone1": 700, "phone2": 1100}
    assert abs((heard(results, survivor[3])[0] or 0) - tones[survivor[3]]) <= 15, "the survivor's call kept its audio"
    rows = c.rows("SELECT node_id, end_reason FROM calls WHERE direction = 'outbound' ORDER BY setup_at")
    assert len(rows) == 3 and all(row[1] for row in rows), rows
    # n1 comes back: it rejoins, and the call taken over stays ended.
    c.node("n1").start()
    wait_until(lambda: c.rows("SELECT state FROM cluster_nodes WHERE node_id = 'n1'") == [["alive"]], "n1 back")
    assert c.rows(f"SELECT end_reason FROM calls WHERE call_id = '{victim[0]}'") == [["node_failed"]]


def test_a_drained_node_gets_no_new_calls_and_its_live_call_finishes(tmp_path, cluster):
    c = cluster()
    stop = threading.Event()
    threading.Thread(target=c.meta.answer_calls, args=(stop,), daemon=True).start()
    results = {}
    try:
        threads = [phone_call(tmp_path, results, "phone1", c, 10, 700)]
        wait_until(lambda: len(live_calls(c)) == 1, "the first call up")
        first_node = live_calls(c)[0][1]
        drained = c.node(first_node)
        drained.admin("POST", "/api/v1/drain")
        c.kamailio.wait_node_down(drained.ip, drained.sip_port, timeout=10)
        c.haproxy.wait_state("node1" if first_node == "n1" else "node2", "DOWN")
        for name, tone in (("phone2", 1100), ("phone3", 1300)):
            threads.append(phone_call(tmp_path, results, name, c, 4, tone))
            threads[-1].join(timeout=30)
        for thread in threads:
            thread.join(timeout=40)
    finally:
        stop.set()
    for name, tone in (("phone1", 700), ("phone2", 1100), ("phone3", 1300)):
        frequency, out = heard(results, name)
        assert frequency is not None and abs(frequency - tone) <= 15, (name, frequency, out[-2000:])
    rows = c.rows("SELECT node_id, end_reason FROM calls WHERE direction = 'outbound' ORDER BY setup_at")
    assert rows[0] == [first_node, "normal"], rows
    assert [row[0] for row in rows[1:]] == [n for n in ("n1", "n2") if n != first_node] * 2, rows


def test_postgres_restarting_mid_call_loses_no_call_and_no_record(tmp_path, cluster):
    c = cluster()
    stop = threading.Event()
    threading.Thread(target=c.meta.answer_calls, args=(stop,), daemon=True).start()
    results = {}
    try:
        threads = two_calls(tmp_path, results, c, 12)
        for node in c.nodes:
            media_flowing(node)
        c.pg.restart()
        for thread in threads:
            thread.join(timeout=40)
        threads = [phone_call(tmp_path, results, "phone3", c, 4, 1300)]
        threads[0].join(timeout=30)
    finally:
        stop.set()
    for name, tone in (("phone1", 700), ("phone2", 1100), ("phone3", 1300)):
        frequency, out = heard(results, name)
        assert frequency is not None and abs(frequency - tone) <= 15, (name, frequency, out[-2000:])
    wait_until(lambda: len(c.rows("SELECT call_id FROM calls WHERE direction = 'outbound' AND end_at IS NOT NULL")) == 3,
               "every call's record closed after PostgreSQL came back", timeout=10)
    assert c.rows("SELECT state FROM cluster_nodes ORDER BY node_id") == [["alive"], ["alive"]]


def test_a_number_onboarded_through_one_node_takes_calls_on_the_other_until_removed(tmp_path, cluster):
    c = cluster(onboarding=True)
    n1, n2 = c.node("n1"), c.node("n2")
    new_number = "+15550109999"
    created = c.meta.post("/control/onboarding/codes", {"business_number": new_number})
    status, body = n1.onboarding.request("POST", "/onboarding/signup", {
        "code": created["code"], "waba_id": created["waba_id"], "phone_number_id": created["phone_number_id"],
        "name": "acme"})
    assert status == 201, body
    # n2 serves it from the shared store without a restart.
    n2.wait_for_log("onboarded number taken from the store", timeout=10)
    assert [n["source"] for n in n2.onboarding.numbers()] == ["config", "onboarded"]
    # The user's call can only land on n2: it rings phone1 through Kamailio with the caller's audio.
    results = {}
    phone = phone_call(tmp_path, results, "phone1", c, 14, 900, dial=False, register=True)
    wait_until(lambda: "phone1" in c.kamailio.rpc("ul.dump"), "phone1 registered at Kamailio", timeout=15)
    c.haproxy.command("set server wagate_nodes/node1 state maint")
    call_id = c.meta.post(f"/control/users/{USER}/call", {"business_number": new_number})["id"]
    c.meta.wait_for_state(call_id, "accepted", timeout=15)
    assert c.rows(f"SELECT node_id FROM call_owners WHERE wacid = '{call_id}'") == [["n2"]]
    assert c.meta.get(f"/control/calls/{call_id}")["phone_number_id"] == created["phone_number_id"]
    phone.join(timeout=30)
    frequency, out = heard(results, "phone1")
    assert frequency is not None and abs(frequency - 900) <= 15, (frequency, out[-2000:])
    # Removed through n1: n2 stops serving it, and a call to it rings nothing.
    status, body = n1.onboarding.request("DELETE", f"/onboarding/numbers/{created['phone_number_id']}")
    assert status == 204, body
    n2.wait_for_log("onboarded number removed from the store by another node", timeout=10)
    assert [n["source"] for n in n2.onboarding.numbers()] == ["config"]
    refused = c.meta.post(f"/control/users/{USERS['phone2']}/call", {"business_number": new_number})["id"]
    # n2 may hand this call to n1 (its own lease still counts the call just ended): neither serves the number.
    wait_until(lambda: any("webhook for a phone_number_id that is not configured" in n.logs() for n in (n1, n2)),
               "the call to the removed number refused as an unknown number", timeout=10)
    assert c.meta.get(f"/control/calls/{refused}")["state"] in ("offered", "ended")
    assert "EAAsim" not in n1.logs() + n2.logs()  # the business token is never logged


def test_a_user_without_permission_is_asked_once_across_nodes_and_called_back_once(tmp_path, cluster):
    c = cluster(permissions=True)
    n1, n2 = c.node("n1"), c.node("n2")
    # Every webhook lands on n2 from here on; the user's message opens their window on both nodes.
    c.haproxy.command("set server wagate_nodes/node1 state maint")
    c.meta.post(f"/control/users/{PENDING}/message", {"text": "please call me"})
    for node in (n1, n2):
        node.wait_for_log("customer service window open", timeout=10)
    # Both nodes refuse a call to the user at the same moment for lack of permission. Each may ask
    # Meta for permission, but only one request goes out: the nodes count Meta's limit together.
    scenario = call_scenario(tmp_path / "refused.xml", "phone3", auth=False, final="403")
    results = {}

    def refuse(node):
        results[node.name] = run_sipp(tmp_path, scenario, (node.ip, node.sip_port), f"+{PENDING}",
                                      name=f"refused-{node.name}")
    threads = [threading.Thread(target=refuse, args=(node,), daemon=True) for node in (n1, n2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for name, (status, output, _) in results.items():
        assert status == 0, (name, output[-3000:])
    armed = [node for node in (n1, n2) if "callback armed" in node.logs()]
    assert armed, n1.logs()[-3000:] + n2.logs()[-3000:]

    def decided(node):
        log = node.logs()
        return "[CallControl] permission request sent" in log or "no permission request sent: Meta's request limit" in log
    for node in armed:
        wait_until(lambda: decided(node), f"{node.name}'s permission request sent or held back", timeout=10)
    assert sum("[CallControl] permission request sent" in node.logs() for node in (n1, n2)) == 1
    sent = [m for m in c.meta.get("/control/messages")["messages"] if m["to"].lstrip("+") == PENDING]
    assert [m["kind"] for m in sent] == ["interactive"], sent
    # The user grants permission. The reply lands on n2 and reaches n1 too; of the nodes that armed
    # a callback for phone3, exactly one places it.
    c.meta.post(f"/control/users/{PENDING}/permission", {"response": "accept"})
    for node in (n1, n2):
        node.wait_for_log("permission reply", timeout=10)

    def settled():
        logs = [n1.logs(), n2.logs()]
        fired = sum("callback firing" in log for log in logs)
        dropped = sum("another node of the cluster calls back" in log for log in logs)
        return fired == 1 and dropped == len(armed) - 1
    wait_until(settled, "one node calling phone3 back, any other dropping its callback", timeout=10)
