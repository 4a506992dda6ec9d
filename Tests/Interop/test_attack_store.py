"""Storage under attack and faults, against a real wagate: replayed signed
webhooks are stored once and ring once, a full store (`max_size_mb`) keeps
calls and webhooks going with a counted error, raw bodies (personal data) are
erased after `webhook_body_retention`, and an event a killed gateway stored but
never processed is replayed at the next start.

The phone is a raw UDP socket behind a trunk (`[inbound] target = trunk:pbx`)
that answers every INVITE 486, so each WhatsApp call that rings it is seen as
one INVITE Call-ID."""
import hashlib
import hmac
import json
import re
import socket
import sqlite3
import threading
import time
import urllib.error
import urllib.request

from conftest import free_port

SECRET = b"sandbox-app-secret"
SDP = ("v=0\r\no=- 1730000000123 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=group:BUNDLE audio\r\n"
       "m=audio 3484 UDP/TLS/RTP/SAVPF 111 126\r\nc=IN IP4 127.0.0.1\r\n"
       "a=candidate:3316442930 1 udp 2122260223 127.0.0.1 3484 typ host generation 0\r\n"
       "a=ice-ufrag:Yb4Q\r\na=ice-pwd:LJ1pE7fAy6tRmyMpZK7W3tS4\r\n"
       "a=fingerprint:sha-256 4E:7D:0C:2A:9B:55:11:C3:8F:20:6A:71:DE:90:3B:44:A5:18:C2:E6:77:09:BD:3F:61:D8:42:5A:"
       "93:0E:C1:7F\r\na=setup:actpass\r\na=mid:audio\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
       "a=rtpmap:126 telephone-event/8000\r\na=ptime:20\r\n")


def connect_body(wacid, caller, name="Test User"):
    """A user-initiated connect webhook, exactly as Meta would sign it."""
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550100000", "phone_number_id": "100000000000001"},
             "contacts": [{"profile": {"name": name}, "wa_id": caller}],
             "calls": [{"id": wacid, "from": caller, "to": "15550100000", "event": "connect",
                        "timestamp": str(int(time.time())), "direction": "USER_INITIATED",
                        "session": {"sdp_type": "offer", "sdp": SDP}}]}
    envelope = {"object": "whatsapp_business_account",
                "entry": [{"id": "200000000000002", "changes": [{"field": "calls", "value": value}]}]}
    return json.dumps(envelope).encode()


def terminate_body(wacid):
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "100000000000001"},
             "calls": [{"id": wacid, "event": "terminate", "direction": "USER_INITIATED",
                        "timestamp": str(int(time.time())), "status": "COMPLETED"}]}
    return json.dumps({"object": "whatsapp_business_account",
                       "entry": [{"id": "2", "changes": [{"field": "calls", "value": value}]}]}).encode()


def sign(body):
    return "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()


def post(gw, body, path="/whatsapp/webhook"):
    """POSTs a signed webhook; returns the HTTP status."""
    request = urllib.request.Request(f"http://127.0.0.1:{gw.http_port}{path}", data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Hub-Signature-256", sign(body))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def metrics(gw):
    with urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5) as response:
        return response.read().decode()


def storage_errors(gw, operation):
    match = re.search(rf'wagate_storage_errors_total\{{operation="{operation}"\}} (\d+)', metrics(gw))
    return int(match.group(1)) if match else None


class Phone:
    """A SIP endpoint on a raw socket: records INVITEs by Call-ID and answers each 486."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.invites = {}  # Call-ID -> From header
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                data, peer = self.sock.recvfrom(65535)
            except (socket.timeout, OSError):
                continue
            text = data.decode(errors="replace")
            if not text.startswith("INVITE "):
                continue
            head = text.split("\r\n\r\n", 1)[0].split("\r\n")
            headers = [line for line in head[1:] if ":" in line]
            pick = lambda name: [h for h in headers if h.split(":", 1)[0].strip().lower() == name]
            call_id = pick("call-id")[0].split(":", 1)[1].strip()
            with self.lock:
                self.invites[call_id] = pick("from")[0]
            to = pick("to")[0] + ("" if ";tag=" in pick("to")[0] else ";tag=phone486")
            reply = "\r\n".join(["SIP/2.0 486 Busy Here", *pick("via"), *pick("from"), to, *pick("call-id"),
                                 *pick("cseq"), "Content-Length: 0", "", ""])
            self.sock.sendto(reply.encode(), peer)

    def calls_from(self, number):
        with self.lock:
            return [call_id for call_id, sender in self.invites.items() if number in sender]

    def wait_for_call_from(self, number, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.calls_from(number):
                return self.calls_from(number)
            time.sleep(0.02)
        raise AssertionError(f"no INVITE from {number} reached the phone; got {self.invites}")

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


def phone_sections(phone):
    return f"""
[pbx]
type = trunk
host = 127.0.0.1
port = {phone.port}
match = 127.0.0.9/32

[inbound]
target = trunk:pbx
ring_timeout = 10
"""


def sandbox():
    sim = free_port(socket.SOCK_STREAM, both=False)
    return f"mode = sandbox\nsimulator_listen = 127.0.0.1:{sim}\n", sim


def query(gw, sql, args=()):
    """One read of the gateway's database (read-only, closed at once)."""
    db = sqlite3.connect(f"file:{gw.tmp}/wagate.sqlite?mode=ro", uri=True, timeout=5)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def wait_until(predicate, what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"not reached within {timeout} s: {what}")


def processed(gw, key):
    rows = query(gw, "SELECT processed FROM webhook_events WHERE key = ?", (key,))
    return bool(rows) and rows[0][0] == 1


def settle(gw, tag):
    """Posts a terminate for a fresh call id and waits until call control has
    handled it: every event handed on before it has been handled too."""
    wacid = f"wacid.SENTINEL{tag}"
    assert post(gw, terminate_body(wacid)) == 200
    wait_until(lambda: processed(gw, f"call.terminate:{wacid}"), "the sentinel event is processed")


def test_300_replays_of_one_signed_webhook_store_one_row_and_ring_once(make_gateway):
    phone = Phone()
    try:
        gw = make_gateway(extra_general="drain_time = 1\n", extra_sections=phone_sections(phone))
        body = connect_body("wacid.REPLAY300", "447700900301")
        statuses = [post(gw, body) for _ in range(300)]
        assert statuses == [200] * 300, set(statuses)
        settle(gw, "300")
        assert len(phone.wait_for_call_from("447700900301")) == 1, "the phone rang once"
        assert query(gw, "SELECT COUNT(*) FROM webhook_events WHERE wacid = 'wacid.REPLAY300'") == [(1,)]
        assert query(gw, "SELECT COUNT(*) FROM webhook_deliveries") == [(2,)], "one row per delivery, not per replay"
        wait_until(lambda: query(gw, "SELECT COUNT(*) FROM calls WHERE wacid = 'wacid.REPLAY300'") == [(1,)],
                   "one call record")
        assert gw.proc.poll() is None
    finally:
        phone.close()


def fill(path):
    """Fills the database up to 1 MiB (what `max_size_mb = 1` allows): a filler
    table, then the webhook tables' own pages, so any new webhook row fails."""
    db = sqlite3.connect(path)
    page = db.execute("PRAGMA page_size").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {(1 << 20) // page}")
    db.execute("CREATE TABLE filler (b BLOB)")
    steps = [("INSERT INTO filler VALUES (randomblob(?))", size) for size in (8000, 1000, 100)]
    steps += [("INSERT INTO webhook_deliveries (received_at, signature, body, event_count) "
               f"VALUES ({time.time()}, '', randomblob(?), 0)", size) for size in (2000, 200, 20)]
    for sql, size in steps:
        while True:
            try:
                db.execute(sql, (size,))
                db.commit()
            except sqlite3.OperationalError as error:
                assert "full" in str(error), error
                db.rollback()
                break
    db.close()


def test_full_store_still_rings_the_phone_answers_200_and_counts_the_error(make_gateway, tmp_path):
    phone = Phone()
    try:
        first = make_gateway(extra_general="drain_time = 1\n", extra_sections=phone_sections(phone))
        assert first.stop() == 0
        fill(tmp_path / "wagate.sqlite")
        whatsapp, sim = sandbox()
        gw = make_gateway(extra_general="drain_time = 1\n", extra_sections=phone_sections(phone), whatsapp=whatsapp,
                          extra_storage="max_size_mb = 1\n")
        # A WhatsApp user calls through the built-in Meta simulator: its signed connect cannot be stored.
        request = urllib.request.Request(f"http://127.0.0.1:{sim}/control/users/447700900401/call",
                                         data=b'{"name": "Full Disk"}', method="POST")
        request.add_header("Content-Type", "application/json")
        urllib.request.urlopen(request, timeout=10).read()
        phone.wait_for_call_from("447700900401")
        gw.wait_for_log("storage operation failed")
        # Our own signed connect, five times: 200 each time, and it rings once (deduplicated in memory).
        body = connect_body("wacid.FULL", "447700900402")
        assert [post(gw, body) for _ in range(5)] == [200] * 5
        phone.wait_for_call_from("447700900402")
        # Call control handles events in order: once a later call rings, a duplicate would have rung before it.
        assert post(gw, connect_body("wacid.FULL2", "447700900403")) == 200
        phone.wait_for_call_from("447700900403")
        assert len(phone.calls_from("447700900402")) == 1
        assert storage_errors(gw, "webhook_record") >= 7, metrics(gw)
        assert query(gw, "SELECT COUNT(*) FROM webhook_events WHERE wacid = 'wacid.FULL'") == [(0,)], "nothing stored"
        logs = gw.logs()
        assert logs.count("storage operation failed") < 5, "the failure log is rate-limited"
        assert gw.proc.poll() is None
    finally:
        phone.close()


def test_webhook_bodies_are_erased_after_the_configured_time(make_gateway, tmp_path):
    gw = make_gateway(extra_storage="webhook_body_retention = 1\nretention_interval = 1\n")
    name = "Private Person 7e3f"
    body = connect_body("wacid.PRIVATE", "447700900501", name=name)
    assert post(gw, body) == 200
    wait_until(lambda: processed(gw, "call.connect:wacid.PRIVATE"), "the connect is processed")
    gw.wait_for_log("storage.bodies_scrubbed=1")
    rows = query(gw, "SELECT length(body), signature, scrubbed_at FROM webhook_deliveries")
    assert rows and all(length == 0 and signature == "" and at for length, signature, at in rows), rows
    files = [tmp_path / "wagate.sqlite", tmp_path / "wagate.sqlite-wal"]
    # The CDR keeps the caller's profile name as a party of the call (for cdr_retention_days);
    # what must be gone is the body, probed by its JSON fragment around the name.
    fragment = json.dumps({"profile": {"name": name}}).encode()[1:-1]
    assert not any(fragment in path.read_bytes() for path in files if path.exists()), "no copy left on disk"
    # The key outlives the body: a late retry is still a duplicate and is not stored again.
    assert post(gw, body) == 200
    settle(gw, "private")
    assert query(gw, "SELECT COUNT(*) FROM webhook_deliveries WHERE scrubbed_at IS NULL AND length(body) > 0 "
                     "AND id IN (SELECT delivery_id FROM webhook_events WHERE wacid = 'wacid.PRIVATE')") == [(0,)]
    assert query(gw, "SELECT COUNT(*) FROM webhook_events WHERE wacid = 'wacid.PRIVATE'") == [(1,)]
    assert gw.proc.poll() is None


def test_event_stored_by_a_killed_gateway_is_replayed_at_start(make_gateway, tmp_path):
    phone = Phone()
    try:
        first = make_gateway(extra_general="drain_time = 1\n", extra_sections=phone_sections(phone))
        first.proc.kill()  # SIGKILL: whatever the store holds is what the next start finds
        first.proc.wait()
        # The state a SIGKILL between "stored" and "handed to call control" leaves behind.
        body = connect_body("wacid.CRASH", "447700900601")
        db = sqlite3.connect(tmp_path / "wagate.sqlite")
        cursor = db.execute("INSERT INTO webhook_deliveries (received_at, signature, body, event_count) "
                            "VALUES (?, ?, ?, 1)", (time.time(), sign(body), body))
        db.execute("INSERT INTO webhook_events (key, delivery_id, kind, wacid, received_at, admitted, processed) "
                   "VALUES ('call.connect:wacid.CRASH', ?, 'connect', 'wacid.CRASH', ?, 1, 0)",
                   (cursor.lastrowid, time.time()))
        db.commit()
        db.close()
        gw = make_gateway(extra_general="drain_time = 1\n", extra_sections=phone_sections(phone))
        gw.wait_for_log("replaying unprocessed webhook events")
        assert len(phone.wait_for_call_from("447700900601")) == 1, "the replayed connect rings the phone"
        wait_until(lambda: processed(gw, "call.connect:wacid.CRASH"), "the replayed event is marked processed")
        # Meta's retry of the same delivery is now a duplicate.
        assert post(gw, body) == 200
        settle(gw, "crash")
        assert len(phone.calls_from("447700900601")) == 1
        assert gw.proc.poll() is None
    finally:
        phone.close()
