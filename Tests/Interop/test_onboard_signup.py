"""Embedded Signup onboarding end to end: a standalone Meta simulator plays a
business that finished Meta's flow (a WABA, a number and an authorisation code),
a provider's page posts the result to wagate's onboarding listener, and wagate
exchanges the code, reads the number, subscribes the app, registers the number
and enables calling. The new number takes a call at once (a baresip phone rings
and hears the simulated user's 600 Hz tone), still does after a restart (it is
stored), is listed by `wagate numbers`, and after removal rings nothing."""
import json
import socket
import subprocess
import threading
import urllib.request

import pytest

from baresip_peer import dominant_frequency, run_call
from conftest import WAGATE, WHATSAPP_USER, Gateway, free_port

TOKEN = "onboard-bearer-token-0123456789"
KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
PIN = "246810"
APP_ID = "300000000000003"
NEW_NUMBER = "+15550109999"


def onboarding_section(port, key=KEY):
    return (f"[onboarding]\nbind = 127.0.0.1:{port}\ntoken = {TOKEN}\nencryption_key = {key}\n"
            f"app_id = {APP_ID}\nconfig_id = 123456789\nregistration_pin = {PIN}\n")


class Onboarding:
    """The onboarding API, as a provider's back office calls it."""

    def __init__(self, port, host="127.0.0.1"):
        self.base = f"http://{host}:{port}"

    def request(self, method, path, body=None, token=TOKEN):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            text = error.read()
            return error.code, json.loads(text) if text else {}

    def numbers(self):
        status, body = self.request("GET", "/onboarding/numbers")
        assert status == 200, body
        return body["numbers"]


@pytest.fixture
def onboard(e2e, tmp_path):
    port = free_port(socket.SOCK_STREAM, both=False)
    gw, meta = e2e(sim_extra=("--registration-pin", PIN), sections=onboarding_section(port))
    return gw, meta, Onboarding(port), port


def sign_up(meta, api, **extra):
    created = meta.post("/control/onboarding/codes", {"business_number": NEW_NUMBER})
    status, body = api.request("POST", "/onboarding/signup", {
        "code": created["code"], "waba_id": created["waba_id"], "phone_number_id": created["phone_number_id"],
        "name": "acme", **extra})
    assert status == 201, body
    return created, body["number"]


def ring_phone(gw, meta, tmp_path, label):
    """The simulated user calls the new number; alice's baresip answers. Returns
    (baresip output, dominant frequency heard, the simulator's answer to the call)."""
    placed = {}

    def call_in():
        gw.wait_for_log("registered", timeout=20)
        placed.update(meta.post(f"/control/users/{WHATSAPP_USER}/call", {"business_number": NEW_NUMBER}))
    thread = threading.Thread(target=call_in, daemon=True)
    thread.start()
    out, samples, rate = run_call(tmp_path / label, f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret;"
                                  "answermode=auto", None, seconds=8, tone_hz=1000, register=True)
    thread.join(timeout=20)
    frequency, _ = dominant_frequency(samples, rate)
    return out, frequency, placed


def test_a_signed_up_number_takes_calls_at_once_and_after_a_restart(onboard, tmp_path):
    gw, meta, api, port = onboard
    created, number = sign_up(meta, api)
    assert number == {"name": "acme", "phone_number_id": created["phone_number_id"], "business_number": NEW_NUMBER,
                      "waba_id": created["waba_id"], "source": "onboarded"}
    state = meta.get(f"/control/onboarding/{created['phone_number_id']}")
    assert state == {"exchanged": True, "registered": True, "subscribed": True, "calling_status": "ENABLED"}, state
    paths = [request["path"] for request in meta.get("/control/graph_requests")["requests"]]
    assert any(path.endswith("/oauth/access_token") for path in paths), paths
    out, frequency, placed = ring_phone(gw, meta, tmp_path, "first")
    assert f"from sip:+{WHATSAPP_USER}@" in out, out + gw.logs()[-3000:]
    assert frequency is not None and abs(frequency - 600) <= 10, (frequency, gw.logs()[-3000:])
    assert meta.get(f"/control/calls/{placed['id']}")["phone_number_id"] == created["phone_number_id"]
    assert "EAAsim" not in gw.logs()  # the business token is never logged
    # Restart: the stored number is served again without a new signup.
    gw.stop()
    again = Gateway(tmp_path, whatsapp=meta.whatsapp_section(), http_port=gw.http_port,
                    extra_sections="[inbound]\ntarget = user:alice\nring_timeout = 10\n" + onboarding_section(port))
    try:
        again.wait_for_log("onboarded numbers restored")
        assert [n["source"] for n in api.numbers()] == ["config", "onboarded"]
        out, frequency, _ = ring_phone(again, meta, tmp_path, "restarted")
        assert f"from sip:+{WHATSAPP_USER}@" in out, out + again.logs()[-3000:]
        assert frequency is not None and abs(frequency - 600) <= 10, (frequency, again.logs()[-3000:])
        listed = subprocess.run([str(WAGATE), "numbers", "--config", str(again.config)], capture_output=True,
                                text=True, timeout=20)
        assert listed.returncode == 0 and "acme" in listed.stdout and NEW_NUMBER in listed.stdout, listed
    finally:
        again.stop()
    listed = subprocess.run([str(WAGATE), "numbers", "--config", str(again.config)], capture_output=True, text=True,
                            timeout=20)
    assert listed.returncode != 0 and "does not answer (is wagate running?)" in listed.stderr, listed


def test_a_removed_number_rings_nothing(onboard, tmp_path):
    gw, meta, api, _ = onboard
    created, _ = sign_up(meta, api)
    removed = subprocess.run([str(WAGATE), "numbers", "remove", created["phone_number_id"], "--config",
                              str(gw.config)], capture_output=True, text=True, timeout=20)
    assert removed.returncode == 0, removed
    assert [n["source"] for n in api.numbers()] == ["config"]
    placed = meta.post(f"/control/users/{WHATSAPP_USER}/call", {"business_number": NEW_NUMBER})
    gw.wait_for_log("webhook for a phone_number_id that is not configured")
    assert meta.get(f"/control/calls/{placed['id']}")["state"] in ("offered", "ended"), gw.logs()[-3000:]
    status, body = api.request("DELETE", f"/onboarding/numbers/{created['phone_number_id']}")
    assert status == 404, body
    status, body = api.request("DELETE", "/onboarding/numbers/100000000000001")
    assert status == 409, body


def test_a_bad_token_is_refused_and_adds_nothing(onboard):
    gw, meta, api, _ = onboard
    created = meta.post("/control/onboarding/codes", {"business_number": NEW_NUMBER})
    body = {"code": created["code"], "waba_id": created["waba_id"], "phone_number_id": created["phone_number_id"]}
    for token in ("wrong-token-wrong-token", None):
        status, answer = api.request("POST", "/onboarding/signup", body, token=token)
        assert status == 401 and "error" in answer, answer
    assert meta.get(f"/control/onboarding/{created['phone_number_id']}")["exchanged"] is False
    assert [n["source"] for n in api.numbers()] == ["config"]
    assert "wrong-token" not in gw.logs() and TOKEN not in gw.logs()


def test_the_page_is_served_without_auth_and_bad_input_is_refused(onboard):
    _, meta, api, _ = onboard
    with urllib.request.urlopen(api.base + "/onboarding/", timeout=10) as response:
        assert response.status == 200 and "text/html" in response.headers["Content-Type"]
    status, answer = api.request("POST", "/onboarding/signup", {"code": "x", "waba_id": "12a", "phone_number_id": "1"})
    assert status == 400 and "waba_id" in answer["error"], answer
    created = meta.post("/control/onboarding/codes", {"business_number": NEW_NUMBER})
    status, answer = api.request("POST", "/onboarding/signup", {
        "code": "AQnot-issued", "waba_id": created["waba_id"], "phone_number_id": created["phone_number_id"]})
    assert status == 502 and answer["error"].startswith("code exchange failed"), answer
    assert [n["source"] for n in api.numbers()] == ["config"]


def test_a_restart_with_another_key_skips_the_number_with_a_clear_error(onboard, tmp_path):
    gw, meta, api, port = onboard
    created, _ = sign_up(meta, api)
    gw.stop()
    other_key = "ff" * 32
    again = Gateway(tmp_path, whatsapp=meta.whatsapp_section(), http_port=gw.http_port,
                    extra_sections="[inbound]\ntarget = user:alice\nring_timeout = 10\n"
                    + onboarding_section(port, key=other_key))
    try:
        logs = again.wait_for_log("onboarded number skipped")
        assert created["phone_number_id"] in logs and "not the configured encryption_key" in logs
        assert [n["source"] for n in api.numbers()] == ["config"]
        assert "EAAsim" not in logs and other_key not in logs
    finally:
        again.stop()
    listed = subprocess.run([str(WAGATE), "numbers", "--config", str(again.config)], capture_output=True, text=True,
                            timeout=20)
    assert listed.returncode != 0 and "does not answer (is wagate running?)" in listed.stderr, listed


def test_a_phone_calls_out_from_the_onboarded_number_by_its_dial_prefix(onboard, tmp_path):
    gw, meta, api, _ = onboard
    created, _ = sign_up(meta, api, dial_prefix="77")
    out, samples, rate = run_call(tmp_path / "alice", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
                                  f"sip:77+{WHATSAPP_USER}@127.0.0.1:{gw.sip_port}", seconds=7, tone_hz=1000)
    calls = meta.calls()
    assert [call["phone_number_id"] for call in calls] == [created["phone_number_id"]], (calls, gw.logs()[-3000:])
