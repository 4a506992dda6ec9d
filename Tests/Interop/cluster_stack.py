"""The pieces of a wagate cluster other than wagate, run for real on loopback:
a throwaway PostgreSQL the nodes share (scripts/postgres-test.sh), Kamailio as
the SIP edge (contrib/cluster/kamailio.cfg: registrar, digest, dispatcher over
the nodes) and HAProxy in front of the nodes' webhook listeners
(contrib/cluster/haproxy.cfg). Each class starts its server with the shipped
configuration and the parameters a test gives, and returns once the server
serves; `stop()` ends it. SIPp phones (register, call a WhatsApp number through
the edge) are here too, for any cluster test."""
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from conftest import ROOT, free_port, sipp_media_port
from sipp_builder import tcp_listening, udp_bound

CONTRIB = ROOT / "contrib" / "cluster"
KAMAILIO_CFG = CONTRIB / "kamailio.cfg"
HAPROXY_CFG = CONTRIB / "haproxy.cfg"
POSTGRES_SCRIPT = ROOT / "scripts" / "postgres-test.sh"
WHATSAPP_NUMBER = "+14085551234"
"""The WhatsApp number phones dial in the cluster tests (any number: no node is a real wagate)."""


def wait_until(condition, what, timeout=10, proc=None, log=None):
    """Polls `condition` until it returns something true (returned); fails after
    `timeout` s, or as soon as `proc` has exited, with the tail of `log` (a path)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        tail = Path(log).read_text(errors="replace")[-3000:] if log and Path(log).exists() else ""
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"exited ({proc.returncode}) before {what}:\n{tail}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s\n{tail}")
        time.sleep(0.05)


def _short_dir(prefix):
    """A private directory with a short path under /tmp: unix socket paths are at
    most 107 bytes, and pytest's directories are deep."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))


def _md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def _end(proc, timeout=10):
    """SIGTERM, then SIGKILL if it lingers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Postgres:
    """A PostgreSQL cluster of its own on a free 127.0.0.1 port: `url` for the
    nodes, `query(sql)` to look at what they stored, `restart()` (clients are
    disconnected, the data stays) and `stop()`. Its data lives in a directory
    under /tmp that the `postgres` user can reach (pytest's are closed to it);
    `stop()` removes it and keeps the server log as `tmp_dir`/postgres.log."""

    def __init__(self, tmp_dir, port=None):
        self.tmp = Path(tmp_dir)
        self.port = port or free_port(socket.SOCK_STREAM, both=False)
        self.dir = _short_dir("wagate-pg-")
        self.url = self._script("start", str(self.dir), str(self.port))

    def _script(self, *args):
        result = subprocess.run(["bash", str(POSTGRES_SCRIPT), *args], capture_output=True, text=True, timeout=90)
        if result.returncode != 0:
            raise AssertionError(f"postgres-test.sh {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout.strip()

    def restart(self):
        """Stops the server and starts it again on the same data and port."""
        self._script("restart", str(self.dir))

    def query(self, sql):
        """Runs `sql` as the `wagate` role over TCP; returns psql's unaligned rows (`|` between columns)."""
        result = subprocess.run(["psql", self.url, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise AssertionError(f"psql failed on {sql!r}:\n{result.stderr}")
        return result.stdout.strip()

    def stop(self):
        if not self.dir.exists():
            return
        try:
            self._script("stop", str(self.dir))
        finally:
            log = self.dir / "postgres.log"
            if log.exists():
                shutil.copyfile(log, self.tmp / "postgres.log")
            shutil.rmtree(self.dir, ignore_errors=True)


class KamailioCluster:
    """Kamailio with the shipped contrib/cluster/kamailio.cfg on `listen_ip`:`port`
    (UDP and TCP): registrar with digest for `users` ({name: password}), calls
    from phones to WhatsApp numbers over `nodes` [(ip, port), ...] (dispatcher
    set 1), calls from the nodes to registered phones. The node probing and
    timeouts default to test speed (1 s probes, one failure takes a node out).
    With `auth_db` the credentials are read by auth_db from a "subscriber" table
    (WITH_AUTH_DB) instead of the "users" hash table."""

    def __init__(self, tmp, listen_ip, port, nodes, users, ping_interval=1, probing_threshold=1,
                 inactive_threshold=1, node_timeout=1000, request_timeout=1000, ring_timeout=30000, auth_db=False):
        self.tmp = Path(tmp) / f"kamailio-{port}"
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.ip, self.port = listen_ip, port
        self.nodes = list(nodes)
        self.dispatcher_list = self.tmp / "dispatcher.list"
        self.dispatcher_list.write_text("".join(f"1 sip:{ip}:{node_port}\n" for ip, node_port in self.nodes))
        users_db = self.tmp / "users-db"
        users_db.mkdir(exist_ok=True)
        escape = lambda text: text.replace(":", "\\:")  # noqa: E731 (db_text's field separator)
        if auth_db:  # auth_db's subscriber table (plain passwords), as an operator's database would hold it
            (users_db / "version").write_text("table_name(str) table_version(int)\nsubscriber:7\n")
            (users_db / "subscriber").write_text(
                "id(int,auto) username(str) domain(str) password(str) ha1(str) ha1b(str)\n" + "".join(
                    f"{number}:{name}:wagate:{escape(password)}:{_md5(f'{name}:wagate:{password}')}:"
                    f"{_md5(f'{name}@wagate:wagate:{password}')}\n"
                    for number, (name, password) in enumerate(users.items(), start=1)))
        else:
            (users_db / "version").write_text("table_name(str) table_version(int)\n")
            (users_db / "users").write_text("key_name(str) key_type(int) value_type(int) key_value(str)\n" + "".join(
                f"{name}:0:0:{escape(password)}\n" for name, password in users.items()))
        self.run_dir = _short_dir("wagate-kam-")
        defines = {"SIP_IP": listen_ip, "SIP_PORT": port, "DISPATCHER_LIST": f'"{self.dispatcher_list}"',
                   "USERS_DB_URL": f'"text://{users_db}"', "DS_PING_INTERVAL": ping_interval,
                   "DS_PROBING_THRESHOLD": probing_threshold, "DS_INACTIVE_THRESHOLD": inactive_threshold,
                   "NODE_TIMEOUT": node_timeout, "REQUEST_TIMEOUT": request_timeout,
                   "RING_TIMEOUT": ring_timeout, "CHILDREN": 2, "LOG_LEVEL": 2}
        if auth_db:
            del defines["USERS_DB_URL"]
            defines["AUTH_DB_URL"] = f'"text://{users_db}"'
        command = ["kamailio", "-f", str(KAMAILIO_CFG), "-DD", "-E", "-Y", str(self.run_dir), "-w", str(self.tmp),
                   "-m", "32", "-M", "4", *(["-A", "WITH_AUTH_DB"] if auth_db else [])]
        for name, value in defines.items():
            command += ["-A", f"{name}={value}"]
        self.log_path = self.tmp / "kamailio.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_until(lambda: udp_bound(port, listen_ip) and tcp_listening(port, listen_ip),
                   f"kamailio listening on {listen_ip}:{port}", proc=self.proc, log=self.log_path)

    def log_text(self):
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, text, timeout=10):
        """Waits until the log holds `text`; returns the log."""
        return wait_until(lambda: text in self.log_text() and self.log_text(), f"kamailio logging {text!r}",
                          timeout=timeout, proc=self.proc, log=self.log_path)

    def wait_node_down(self, ip, port, timeout=10):
        """Waits until the dispatcher has taken node `ip`:`port` out (its probes failed)."""
        return self.wait_for_log(f"wagate node down: sip:{ip}:{port}", timeout)

    def rpc(self, *command):
        """A kamcmd command over the control socket (e.g. "dispatcher.list"); returns its output."""
        result = subprocess.run(["kamcmd", "-s", f"unix:{self.run_dir}/kamailio_ctl", *command],
                                capture_output=True, text=True, timeout=10)
        return result.stdout + result.stderr

    def stop(self):
        _end(self.proc)
        self.log.close()
        shutil.rmtree(self.run_dir, ignore_errors=True)


class HAProxy:
    """HAProxy with the shipped contrib/cluster/haproxy.cfg on 127.0.0.1:`port` in
    front of `nodes` [(ip, webhook_port, admin_port), ...] (at most three, as in
    the shipped file), checking each node's GET /readyz on its admin port every
    `inter` (`fall` failures take it out, `rise` successes bring it back).
    `tls_cert` (a PEM with certificate and key) serves HTTPS instead."""

    def __init__(self, tmp, port, nodes, inter="1s", fall=2, rise=2, tls_cert=None, listen_ip="127.0.0.1"):
        assert len(nodes) <= 3, "contrib/cluster/haproxy.cfg names three nodes"
        self.tmp = Path(tmp)
        self.port, self.ip = port, listen_ip
        self.run_dir = _short_dir("wagate-hap-")
        self.socket = self.run_dir / "admin.sock"
        env = dict(os.environ, WAGATE_WEBHOOK_BIND=f"{listen_ip}:{port}", WAGATE_CHECK_INTER=str(inter),
                   WAGATE_CHECK_FALL=str(fall), WAGATE_CHECK_RISE=str(rise), WAGATE_HAPROXY_SOCKET=str(self.socket))
        for name in [name for name in env if name.startswith("WAGATE_NODE") or name == "WAGATE_TLS_CERT"]:
            del env[name]
        for number, (ip, webhook_port, admin_port) in enumerate(nodes, start=1):
            env[f"WAGATE_NODE{number}_ADDR"] = ip
            env[f"WAGATE_NODE{number}_WEBHOOK_PORT"] = str(webhook_port)
            env[f"WAGATE_NODE{number}_ADMIN_PORT"] = str(admin_port)
        if tls_cert:
            env["WAGATE_TLS_CERT"] = str(tls_cert)
        if os.geteuid() != 0:
            env["WAGATE_HAPROXY_UNPRIVILEGED"] = "1"
        self.log_path = self.tmp / f"haproxy-{port}.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(["haproxy", "-db", "-f", str(HAPROXY_CFG)], env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_until(lambda: tcp_listening(port, listen_ip) and self.socket.exists(),
                   f"haproxy listening on {listen_ip}:{port}", proc=self.proc, log=self.log_path)

    def command(self, line):
        """One runtime API command (e.g. "show servers state"); returns the answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(str(self.socket))
            s.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def server_states(self):
        """{server name: "UP" or "DOWN" (and transitional states such as "UP 1/2")} of the nodes' backend."""
        rows = [line.split(",") for line in self.command("show stat").splitlines() if line and line[0] != "#"]
        return {row[1]: row[17] for row in rows if row[0] == "wagate_nodes" and row[1] not in ("FRONTEND", "BACKEND")}

    def wait_state(self, server, state, timeout=10):
        """Waits until `server` (node1, node2, ...) is in `state` ("UP" or "DOWN")."""
        wait_until(lambda: self.server_states().get(server) == state, f"haproxy {server} {state}",
                   timeout=timeout, proc=self.proc, log=self.log_path)

    def log_text(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        _end(self.proc)
        self.log.close()
        shutil.rmtree(self.run_dir, ignore_errors=True)


# MARK: - SIPp phones and nodes

SDP = """v=0
o=sipp 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8
a=rtpmap:8 PCMA/8000
"""


def _scenario(path, name, body):
    Path(path).write_text(f'<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="{name}">\n{body}'
                          "</scenario>\n")
    return Path(path)


def _send(message, retrans=True, extra=""):
    attribute = ' retrans="500"' if retrans else ""
    return f"  <send{attribute}{extra}><![CDATA[\n{message}\n]]></send>\n"


def _register(cseq, contact, expires, auth):
    return f"""REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:[service]@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[remote_ip]>
Call-ID: [call_id]
CSeq: {cseq} REGISTER
Contact: <sip:[service]@{contact}>
{"[authentication]" + chr(10) if auth else ""}Expires: {expires}
Max-Forwards: 70
Content-Length: 0
"""


def register_scenario(path, contact="[local_ip]:[local_port]", expires=300, final="200"):
    """REGISTER [service] with `contact` (host:port of the phone that takes its
    calls), 401, REGISTER with digest, then the `final` response."""
    body = _send(_register(1, contact, expires, False))
    body += '  <recv response="401" auth="true"/>\n'
    body += _send(_register(2, contact, expires, True))
    body += f'  <recv response="{final}"/>\n'
    return _scenario(path, "register at the edge", body)


def _invite(cseq, user, auth):
    return f"""INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:{user}@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[remote_ip]>
Call-ID: [call_id]
CSeq: {cseq} INVITE
Contact: <sip:{user}@[local_ip]:[local_port]>
{"[authentication]" + chr(10) if auth else ""}Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

{SDP}"""


def _ack_final(cseq, user):
    return f"""ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
[last_Via:]
From: <sip:{user}@[remote_ip]>;tag=[pid]SIPpTag[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: {cseq} ACK
Max-Forwards: 70
Content-Length: 0
"""


def _in_dialog(method, cseq, user):
    return f"""{method} [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
[routes]
From: <sip:{user}@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[remote_ip]>[peer_tag_param]
Call-ID: [call_id]
CSeq: {cseq} {method}
Contact: <sip:{user}@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0
"""


def call_scenario(path, user, auth=True, final="200"):
    """An INVITE from `user` to [service] through the edge: challenged (407) when
    `auth`, answered with digest. `final` "200": the call is answered (the
    host:port in the 200's Contact, the node that took it, is logged as
    "answered-by HOST:PORT" with -trace_logs), ACKed and hung up with BYE along
    the recorded route; "cancel": the call rings (180) and is cancelled (200 to
    the CANCEL, 487 to the INVITE); another code: that final response is
    expected and ACKed."""
    cseq = 1
    body = ""
    if auth:
        body += _send(_invite(1, user, False))
        body += '  <recv response="100" optional="true"/>\n  <recv response="407" auth="true"/>\n'
        body += _send(_ack_final(1, user), retrans=False)
        cseq = 2
    body += _send(_invite(cseq, user, auth))
    body += '  <recv response="100" optional="true"/>\n'
    body += '  <recv response="180" optional="true"/>\n  <recv response="183" optional="true"/>\n'
    if final == "cancel":
        body = body.replace('<recv response="180" optional="true"/>\n  <recv response="183" optional="true"/>',
                            '<recv response="180"/>')
        body += _send(f"""CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
[last_Via:]
From: <sip:{user}@[remote_ip]>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[remote_ip]>
Call-ID: [call_id]
CSeq: {cseq} CANCEL
Max-Forwards: 70
Content-Length: 0
""")
        body += '  <recv response="200"/>\n  <recv response="487"/>\n'
        body += _send(_ack_final(cseq, user), retrans=False)
    elif final == "200":
        body += """  <recv response="200" rrs="true">
    <action>
      <ereg regexp="[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+:[0-9]+" search_in="hdr" header="Contact:" check_it="true"
            assign_to="node"/>
      <log message="answered-by [$node] call [call_id]"/>
    </action>
  </recv>
"""
        body += _send(_in_dialog("ACK", cseq, user), retrans=False)
        body += _send(_in_dialog("BYE", cseq + 1, user))
        body += '  <recv response="200" crlf="true"/>\n'
    else:
        body += f'  <recv response="{final}"/>\n'
        body += _send(_ack_final(cseq, user), retrans=False)
    return _scenario(path, f"call expecting {final}", body)


def node_scenario(path, options_status="200 OK", invite_status="200 OK", ring=True):
    """A stand-in for a wagate node (SIPp UAS): answers OPTIONS probes with
    `options_status`; answers each INVITE with 180 (when `ring`) then
    `invite_status`, a 200 (its Contact names the node; then it expects ACK
    and BYE), or an error (then expects the ACK); `invite_status` None: it
    rings until the call is cancelled (200 to the CANCEL, 487, ACK)."""
    reply = """SIP/2.0 {status}
[last_Via:]
[last_Record-Route:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:node@[local_ip]:[local_port]>
{extra}Content-Length: {length}
{body}"""
    body = '  <recv request="OPTIONS" optional="true" next="options"/>\n  <recv request="INVITE"'
    # The 487 to a cancelled INVITE carries the INVITE's Via headers (the proxy's and the phone's).
    body += ("/>\n" if invite_status else """>
    <action>
      <ereg regexp=".*" search_in="hdr" header="Via:" occurrence="1" assign_to="via1"/>
      <ereg regexp=".*" search_in="hdr" header="Via:" occurrence="2" assign_to="via2"/>
      <ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" assign_to="cseq"/>
    </action>
  </recv>
""")
    if ring:
        body += _send(reply.format(status="180 Ringing", extra="", length="0", body=""), retrans=False)
    if invite_status is None:
        body += '  <recv request="CANCEL"/>\n'
        body += _send(reply.format(status="200 OK", extra="", length="0", body=""), retrans=False)
        body += _send("""SIP/2.0 487 Request Terminated
Via:[$via1]
Via:[$via2]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
CSeq: [$cseq] INVITE
Content-Length: 0
""")
        body += '  <recv request="ACK" next="done"/>\n'
    elif invite_status.startswith("200"):
        body += _send(reply.format(status=invite_status, extra="Content-Type: application/sdp\n", length="[len]",
                                   body="\n" + SDP))
        body += '  <recv request="ACK"/>\n  <recv request="BYE"/>\n'
        body += _send(reply.format(status="200 OK", extra="", length="0", body=""), retrans=False, extra=' next="done"')
    else:
        body += _send(reply.format(status=invite_status, extra="", length="0", body=""))
        body += '  <recv request="ACK" next="done"/>\n'
    body += '  <label id="options"/>\n'
    body += _send(reply.format(status=options_status, extra="", length="0", body=""), retrans=False)
    body += '  <label id="done"/>\n'
    return _scenario(path, "wagate node stand-in", body)


class SippServer:
    """A SIPp UAS on `ip`:`port` running `scenario` (or SIPp's built-in "uas" when
    None) for `calls` calls (0: until stopped)."""

    def __init__(self, tmp, ip, port, scenario=None, calls=0, name=None):
        self.tmp = Path(tmp)
        self.ip, self.port = ip, port
        self.name = name or f"uas-{ip}-{port}"
        source = ["-sf", str(scenario)] if scenario else ["-sn", "uas"]
        command = ["sipp", *source, "-i", ip, "-p", str(port), "-mp", str(sipp_media_port()), "-nostdin",
                   "-trace_msg", "-message_file", str(self.tmp / f"{self.name}_messages.log"),
                   "-trace_err", "-error_file", str(self.tmp / f"{self.name}_errors.log")]
        if calls:
            command += ["-m", str(calls)]
        self.out_path = self.tmp / f"{self.name}.out"
        self.out = open(self.out_path, "w")
        self.proc = subprocess.Popen(command, cwd=self.tmp, stdout=self.out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        wait_until(lambda: udp_bound(port, ip), f"sipp listening on {ip}:{port}", proc=self.proc, log=self.out_path)

    def wait(self, timeout=20):
        """Waits for the UAS to end on its own (its `calls` done); returns its exit status."""
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.out.close()

    def kill(self):
        """Ends it at once, as a node that crashes."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.out.close()

    def messages(self):
        path = self.tmp / f"{self.name}_messages.log"
        return path.read_text(errors="replace") if path.exists() else ""


def run_sipp(tmp, scenario, remote, service, local_ip="127.0.0.1", user=None, password=None, calls=1, name="uac",
             timeout=20, extra=()):
    """Runs SIPp UAC `scenario` from `local_ip` to `remote` (ip, port) for `calls`
    calls one after the other, with digest credentials `user`/`password`;
    returns (exit status, output with its logs, [answered-by HOST:PORT per call])."""
    tmp = Path(tmp)
    logs = {kind: tmp / f"{name}_{kind}.log" for kind in ("messages", "errors", "logs")}
    for path in logs.values():
        path.unlink(missing_ok=True)
    command = ["sipp", f"{remote[0]}:{remote[1]}", "-sf", str(scenario), "-i", local_ip, "-p", str(free_port()),
               "-mp", str(sipp_media_port()), "-s", service, "-m", str(calls), "-l", "1", "-r", "50",
               "-timeout", f"{timeout}s", "-timeout_error", "-nostdin", "-max_retrans", "5",
               "-trace_msg", "-message_file", str(logs["messages"]), "-trace_err", "-error_file", str(logs["errors"]),
               "-trace_logs", "-log_file", str(logs["logs"]), *extra]
    if user:
        command += ["-au", user, "-ap", password]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout + 15, cwd=tmp)
    texts = {kind: path.read_text(errors="replace") if path.exists() else "" for kind, path in logs.items()}
    answered = [line.split()[1] for line in texts["logs"].splitlines() if line.startswith("answered-by ")]
    output = result.stdout + result.stderr + texts["errors"] + texts["messages"][-6000:]
    return result.returncode, output, answered
