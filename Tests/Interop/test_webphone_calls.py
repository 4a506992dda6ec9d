"""The web phone page's call views in a real Chromium (loopback-only network
namespace: `make webphone-test`), against a real wagate and the Meta simulator
playing a WhatsApp user who sends a 600 Hz tone: the page rings with the caller's
number, name and CTA payload, answers, hears 600 Hz through Opus pass-through
(the admin API's live call: a browser business side, nothing encoded or decoded),
and goes back to idle when the user hangs up. Screenshots of ringing and of the
call are saved in Tests/Interop/artifacts/."""
import json
import socket
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conftest import WHATSAPP_USER, free_port
from page_driver import text, wait

ARTIFACTS = Path(__file__).parent / "artifacts"
ADMIN_TOKEN = "admin-token-webphone-calls-01"
AGENT = "[dana]\ntype = user\nsecret = dana-secret\nallow = +*\nwebrtc = yes\n"


@pytest.fixture
def phone(e2e, webrtc_browser):
    """(gateway ringing the web agent `dana`, simulator, Chromium, the page's URL)."""
    admin = free_port(socket.SOCK_STREAM, both=False)
    gw, meta = e2e(media="tone:600", inbound="[inbound]\ntarget = user:dana\nring_timeout = 20\n",
                   sections=AGENT + f"\n[admin]\nbind = 127.0.0.1:{admin}\ntoken = {ADMIN_TOKEN}\n")
    gw.admin_port = admin
    return gw, meta, webrtc_browser(tone=1000), f"http://127.0.0.1:{gw.http_port}/phone"


def visible(element_id):
    return lambda browser: browser.find_element(By.ID, element_id).is_displayed()


def admin_calls(gw):
    request = urllib.request.Request(f"http://127.0.0.1:{gw.admin_port}/api/v1/calls",
                                     headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())["calls"]


def hears(hz):
    def heard(browser):
        frequency = browser.execute_script("return window.wagatePhone.dominantFrequency()")
        return frequency is not None and abs(frequency - hz) <= 30 and frequency
    return heard


def test_inbound_call_rings_the_page_is_answered_and_heard(phone):
    gw, meta, browser, url = phone
    browser.get(url)
    for field, value in (("user", "dana"), ("password", "dana-secret")):
        browser.find_element(By.ID, field).send_keys(value)
    browser.find_element(By.ID, "login-button").click()
    wait(browser, 10, visible("app"), "the logged-in page")
    created = meta.post(f"/control/users/{WHATSAPP_USER}/call", {"name": "Jo Bloggs", "cta_payload": "order-4711"})
    wait(browser, 10, visible("incoming"), "the ringing call")
    assert "+" + WHATSAPP_USER in text(browser, "in-from")
    assert "Jo Bloggs" in text(browser, "in-name")
    assert "order-4711" in text(browser, "in-cta")
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "webphone-ringing.png"))
    browser.find_element(By.ID, "answer").click()
    wait(browser, 10, visible("call"), "the call view")
    assert not browser.find_element(By.ID, "incoming").is_displayed(), "Answer/Reject stay on screen in the call"
    frequency = wait(browser, 15, hears(600), "the WhatsApp user's 600 Hz tone")
    browser.save_screenshot(str(ARTIFACTS / "webphone-in-call.png"))
    media = [c["media"] for c in admin_calls(gw) if c.get("media", {}).get("business_leg") == "browser"]
    assert media and media[0]["pass_through"] and media[0]["opus_encoded_frames"] == 0, media
    assert media[0]["opus_decoded_frames"] == 0, media
    meta.post(f"/control/calls/{created['id']}/hangup")
    wait(browser, 10, lambda b: not b.find_element(By.ID, "call").is_displayed(), "the idle page after the hangup")
    assert abs(frequency - 600) <= 30
