"""The edge of a wagate cluster with real peers: Kamailio with the shipped
contrib/cluster/kamailio.cfg in front of SIPp stand-ins for the nodes (on
127.0.0.2 and 127.0.0.3), HAProxy with contrib/cluster/haproxy.cfg in front of
small HTTP servers standing in for the nodes' webhook and admin listeners, the
throwaway PostgreSQL of scripts/postgres-test.sh, and one real wagate node
behind both proxies (taking calls, then drained out of them).

SIP: phones register with digest; their calls to WhatsApp numbers are spread
round robin over the nodes; a node that is killed, that stops answering, or
that drains (503 to OPTIONS and INVITE) stops getting calls, and a call it
refused before ringing is tried on the next node; a node's call reaches a
registered phone, and 404 comes back for a phone that is not registered.
HTTP: webhooks are spread round robin and a node whose /readyz fails stops
getting them."""
import http.client
import http.server
import os
import socket
import ssl
import subprocess
import threading
import urllib.request

import pytest

from cluster_stack import (CONTRIB, HAPROXY_CFG, KAMAILIO_CFG, HAProxy, KamailioCluster, Postgres, SippServer,
                           WHATSAPP_NUMBER, call_scenario, node_scenario, register_scenario, run_sipp, wait_until)
from conftest import WAGATE, Gateway, free_port, free_range

NODE_A, NODE_B, EDGE = "127.0.0.2", "127.0.0.3", "127.0.0.1"
USERS = {"alice": "alice-secret", "bob": "bob-secret"}


@pytest.fixture
def stack(tmp_path):
    """Starts things and stops them all when the test ends, last started first."""
    started = []

    def start(thing):
        started.append(thing)
        return thing

    yield start
    for thing in reversed(started):
        thing.kill() if isinstance(thing, SippServer) else thing.stop()


def nodes(tmp_path, stack, **scenario):
    """Two node stand-ins, A on 127.0.0.2 and B on 127.0.0.3; `scenario` keywords per node
    (`a=`, `b=`: node_scenario arguments)."""
    made = []
    for name, ip in (("a", NODE_A), ("b", NODE_B)):
        path = node_scenario(tmp_path / f"node-{name}.xml", **scenario.get(name, {}))
        made.append(stack(SippServer(tmp_path, ip, free_port(), path, name=f"node-{name}")))
    return made


def edge(tmp_path, stack, node_list, **kwargs):
    return stack(KamailioCluster(tmp_path, EDGE, free_port(), [(n.ip, n.port) for n in node_list], USERS, **kwargs))


def register(tmp_path, kamailio, user, password, final="200", contact="[local_ip]:[local_port]", as_user=None):
    scenario = register_scenario(tmp_path / f"register-{final}.xml", contact=contact, final=final)
    code, out, _ = run_sipp(tmp_path, scenario, (kamailio.ip, kamailio.port), as_user or user, user=user,
                            password=password, name=f"register-{user}")
    assert code == 0, out


def calls(tmp_path, kamailio, count, user="alice", service=WHATSAPP_NUMBER, final="200"):
    """`count` calls one after another from phone `user` through the edge; returns the node that answered each."""
    scenario = call_scenario(tmp_path / f"call-{final}.xml", user, final=final)
    code, out, answered = run_sipp(tmp_path, scenario, (kamailio.ip, kamailio.port), service, user=user,
                                   password=USERS[user], calls=count, name=f"calls-{user}")
    assert code == 0, out + kamailio.log_text()[-3000:]
    return answered


def address(node):
    return f"{node.ip}:{node.port}"


# MARK: - The shipped files as an operator runs them

@pytest.mark.parametrize("defines", [[], ["-A", "WITH_AUTH_DB"]])
def test_kamailio_cfg_checks_with_its_production_defaults(defines):
    result = subprocess.run(["kamailio", "-c", "-f", str(KAMAILIO_CFG),
                             "-A", f'DISPATCHER_LIST="{CONTRIB}/dispatcher.list"',
                             "-A", f'USERS_DB_URL="text://{CONTRIB}/wagate-users"', *defines],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and "config file ok" in result.stdout + result.stderr, result.stderr
    assert "udp: 0.0.0.0 [0.0.0.0]:5060" in result.stdout


def test_haproxy_cfg_checks_with_three_nodes_and_its_production_defaults():
    env = {name: value for name, value in os.environ.items() if not name.startswith("WAGATE_")}
    env["WAGATE_WEBHOOK_BIND"] = ":443"
    for number in (1, 2, 3):
        env |= {f"WAGATE_NODE{number}_ADDR": f"10.0.0.1{number}", f"WAGATE_NODE{number}_WEBHOOK_PORT": "8080",
                f"WAGATE_NODE{number}_ADMIN_PORT": "8091"}
    result = subprocess.run(["haproxy", "-c", "-f", str(HAPROXY_CFG)], env=env, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0 and "Configuration file is valid" in result.stdout, result.stdout + result.stderr


# MARK: - Kamailio: registrar and digest

@pytest.mark.parametrize("credentials", ["users", "auth_db"])
def test_phones_register_with_digest_and_wrong_credentials_get_403(tmp_path, stack, credentials):
    a, b = nodes(tmp_path, stack)
    kamailio = edge(tmp_path, stack, [a, b], auth_db=credentials == "auth_db")
    register(tmp_path, kamailio, "alice", "alice-secret")
    assert "alice" in kamailio.rpc("ul.dump")
    register(tmp_path, kamailio, "bob", "not-bobs-password", final="403")
    register(tmp_path, kamailio, "mallory", "anything", final="403")  # no such phone
    register(tmp_path, kamailio, "alice", "alice-secret", final="403", as_user="bob")  # alice registering as bob
    assert "bob" not in kamailio.rpc("ul.dump")
    # A phone calls WhatsApp numbers only: another name is refused after the digest.
    assert calls(tmp_path, kamailio, 1, service="bob", final="404") == []
    assert calls(tmp_path, kamailio, 1) in ([address(a)], [address(b)])
    if credentials == "users":
        # A phone added to the table is known after a reload, without a restart.
        table = kamailio.tmp / "users-db" / "users"
        loaded = table.stat().st_mtime
        with open(table, "a") as lines:
            lines.write("carol:0:0:carol-secret\n")
        # db_text rereads a file whose modification time (in seconds) has changed.
        os.utime(table, (loaded + 2, loaded + 2))
        assert "Htable reloaded" in kamailio.rpc("htable.reload", "users")
        register(tmp_path, kamailio, "carol", "carol-secret")


# MARK: - Kamailio: calls from phones over the nodes

def test_calls_spread_over_the_nodes_and_a_killed_node_is_taken_out_until_it_is_back(tmp_path, stack):
    a, b = nodes(tmp_path, stack)
    kamailio = edge(tmp_path, stack, [a, b])
    register(tmp_path, kamailio, "alice", "alice-secret")
    answered = calls(tmp_path, kamailio, 6)
    assert sorted(answered) == sorted([address(a)] * 3 + [address(b)] * 3), answered

    b.kill()
    kamailio.wait_node_down(b.ip, b.port)
    assert calls(tmp_path, kamailio, 4) == [address(a)] * 4

    # B back on its address: its probes succeed and it takes calls again.
    b = stack(SippServer(tmp_path, b.ip, b.port, tmp_path / "node-b.xml", name="node-b-again"))
    kamailio.wait_for_log(f"wagate node up: sip:{b.ip}:{b.port}")
    assert sorted(calls(tmp_path, kamailio, 2)) == sorted([address(a), address(b)])


def test_a_node_that_stops_answering_is_passed_over_before_its_probes_fail(tmp_path, stack):
    a, b = nodes(tmp_path, stack)
    kamailio = edge(tmp_path, stack, [a, b], ping_interval=60)  # no probe during the test
    b.kill()
    # The call that goes to B first gets no reply within NODE_TIMEOUT and is sent to
    # A; B is then out, and the next calls go straight to A.
    assert calls(tmp_path, kamailio, 4) == [address(a)] * 4
    log = kamailio.log_text()
    assert log.count(f"wagate node sip:{b.ip}:{b.port} did not answer the INVITE") == 1, log[-3000:]


def test_a_node_refusing_calls_with_503_fails_over_and_a_draining_node_is_taken_out(tmp_path, stack):
    a, b = nodes(tmp_path, stack, b={"options_status": "503 Service Unavailable",
                                     "invite_status": "503 Service Unavailable", "ring": False})
    # Before any probe: the calls B refuses are answered by A.
    kamailio = edge(tmp_path, stack, [a, b], ping_interval=60)
    assert calls(tmp_path, kamailio, 4) == [address(a)] * 4
    assert f"via next node sip:{a.ip}:{a.port}" in kamailio.log_text()
    kamailio.stop()

    # With probes: B's 503 to OPTIONS takes it out, and no call is offered to it.
    kamailio = edge(tmp_path, stack, [a, b])
    kamailio.wait_node_down(b.ip, b.port)
    assert calls(tmp_path, kamailio, 4) == [address(a)] * 4
    assert f"via node sip:{b.ip}:{b.port}" not in kamailio.log_text()


def test_a_call_that_rang_on_a_node_is_never_offered_to_another(tmp_path, stack):
    # Both nodes ring and then refuse: the phone gets the first node's refusal (a
    # proxy forwards a 503 as 500, RFC 3261 16.7), and the WhatsApp user is not
    # rung a second time through the other node.
    refuse = {"invite_status": "503 Service Unavailable", "ring": True}
    a, b = nodes(tmp_path, stack, a=refuse, b=refuse)
    kamailio = edge(tmp_path, stack, [a, b], ping_interval=60)
    calls(tmp_path, kamailio, 1, final="500")
    log = kamailio.log_text()
    assert log.count("phone alice calls") == 1 and "via next node" not in log, log[-3000:]


def test_a_phone_cancels_a_ringing_call_and_no_other_node_is_tried(tmp_path, stack):
    a, b = nodes(tmp_path, stack, a={"invite_status": None}, b={"invite_status": None})
    kamailio = edge(tmp_path, stack, [a, b], ping_interval=60)
    calls(tmp_path, kamailio, 2, final="cancel")
    log = kamailio.log_text()
    assert log.count("phone alice calls") == 2 and "via next node" not in log, log[-3000:]


def test_no_node_up_gets_503(tmp_path, stack):
    a, b = nodes(tmp_path, stack, a={"options_status": "503 Service Unavailable"},
                 b={"options_status": "503 Service Unavailable"})
    kamailio = edge(tmp_path, stack, [a, b])
    kamailio.wait_node_down(a.ip, a.port)
    kamailio.wait_node_down(b.ip, b.port)
    calls(tmp_path, kamailio, 1, final="503")
    assert "no wagate node up" in kamailio.log_text()


# MARK: - Kamailio: calls from the nodes to phones

def test_a_node_calls_a_registered_phone_and_an_unregistered_one_gets_404(tmp_path, stack):
    a, b = nodes(tmp_path, stack)
    kamailio = edge(tmp_path, stack, [a, b])
    # bob's phone answers like a node stand-in does (it keeps the Record-Route).
    phone = stack(SippServer(tmp_path, "127.0.0.1", free_port(), node_scenario(tmp_path / "phone.xml"), calls=1,
                             name="phone-bob"))
    register(tmp_path, kamailio, "bob", "bob-secret", contact=f"127.0.0.1:{phone.port}")

    # A node (any port of a node's address; no digest) calls bob: his phone answers.
    node_call = call_scenario(tmp_path / "node-call.xml", "wagate", auth=False)
    code, out, _ = run_sipp(tmp_path, node_call, (kamailio.ip, kamailio.port), "bob", local_ip=NODE_A,
                            name="node-calls-bob")
    assert code == 0, out + kamailio.log_text()[-3000:]
    assert phone.wait() == 0, phone.messages()[-3000:]
    assert "INVITE sip:bob@127.0.0.1" in phone.messages()

    # carol never registered.
    node_call = call_scenario(tmp_path / "node-call-404.xml", "wagate", auth=False, final="404")
    code, out, _ = run_sipp(tmp_path, node_call, (kamailio.ip, kamailio.port), "carol", local_ip=NODE_A,
                            name="node-calls-carol")
    assert code == 0, out

    # The same INVITE from an address that is no node is a phone's: challenged.
    code, out, _ = run_sipp(tmp_path, call_scenario(tmp_path / "stranger.xml", "wagate", auth=False, final="407"),
                            (kamailio.ip, kamailio.port), "bob", name="stranger-calls-bob")
    assert code == 0, out


# MARK: - A real wagate node behind the edge

ADMIN_TOKEN = "edge-test-admin-token"


class WagateNode(Gateway):
    """A real wagate as a cluster node on `ip`: sandbox mode (its own Meta
    simulator), the Kamailio on 127.0.0.1:`edge_port` as its trunk `edge`, and an
    admin listener (drain, /readyz) on `ip`."""

    def __init__(self, tmp, ip, edge_port):
        self.tmp, self.ip = tmp, ip
        self.sip_port = free_port()
        self.http_port = free_port(socket.SOCK_STREAM, both=False)
        self.admin_port = free_port(socket.SOCK_STREAM, both=False)
        rtp = free_range(200)
        self.config = tmp / f"wagate-{ip}.conf"
        self.config.write_text(f"""
[general]
listen = udp:{ip}:{self.sip_port}, tcp:{ip}:{self.sip_port}
rtp_port_range = {rtp}-{rtp + 200}
[http]
listen = {ip}:{self.http_port}
[whatsapp]
mode = sandbox
simulator_listen = 127.0.0.1:{free_port(socket.SOCK_STREAM, both=False)}
[storage]
database = {tmp}/wagate-{ip}.sqlite
[admin]
bind = {ip}:{self.admin_port}
token = {ADMIN_TOKEN}
[edge]
type = trunk
host = 127.0.0.1
port = {edge_port}
match = 127.0.0.1/32
allow = +*
""")
        self.log_path = tmp / f"wagate-{ip}.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([str(WAGATE), "run", "--config", str(self.config), "--log-level", "debug"],
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.wait_ready()

    def admin(self, action):
        request = urllib.request.Request(f"http://{self.ip}:{self.admin_port}/api/v1/{action}", method="POST",
                                         headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status


def test_a_real_wagate_node_takes_calls_from_the_edge_and_drains_out_of_it(tmp_path, stack):
    edge_port = free_port()
    node = stack(WagateNode(tmp_path, NODE_A, edge_port))
    b = stack(SippServer(tmp_path, NODE_B, free_port(), node_scenario(tmp_path / "node-b.xml"), name="node-b"))
    kamailio = stack(KamailioCluster(tmp_path, EDGE, edge_port, [(node.ip, node.sip_port), (b.ip, b.port)], USERS))
    haproxy = stack(HAProxy(tmp_path, free_port(socket.SOCK_STREAM, both=False),
                            [(node.ip, node.http_port, node.admin_port)]))
    haproxy.wait_state("node1", "UP")
    register(tmp_path, kamailio, "alice", "alice-secret")

    # wagate answers its probes: a phone's calls go to it and to the stand-in in turn.
    assert sorted(calls(tmp_path, kamailio, 2)) == sorted([f"{node.ip}:{node.sip_port}", address(b)])
    logs = node.wait_for_log("call ended")
    assert "caller=trunk:edge" in logs and "sip_from_user=alice" in logs and "ended_by=sip" in logs

    # Drained, wagate answers OPTIONS and /readyz with 503: both proxies take it out.
    assert node.admin("drain") == 200
    kamailio.wait_node_down(node.ip, node.sip_port)
    haproxy.wait_state("node1", "DOWN")
    assert calls(tmp_path, kamailio, 2) == [address(b)] * 2

    assert node.admin("undrain") == 200
    kamailio.wait_for_log(f"wagate node up: sip:{node.ip}:{node.sip_port}")
    haproxy.wait_state("node1", "UP")


# MARK: - HAProxy: webhooks over the nodes

class HTTPNode:
    """A stand-in for a node's HTTP side: the webhook listener (records each request,
    answers the GET verification with hub.challenge) and the admin listener
    (/readyz answers `ready_status`)."""

    def __init__(self, ip, name):
        self.ip, self.name = ip, name
        self.requests = []
        self.ready_status = 200
        node = self

        class Webhook(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                node.requests.append(("GET", self.path))
                challenge = self.path.partition("hub.challenge=")[2].partition("&")[0]
                self._answer(200, challenge.encode())

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                node.requests.append(("POST", body.decode()))
                self._answer(200, b"")

            def _answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Admin(Webhook):
            def do_GET(self):
                self._answer(node.ready_status if self.path == "/readyz" else 404, b"{}")

        self.servers = [http.server.ThreadingHTTPServer((ip, free_port(socket.SOCK_STREAM, both=False)), handler)
                        for handler in (Webhook, Admin)]
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.webhook_port, self.admin_port = (server.server_address[1] for server in self.servers)

    def posts(self):
        return [body for method, body in self.requests if method == "POST"]

    def stop(self):
        for server in self.servers:
            if server.socket.fileno() != -1:
                server.shutdown()
                server.server_close()


def post_webhooks(port, count, start=0, tls=False):
    """POSTs `count` webhook bodies ("event N") to HAProxy; every one must be answered 200."""
    for number in range(start, start + count):
        connection = (http.client.HTTPSConnection("127.0.0.1", port, timeout=5,
                                                  context=ssl._create_unverified_context()) if tls
                      else http.client.HTTPConnection("127.0.0.1", port, timeout=5))
        connection.request("POST", "/whatsapp/webhook", body=f"event {number}",
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        connection.close()
        assert response.status == 200, (number, response.status)


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response.status, body


@pytest.fixture
def http_nodes():
    made = [HTTPNode(NODE_A, "node1"), HTTPNode(NODE_B, "node2")]
    yield made
    for node in made:
        node.stop()


def test_webhooks_spread_over_the_nodes_and_a_node_not_ready_gets_none(tmp_path, stack, http_nodes):
    one, two = http_nodes
    port = free_port(socket.SOCK_STREAM, both=False)
    haproxy = stack(HAProxy(tmp_path, port, [(n.ip, n.webhook_port, n.admin_port) for n in http_nodes]))
    haproxy.wait_state("node1", "UP")
    haproxy.wait_state("node2", "UP")

    post_webhooks(port, 6)
    assert len(one.posts()) == 3 and len(two.posts()) == 3, (one.posts(), two.posts())
    # Meta's verification GET reaches a node and its challenge comes back; nothing
    # else of the nodes' HTTP listeners is exposed.
    assert get(port, "/whatsapp/webhook?hub.mode=subscribe&hub.challenge=4711&hub.verify_token=t") == (200, "4711")
    assert get(port, "/metrics")[0] == 404

    two.ready_status = 503  # draining
    haproxy.wait_state("node2", "DOWN")
    before = len(two.posts())
    post_webhooks(port, 6, start=6)
    assert len(two.posts()) == before, two.posts()
    assert one.posts()[-6:] == [f"event {number}" for number in range(6, 12)]

    two.ready_status = 200
    haproxy.wait_state("node2", "UP")
    post_webhooks(port, 4, start=12)
    assert len(two.posts()) == before + 2, two.posts()


def test_webhooks_over_https_and_a_stopped_node_gets_none(tmp_path, stack, http_nodes):
    pem = tmp_path / "webhook.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True)
    pem.write_text((tmp_path / "cert.pem").read_text() + (tmp_path / "key.pem").read_text())
    one, two = http_nodes
    port = free_port(socket.SOCK_STREAM, both=False)
    haproxy = stack(HAProxy(tmp_path, port, [(n.ip, n.webhook_port, n.admin_port) for n in http_nodes],
                            tls_cert=pem))
    haproxy.wait_state("node1", "UP")
    haproxy.wait_state("node2", "UP")
    post_webhooks(port, 2, tls=True)
    assert len(one.posts()) == 1 and len(two.posts()) == 1

    one.stop()  # the node is gone: webhook and admin listeners closed
    haproxy.wait_state("node1", "DOWN")
    post_webhooks(port, 3, start=2, tls=True)
    assert two.posts()[-3:] == ["event 2", "event 3", "event 4"]


# MARK: - PostgreSQL

def test_throwaway_postgres_keeps_its_data_across_a_restart(tmp_path):
    postgres = Postgres(tmp_path)
    try:
        assert postgres.url == f"postgres://wagate:wagate@127.0.0.1:{postgres.port}/wagate"
        postgres.query("CREATE TABLE calls (id text PRIMARY KEY, node text)")
        postgres.query("INSERT INTO calls VALUES ('c1', 'node1')")
        postgres.restart()
        assert postgres.query("SELECT node FROM calls WHERE id = 'c1'") == "node1"
        assert postgres.query("SELECT current_user, current_database()") == "wagate|wagate"
        wrong = subprocess.run(["psql", postgres.url.replace("wagate:wagate@", "wagate:wrong@"), "-c", "SELECT 1"],
                               capture_output=True, text=True)
        assert wrong.returncode != 0 and "password authentication failed" in wrong.stderr
    finally:
        postgres.stop()
    assert not postgres.dir.exists() and "database system is shut down" in (tmp_path / "postgres.log").read_text()
    wait_until(lambda: subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(postgres.port)]).returncode != 0,
               "postgres stopped", timeout=5)
