"""Browser agents' socket (`wagate.agent.v1`) against a real wagate: login and
its welcome, wrong passwords and the lockout (with SIP REGISTER of the same
user still working), token login, a dial served by the call layer, bad
messages, the upgrade checks, and WSS over the listener's own TLS."""

import json
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request

import pytest
import websocket

from conftest import sipp

AGENT = """
[dave]
type = user
secret = dave-secret
callerid = "Dave Agent" <1004>
webrtc = yes
allow = +*
"""
SUBPROTOCOL = "wagate.agent.v1"


def connect(gw, scheme="ws", origin=None, protocols=(SUBPROTOCOL,)):
    """A socket to the gateway's agent endpoint."""
    url = f"{scheme}://127.0.0.1:{gw.http_port}/phone/ws"
    options = {"timeout": 10, "subprotocols": list(protocols)}
    if origin:
        options["origin"] = origin
    if scheme == "wss":
        options["sslopt"] = {"cert_reqs": ssl.CERT_NONE, "check_hostname": False}
    return websocket.create_connection(url, **options)


def request(ws, message):
    """Sends one message; returns the next message the server sends."""
    ws.send(json.dumps(message))
    return json.loads(ws.recv())


def login(ws, user="dave", password="dave-secret", request_id="1"):
    """Logs in; returns (first answer, welcome or None)."""
    answer = request(ws, {"type": "login", "id": request_id, "v": 1, "user": user, "password": password})
    if answer["type"] != "ok":
        return answer, None
    return answer, json.loads(ws.recv())


@pytest.fixture
def agents_gw(make_gateway):
    return make_gateway(extra_sections=AGENT)


def test_login_welcome_then_token_login(agents_gw):
    ws = connect(agents_gw)
    assert ws.subprotocol == SUBPROTOCOL
    ok, welcome = login(ws)
    assert ok == {"type": "ok", "re": "1"}
    assert welcome["type"] == "welcome" and welcome["v"] == 1
    assert welcome["user"] == "dave" and welcome["name"] == "Dave Agent"
    assert welcome["presence"] == "available" and welcome["max_calls"] == 2
    assert welcome["session"].startswith("s-") and welcome["calls"] == []
    assert len(welcome["token"]) == 43 and welcome["expires_at"].endswith("Z")
    assert "dave-secret" not in agents_gw.logs() and welcome["token"] not in agents_gw.logs()
    assert request(ws, {"type": "ping", "id": "p"}) == {"type": "pong"}
    assert request(ws, {"type": "presence", "id": "2", "status": "away"}) == {"type": "ok", "re": "2"}
    assert json.loads(ws.recv()) == {"type": "presence", "status": "away"}

    second = connect(agents_gw)
    answer = request(second, {"type": "login", "id": "t", "v": 1, "token": welcome["token"]})
    assert answer == {"type": "ok", "re": "t"}
    again = json.loads(second.recv())
    assert again["user"] == "dave" and again["session"] != welcome["session"]
    bad = request(connect(agents_gw), {"type": "login", "id": "x", "v": 1, "token": welcome["token"] + "A"})
    assert bad["code"] == "bad_credentials"


def test_dial_is_served_by_the_call_layer(agents_gw):
    ws = connect(agents_gw)
    login(ws)
    answer = request(ws, {"type": "dial", "id": "d", "to": "+447700900123", "sdp": "v=0\r\n"})
    assert answer["type"] == "ok" and answer["re"] == "d" and answer["call"].startswith("a-"), answer
    while True:  # an offer that is no WebRTC offer cannot be bridged: the call ends
        event = json.loads(ws.recv())
        if event["type"] == "ended":
            break
    assert event["call"] == answer["call"] and event["by"] == "gateway", event
    assert request(ws, {"type": "teleport", "id": "u"})["code"] == "unknown_type"


def test_wrong_password_locks_web_login_but_sip_register_still_works(agents_gw, tmp_path):
    ws = connect(agents_gw)
    for attempt in range(3):  # conftest: auth_max_failures = 3
        answer, _ = login(ws, password="wrong", request_id=str(attempt))
        assert answer["code"] == "bad_credentials" and answer["re"] == str(attempt)
    locked, _ = login(connect(agents_gw), request_id="L")
    assert locked["code"] == "locked" and 290 <= locked["retry_after"] <= 300
    agents_gw.wait_for_log("web login locked out")
    code, out = sipp(agents_gw, "register.xml", service="dave", user="dave", password="dave-secret", tmp=tmp_path)
    assert code == 0, out
    agents_gw.wait_for_log("registered")


def test_user_without_webrtc_is_refused(agents_gw):
    answer, _ = login(connect(agents_gw), user="alice", password="alice-secret")
    assert answer["code"] == "webrtc_disabled"
    unknown, _ = login(connect(agents_gw), user="nobody", password="x")
    assert unknown["code"] == "bad_credentials"


def test_five_bad_messages_close_1008(agents_gw):
    ws = connect(agents_gw)
    for _ in range(4):
        ws.send("{not json")
        assert json.loads(ws.recv())["code"] == "bad_message"
    ws.send("[]")
    assert json.loads(ws.recv())["code"] == "bad_message"
    opcode, frame = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    assert int.from_bytes(frame[:2], "big") == 1008


def test_before_login_only_login_and_ping(agents_gw):
    ws = connect(agents_gw)
    assert request(ws, {"type": "presence", "id": "1", "status": "away"})["code"] == "not_logged_in"


def upgrade_status(gw, headers):
    """The HTTP status of a hand-made upgrade request."""
    base = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    req = urllib.request.Request(f"http://127.0.0.1:{gw.http_port}/phone/ws", headers={**base, **headers})
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_upgrade_refused_for_foreign_origin_or_missing_subprotocol(agents_gw):
    assert upgrade_status(agents_gw, {"Sec-WebSocket-Protocol": SUBPROTOCOL, "Origin": "https://evil.example"}) != 101
    assert upgrade_status(agents_gw, {}) != 101
    with pytest.raises(websocket.WebSocketBadStatusException):
        connect(agents_gw, origin="https://evil.example")
    with pytest.raises(websocket.WebSocketBadStatusException):
        connect(agents_gw, protocols=())
    own = connect(agents_gw, origin=f"http://127.0.0.1:{agents_gw.http_port}")
    assert login(own)[0]["type"] == "ok"
    agents_gw.wait_for_log("WebSocket upgrade refused")


def test_wss_over_the_listeners_tls(make_gateway, tmp_path):
    cert, key = tmp_path / "web.pem", tmp_path / "web.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    gw = make_gateway(extra_sections=AGENT, extra_http=f"tls_certificate = {cert}\ntls_private_key = {key}\n")
    ws = connect(gw, scheme="wss")
    ok, welcome = login(ws)
    assert ok["type"] == "ok" and welcome["user"] == "dave"
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(f"https://127.0.0.1:{gw.http_port}/metrics", context=context, timeout=5) as response:
        assert response.status == 200


def test_shutdown_says_bye_and_does_not_wait_for_open_sockets(agents_gw):
    ws = connect(agents_gw)
    login(ws)
    idle = connect(agents_gw)  # upgraded, never logged in
    stuck = connect(agents_gw)  # logged in, then never reads again
    login(stuck)
    started = time.monotonic()
    agents_gw.proc.send_signal(signal.SIGTERM)
    assert json.loads(ws.recv()) == {"type": "bye", "reason": "shutdown"}
    opcode, frame = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE and int.from_bytes(frame[:2], "big") == 1001
    opcode, _ = idle.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    assert agents_gw.proc.wait(timeout=15) == 0
    assert time.monotonic() - started < 10


def test_no_login_within_ten_seconds_closes_1008(agents_gw):
    ws = connect(agents_gw)
    ws.settimeout(15)
    assert json.loads(ws.recv())["code"] == "not_logged_in"
    opcode, frame = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE and int.from_bytes(frame[:2], "big") == 1008


def test_reload_with_a_new_secret_ends_the_session(agents_gw):
    ws = connect(agents_gw)
    _, welcome = login(ws)
    agents_gw.config.write_text(agents_gw.config.read_text().replace("dave-secret", "dave-new-secret"))
    agents_gw.proc.send_signal(signal.SIGHUP)
    assert json.loads(ws.recv()) == {"type": "bye", "reason": "account_disabled"}
    opcode, frame = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE and int.from_bytes(frame[:2], "big") == 1000
    revoked = request(connect(agents_gw), {"type": "login", "id": "t", "v": 1, "token": welcome["token"]})
    assert revoked["code"] == "bad_credentials"
    assert login(connect(agents_gw), password="dave-new-secret")[0]["type"] == "ok"
