"""The web phone page's Transfer button in a real Chromium (loopback-only network
namespace: `make webphone-test`): the page answers a WhatsApp call (the simulator
echoes what the WhatsApp user hears, so the page hears its own 1000 Hz back), types
`bob` and presses Transfer; the page goes back to idle, bob's baresip phone (1400 Hz)
rings and answers, and bob hears his own tone back through WhatsApp: the WhatsApp
user hears the transfer target. The call's end line counts the transfer."""
import threading

import pytest
from selenium.webdriver.common.by import By

from baresip_peer import run_call
from conftest import WHATSAPP_USER
from page_driver import wait
from test_transfer_sip import ended_line, heard_at_the_end, wait_registered
from test_webphone_calls import hears, visible

AGENT = "[dana]\ntype = user\nsecret = dana-secret\nallow = +*\nwebrtc = yes\n"


def registered_phone(gw, tmp_path, user, tone, seconds):
    """`user`'s baresip phone (auto-answer) in the background, bound to the loopback interface
    (the namespace has no other); its (output, samples, rate) lands in the dict."""
    result = {}

    def run():
        account = f"<sip:{user}@127.0.0.1:{gw.sip_port}>;auth_pass={user}-secret;answermode=auto"
        result["call"] = run_call(tmp_path / user, account, None, seconds=seconds, tone_hz=tone, register=True,
                                  extra_config="net_interface 127.0.0.1\n")
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


@pytest.fixture
def page(e2e, webrtc_browser):
    """(gateway ringing the web agent `dana`, echoing simulator, Chromium playing 1000 Hz, the page's URL)."""
    gw, meta = e2e(media="echo", inbound="[inbound]\ntarget = user:dana\nring_timeout = 20\n", sections=AGENT)
    return gw, meta, webrtc_browser(tone=1000), f"http://127.0.0.1:{gw.http_port}/phone"


def test_transfer_button_moves_the_call_to_bobs_phone_heard_by_the_whatsapp_user(page, tmp_path):
    gw, meta, browser, url = page
    bob, result = registered_phone(gw, tmp_path, "bob", 1400, seconds=16)
    wait_registered(gw, "bob")
    browser.get(url)
    for field, value in (("user", "dana"), ("password", "dana-secret")):
        browser.find_element(By.ID, field).send_keys(value)
    browser.find_element(By.ID, "login-button").click()
    wait(browser, 10, visible("app"), "the logged-in page")
    created = meta.post(f"/control/users/{WHATSAPP_USER}/call", {"name": "Jo Bloggs"})
    wait(browser, 10, visible("incoming"), "the ringing call")
    browser.find_element(By.ID, "answer").click()
    wait(browser, 10, visible("call"), "the call view")
    wait(browser, 15, hears(1000), "the page's own tone back through WhatsApp")
    browser.find_element(By.ID, "transfer-to").send_keys("bob")
    browser.find_element(By.ID, "transfer").click()
    wait(browser, 15, lambda b: not b.find_element(By.ID, "call").is_displayed(), "the idle page after the transfer")
    bob.join(timeout=40)
    meta.post(f"/control/calls/{created['id']}/hangup")
    out, samples, rate = result["call"]
    frequency = heard_at_the_end(samples, rate)
    assert frequency is not None and abs(frequency - 1400) <= 15, (frequency, out[-3000:], gw.logs()[-3000:])
    line = ended_line(gw, timeout=15)
    assert "transfers=1" in line and "answered_by=user:bob" in line, line
