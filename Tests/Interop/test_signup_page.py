"""The Embedded Signup page in a real browser: Debian's headless Chromium loads
wagate's onboarding page from its onboarding listener; the Meta simulator stands
in for Meta's JavaScript SDK and signup dialog (sdk_url and dialog_origin point
at it, so nothing leaves the machine). The page posts the code and ids to
`POST /onboarding/signup`; the new number is listed and a WhatsApp user's call
to it rings a phone, with audio checked by tone."""
import json
import socket
import threading
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from baresip_peer import dominant_frequency, run_call
from conftest import free_port

TOKEN = "signup-page-token-0123456789"
KEY = "5f" * 32
APP_ID = "300000000000003"  # the simulator's app id
CONFIG_ID = "555000000000777"
CALLER = "447700900456"
ENDED = ("success", "error", "cancelled")


@pytest.fixture
def signup(e2e):
    """A gateway with an [onboarding] listener whose page loads the simulator's
    fake SDK; returns (gateway, simulator, page URL, onboarding base URL)."""
    port = free_port(socket.SOCK_STREAM, both=False)

    def onboarding(meta):
        origin = f"http://127.0.0.1:{meta.port}"
        return (f"\n[onboarding]\nbind = 127.0.0.1:{port}\ntoken = {TOKEN}\nencryption_key = {KEY}\n"
                f"app_id = {APP_ID}\nconfig_id = {CONFIG_ID}\nsdk_url = {origin}/sdk.js\n"
                f"dialog_origin = {origin}\nregistration_pin = 123456\n")
    gw, meta = e2e(media="echo", sections=onboarding)
    base = f"http://127.0.0.1:{port}"
    return gw, meta, base + "/onboarding/", base


def api(base, method, path, token=TOKEN):
    request = urllib.request.Request(base + path, method=method, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def onboarded(base):
    status, body = api(base, "GET", "/onboarding/numbers")
    assert status == 200, body
    return [number for number in body["numbers"] if number.get("source") == "onboarded"]


def pending_signup(meta, **dialog):
    """A pending signup in the simulator, and the dialog set to finish with it."""
    pending = meta.post("/control/onboarding/codes", {})
    assert "code" in pending, pending
    outcome = meta.request("PUT", "/control/embedded-signup", {
        "event": "FINISH", "code": pending["code"], "waba_id": pending["waba_id"],
        "phone_number_id": pending["phone_number_id"], "config_id": CONFIG_ID, **dialog})
    assert outcome.get("outcome", {}).get("event") == "FINISH", outcome
    return pending


def run_page(browser, page, token, name=""):
    """Loads the page, waits for the SDK, types the token (and name), clicks
    connect and returns the status line once the attempt has ended."""
    browser.get(page)
    status = browser.find_element(By.ID, "status")
    WebDriverWait(browser, 15).until(lambda _: status.get_attribute("data-state") == "ready")
    browser.find_element(By.ID, "token").send_keys(token)
    if name:
        browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "connect").click()
    WebDriverWait(browser, 20).until(lambda _: status.get_attribute("data-state") in ENDED)
    return status.get_attribute("data-state"), status.text


def test_the_page_onboards_a_number_that_then_rings_a_phone(signup, browser, tmp_path):
    gw, meta, page, base = signup
    pending = pending_signup(meta)
    state, text = run_page(browser, page, TOKEN, name="acme")
    assert state == "success", text + gw.logs()[-3000:]
    assert pending["business_number"] in text and pending["phone_number_id"] in text, text
    # The page ran Meta's flow with the configured ids, as Meta's guide has it.
    [dialog] = meta.get("/control/embedded-signup")["dialogs"]
    assert (dialog["app_id"], dialog["config_id"], dialog["response_type"]) == (APP_ID, CONFIG_ID, "code"), dialog
    assert dialog["override_default_response_type"] is True and dialog["origin"] == base, dialog
    assert browser.execute_script("return sessionStorage.getItem('wagate.onboarding.token')") == TOKEN
    [number] = onboarded(base)
    assert (number["phone_number_id"], number["waba_id"], number["name"]) == \
        (pending["phone_number_id"], pending["waba_id"], "acme"), number

    # A WhatsApp user calls the new number: alice's phone rings and hears its own tone back.
    def call_in():
        gw.wait_for_log("registered", timeout=20)
        meta.post(f"/control/users/{CALLER}/call", {"business_number": pending["business_number"]})
    threading.Thread(target=call_in, daemon=True).start()
    out, samples, rate = run_call(tmp_path / "alice", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret;"
                                  "answermode=auto", None, seconds=9, tone_hz=1000, register=True)
    assert f"sip:+{CALLER}@" in out, out + gw.logs()[-3000:]
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, gw.logs()[-3000:])
    [call] = [call for call in meta.calls() if call.get("user") == CALLER]
    assert call["phone_number_id"] == pending["phone_number_id"], call


def test_the_code_may_come_first_and_a_forged_finish_from_another_origin_is_ignored(signup, browser):
    gw, meta, page, base = signup
    pending = pending_signup(meta, callback_first=True)
    browser.get(page)
    status = browser.find_element(By.ID, "status")
    WebDriverWait(browser, 15).until(lambda _: status.get_attribute("data-state") == "ready")
    browser.find_element(By.ID, "token").send_keys(TOKEN)
    # A message shaped as Meta's but posted from the page's own origin, not the
    # dialog's, right after the click: the page must not take its ids.
    browser.execute_script(
        "document.getElementById('connect').click();"
        "window.postMessage(JSON.stringify({type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH', version: '4',"
        " data: {phone_number_id: '999999999999999', waba_id: '888888888888888'}}), '*');")
    WebDriverWait(browser, 20).until(lambda _: status.get_attribute("data-state") in ENDED)
    assert status.get_attribute("data-state") == "success", status.text + gw.logs()[-3000:]
    assert [number["phone_number_id"] for number in onboarded(base)] == [pending["phone_number_id"]]


def test_a_cancelled_signup_says_so_and_adds_nothing(signup, browser):
    gw, meta, page, base = signup
    pending = meta.post("/control/onboarding/codes", {})
    meta.request("PUT", "/control/embedded-signup", {"event": "CANCEL", "current_step": "PHONE_NUMBER_SETUP"})
    state, text = run_page(browser, page, TOKEN)
    assert state == "cancelled" and "PHONE_NUMBER_SETUP" in text, text
    assert onboarded(base) == []
    assert meta.get(f"/control/onboarding/{pending['phone_number_id']}")["exchanged"] is False


def test_a_flow_that_shares_only_a_waba_adds_nothing(signup, browser):
    gw, meta, page, base = signup
    pending = meta.post("/control/onboarding/codes", {})
    meta.request("PUT", "/control/embedded-signup", {"event": "FINISH_ONLY_WABA", "code": pending["code"],
                                                      "waba_id": pending["waba_id"]})
    state, text = run_page(browser, page, TOKEN)
    assert state == "error" and "FINISH_ONLY_WABA" in text, text
    assert onboarded(base) == []
    assert meta.get(f"/control/onboarding/{pending['phone_number_id']}")["exchanged"] is False


def test_a_reported_error_shows_metas_text(signup, browser):
    gw, meta, page, base = signup
    meta.request("PUT", "/control/embedded-signup", {"event": "ERROR", "error_message": "Business not eligible"})
    state, text = run_page(browser, page, TOKEN)
    assert state == "error" and "Business not eligible" in text, text
    assert onboarded(base) == []


def test_a_wrong_token_shows_the_401_and_adds_nothing(signup, browser):
    gw, meta, page, base = signup
    pending = pending_signup(meta)
    state, text = run_page(browser, page, "not-the-onboarding-token")
    assert state == "error" and "HTTP 401" in text, text
    assert onboarded(base) == []
    assert meta.get(f"/control/onboarding/{pending['phone_number_id']}")["exchanged"] is False
