"""The admin API against a real wagate: its own listener on loopback, the bearer
token from `${VAR}`, health probes without auth; a live call from a SIPp phone
through wagate to the Meta simulator is listed, hung up through the API (the
phone gets a BYE, the simulator sees terminate), and found in the CDRs; drain
makes new calls get 503 and /readyz fail until undrain."""
import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import free_port, sipp, sipp_media_port
from sipp_builder import build

TOKEN = "admin-token-0123456789abcdef"
USER = "447700900123"
E164 = "+" + USER


@pytest.fixture
def admin(e2e, monkeypatch):
    """A gateway with [admin] whose token comes from the environment; returns (gw, meta, base URL)."""
    monkeypatch.setenv("WAGATE_ADMIN_TOKEN", TOKEN)
    port = free_port(socket.SOCK_STREAM, both=False)
    gw, meta = e2e(sections=f"\n[admin]\nbind = 127.0.0.1:{port}\ntoken = ${{WAGATE_ADMIN_TOKEN}}\n")
    return gw, meta, f"http://127.0.0.1:{port}"


def api(base, method, path, token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    request = urllib.request.Request(base + path, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            return response.status, json.loads(body) if body else None
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, json.loads(body) if body else None


def until(probe, timeout=10):
    """Polls `probe` (a cheap local HTTP read) until it returns a truthy value."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not reached within %s s" % timeout)


def start_phone(gw, path, tmp_path):
    return subprocess.Popen(
        ["sipp", f"127.0.0.1:{gw.sip_port}", "-sf", str(path), "-i", "127.0.0.1", "-p", str(free_port()),
         "-mp", str(sipp_media_port()), "-m", "1", "-s", E164, "-auth_uri", f"{E164}@127.0.0.1:{gw.sip_port}",
         "-au", "alice", "-ap", "alice-secret", "-nostdin", "-timeout", "30s", "-timeout_error"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def answer_when_ringing(meta):
    def run():
        call = meta.wait_for_call("ringing", USER)
        meta.post(f"/control/calls/{call['id']}/answer")
    threading.Thread(target=run, daemon=True).start()


def test_api_refuses_missing_and_wrong_tokens_but_probes_need_none(admin):
    gw, _, base = admin
    assert api(base, "GET", "/api/v1/calls") == (200, {"calls": []})
    assert api(base, "GET", "/api/v1/registrations") == (200, {"registrations": []})
    assert api(base, "GET", "/healthz", token=None) == (200, {"status": "ok"})
    status, ready = api(base, "GET", "/readyz", token=None)
    assert status == 200 and ready["ready"] is True and ready["reasons"] == [], ready
    assert api(base, "GET", "/api/v1/calls", token=None) == (401, {"error": "missing or wrong bearer token"})
    assert api(base, "GET", "/api/v1/calls", token="admin-token-0123456789abcdeX")[0] == 401
    gw.wait_for_log("admin request refused: bad bearer token")
    # auth_max_failures = 3 (conftest): the third wrong token locks the source out, right token or not.
    assert api(base, "POST", "/api/v1/drain", token="")[0] == 401
    assert api(base, "GET", "/api/v1/calls")[0] == 429
    assert api(base, "GET", "/healthz", token=None)[0] == 200
    assert api(base, "GET", "/readyz", token=None)[0] == 200, "the refused drain changed nothing"
    assert TOKEN not in gw.logs()


def test_bad_input_is_a_clear_400_or_404(admin):
    _, _, base = admin
    assert api(base, "DELETE", "/api/v1/calls/wg-nope") == (404, {"error": "no live call wg-nope"})
    assert api(base, "DELETE", "/api/v1/calls/bad%20id")[0] == 400
    assert api(base, "GET", "/api/v1/cdrs?limit=0")[0] == 400
    assert api(base, "GET", "/api/v1/cdrs?bogus=1") == (400, {"error": "unknown filter 'bogus'"})
    assert api(base, "GET", "/api/v1/cdrs?since=yesterday")[0] == 400
    assert api(base, "GET", "/api/v1/cdrs/wg-nope")[0] == 404


def test_live_call_is_listed_hung_up_on_both_legs_and_found_in_cdrs(admin, tmp_path):
    gw, meta, base = admin
    answer_when_ringing(meta)
    phone = start_phone(gw, build(tmp_path / "held.xml", ["invite", "ringing", "answered", "expect_bye"], "held"),
                        tmp_path)
    try:
        wa_call = meta.wait_for_call("answered", USER)
        calls = until(lambda: [c for c in api(base, "GET", "/api/v1/calls")[1]["calls"] if c["state"] == "answered"])
        assert len(calls) == 1, calls
        call = calls[0]
        assert call["direction"] == "outbound" and call["wacid"] == wa_call["id"], call
        assert call["sip"]["state"] == "answered" and call["whatsapp"]["state"] == "answered", call
        assert call["sip_call_id"], call
        # Media flows both ways (tone from the simulator, SIPp's RTP is silent but counted).
        quality = until(lambda: next(iter(c["whatsapp"].get("quality") or {} for c in
                                          api(base, "GET", "/api/v1/calls")[1]["calls"]), None))
        assert quality["packets_received"] > 0 and 1.0 <= quality["mos"] <= 4.5, quality

        assert api(base, "DELETE", f"/api/v1/calls/{call['call_id']}") == (204, None)
        assert phone.wait(timeout=15) == 0, "the phone got a BYE\n" + phone.stdout.read().decode()
        meta.wait_for_state(wa_call["id"], "ended")
        gw.wait_for_log("call hung up by an operator")
        until(lambda: api(base, "GET", "/api/v1/calls")[1]["calls"] == [])
    finally:
        if phone.poll() is None:
            phone.kill()

    # The record is written on the call's signalling lane: wait for its end.
    found = until(lambda: (lambda answer: answer[1] if answer[0] == 200 and answer[1]["cdrs"] and all(
        c.get("end_at") for c in answer[1]["cdrs"]) else None)(
        api(base, "GET", "/api/v1/cdrs?caller=user:alice&direction=outbound&limit=5")))
    assert [c["call_id"] for c in found["cdrs"]] == [call["call_id"]], found
    record = found["cdrs"][0]
    assert record["wacid"] == wa_call["id"] and record["end_reason"] == "normal" and record["ended_by"] == "gateway"
    assert record["answer_at"] and record["end_at"], record
    assert api(base, "GET", "/api/v1/cdrs?caller=nobody")[1] == {"cdrs": []}
    assert api(base, "GET", "/api/v1/cdrs?failed=true")[1] == {"cdrs": []}
    assert api(base, "GET", f"/api/v1/cdrs/{call['call_id']}")[1]["call_id"] == call["call_id"]


def test_drain_refuses_new_calls_and_fails_readyz_until_undrain(admin, tmp_path):
    gw, _, base = admin
    status, state = api(base, "POST", "/api/v1/drain")
    assert status == 200 and state["draining"] is True and state["ready"] is False, state
    status, ready = api(base, "GET", "/readyz", token=None)
    assert status == 503 and ready["reasons"] == ["draining"], ready
    code, out = sipp(gw, build(tmp_path / "refused.xml", ["invite", "final:503"], "refused"), service=E164,
                     tmp=tmp_path)
    assert code == 0, "a new call gets 503 while draining\n" + out
    status, state = api(base, "POST", "/api/v1/undrain")
    assert status == 200 and state["ready"] is True, state
    assert api(base, "GET", "/readyz", token=None)[0] == 200
    found = until(lambda: api(base, "GET", "/api/v1/cdrs?failed=true")[1]["cdrs"])
    assert len(found) == 1 and found[0]["end_reason"].startswith("shutdown"), found


def test_reload_through_the_api_applies_a_new_user_and_refuses_a_broken_file(admin, tmp_path):
    gw, _, base = admin
    original = gw.config.read_text()
    gw.config.write_text(original + "\n[dave]\ntype = user\nsecret = dave-secret\nallow = +*\n")
    status, report = api(base, "POST", "/api/v1/reload")
    assert status == 200 and report["outcome"] == "applied" and "users" in report["applied"], report
    code, out = sipp(gw, "register_only.xml", service="dave", user="dave", password="dave-secret", tmp=tmp_path)
    assert code == 0, "the reloaded user registers\n" + out
    status, listed = api(base, "GET", "/api/v1/registrations")
    assert status == 200 and [r["user"] for r in listed["registrations"]] == ["dave"], listed

    gw.config.write_text(original + "\n[erin]\ntype = user\nallow = +*\nbogus_key = 1\n")
    status, report = api(base, "POST", "/api/v1/reload")
    assert status == 422 and report["outcome"] == "refused", report
    assert any(f"{gw.config}:" in error and "bogus_key" in error for error in report["errors"]), report


def test_readyz_fails_while_meta_is_unreachable(e2e, monkeypatch, tmp_path):
    monkeypatch.setenv("WAGATE_ADMIN_TOKEN", TOKEN)
    port = free_port(socket.SOCK_STREAM, both=False)
    gw, meta = e2e(whatsapp_extra="circuit_breaker_failures = 1\ncircuit_breaker_open_time = 2\n",
                   sections=f"\n[admin]\nbind = 127.0.0.1:{port}\ntoken = ${{WAGATE_ADMIN_TOKEN}}\n")
    base = f"http://127.0.0.1:{port}"
    meta.post("/control/faults", {"kind": "5xx", "count": 4})
    code, out = sipp(gw, build(tmp_path / "failed.xml", ["invite", "final:503"], "failed"), service=E164,
                     tmp=tmp_path)
    assert code == 0, out
    gw.wait_for_log("graph circuit breaker open")
    status, ready = api(base, "GET", "/readyz", token=None)
    assert status == 503 and ready["reasons"] == ["meta_unreachable"] and ready["draining"] is False, ready
    # Once the open time is over the breaker lets a probe through: the node is ready again.
    until(lambda: api(base, "GET", "/readyz", token=None)[0] == 200, timeout=10)
