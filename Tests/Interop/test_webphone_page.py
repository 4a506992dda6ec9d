"""The web phone page in a real Chromium (loopback-only network namespace:
`make webphone-test`): wagate serves /phone on its [http] listener; the page
logs in over the wagate.agent.v1 socket, shows a wrong password and the
lockout's retry time, toggles away/available, dials the sandbox's simulated
user and hangs up, is usable with the keyboard alone, logs in again with its token
after a reload, and hears Chromium's fake-microphone tone through its own
WebRTC loop and analyser (the hooks the call tests read)."""
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from page_driver import text, wait

ARTIFACTS = Path(__file__).parent / "artifacts"
AGENT = "[dana]\ntype = user\nsecret = dana-secret\nallow = +*\nwebrtc = yes\n"


@pytest.fixture
def phone(make_gateway, webrtc_browser):
    """(gateway with the web agent `dana`, Chromium, the page's URL)."""
    gw = make_gateway(extra_sections=AGENT)
    return gw, webrtc_browser(tone=1000), f"http://127.0.0.1:{gw.http_port}/phone"


def submit_login(browser, user, password):
    for field, value in (("user", user), ("password", password)):
        element = browser.find_element(By.ID, field)
        element.clear()
        element.send_keys(value)
    browser.find_element(By.ID, "login-button").click()


def logged_in(browser, gw, url, user="dana", password="dana-secret"):
    browser.get(url)
    submit_login(browser, user, password)
    wait(browser, 10, lambda b: b.find_element(By.ID, "app").is_displayed(), "the logged-in page")


def last_event(browser):
    return browser.execute_script("return window.wagatePhone.lastEvent()")


def last_answer_after(browser, action):
    """Runs `action` and returns the next message the page receives."""
    before = last_event(browser)
    action()
    wait(browser, 10, lambda b: last_event(b) != before, "the server's answer")
    return last_event(browser)


def state(browser):
    return browser.execute_script("return window.wagatePhone.state()")


def test_wrong_password_shows_the_error_and_lockout_the_retry_time(phone):
    gw, browser, url = phone
    browser.get(url)
    assert browser.title == "wagate phone"
    submit_login(browser, "dana", "wrong")
    wait(browser, 10, lambda b: text(b, "login-error") == "Wrong user name or password.", "the wrong-password error")
    # [general] auth_max_failures = 3 in the test gateway: failures until the lockout.
    for _ in range(4):
        if last_answer_after(browser, lambda: submit_login(browser, "dana", "wrong"))["code"] == "locked":
            break
    message = text(browser, "login-error")
    assert message.startswith("Too many attempts, try again in "), message
    seconds = int(message.split(" in ")[1].split(" ")[0])
    assert 0 < seconds <= 300, message
    # The right password is refused while locked, with the same notice.
    refused = last_answer_after(browser, lambda: submit_login(browser, "dana", "dana-secret"))
    assert refused["code"] == "locked", refused
    assert "Too many attempts" in text(browser, "login-error")
    assert not browser.find_element(By.ID, "app").is_displayed()
    gw.wait_for_log("web login refused: locked out")


def test_log_in_shows_available_toggles_away_and_dials(phone):
    gw, browser, url = phone
    logged_in(browser, gw, url)
    wait(browser, 5, lambda b: text(b, "presence-state") == "available", "'available'")
    assert "Logged in as dana" in text(browser, "status")
    assert not browser.find_element(By.ID, "login").is_displayed()
    assert state(browser)["loggedIn"] and state(browser)["presence"] == "available"
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "webphone-logged-in.png"))

    toggle = browser.find_element(By.ID, "presence")
    assert toggle.text == "Set away"
    toggle.click()
    wait(browser, 5, lambda b: text(b, "presence-state") == "away", "'away'")
    assert toggle.text == "Set available"
    toggle.click()
    wait(browser, 5, lambda b: text(b, "presence-state") == "available", "'available' again")

    # A dial goes through the call layer (the sandbox's simulated user answers); hanging up returns to idle.
    browser.find_element(By.ID, "number").send_keys("+447700900123")
    browser.find_element(By.ID, "dial").click()
    wait(browser, 15, lambda b: text(b, "status").startswith("Connected to +447700900123"), "the answered dial")
    browser.find_element(By.ID, "hangup").click()
    wait(browser, 10, lambda b: not b.find_element(By.ID, "call").is_displayed(), "the idle page after hanging up")
    assert state(browser)["calls"] == []


def test_keyboard_reaches_every_control_in_order_and_enter_logs_in(phone):
    gw, browser, url = phone
    browser.get(url)
    body = browser.find_element(By.TAG_NAME, "body")
    # Focus starts in the user field; Tab goes to the password, then the button.
    assert browser.switch_to.active_element.get_attribute("id") == "user"
    browser.switch_to.active_element.send_keys("dana", Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("id") == "password"
    browser.switch_to.active_element.send_keys("dana-secret", Keys.ENTER)
    wait(browser, 10, lambda b: b.find_element(By.ID, "app").is_displayed(), "the log-in by Enter")
    # The number field has the focus, ready to type.
    assert browser.switch_to.active_element.get_attribute("id") == "number"

    # Digits typed outside a field go to the number while idle.
    browser.execute_script("document.activeElement.blur()")
    body.send_keys("12#")
    assert browser.find_element(By.ID, "number").get_attribute("value") == "12#"

    expected = browser.execute_script("""
        return [...document.querySelectorAll('button, input, select')]
          .filter((e) => e.offsetParent !== null && !e.disabled).map((e) => e.id);""")
    assert {"presence", "logout", "number", "dial", "pad-1", "pad-hash", "mic", "speaker", "mic-check"} <= set(expected)
    browser.execute_script("document.getElementById(arguments[0]).focus()", expected[0])
    reached = [browser.switch_to.active_element.get_attribute("id")]
    for _ in expected[1:]:
        browser.switch_to.active_element.send_keys(Keys.TAB)
        reached.append(browser.switch_to.active_element.get_attribute("id"))
    assert reached == expected
    unlabelled = browser.execute_script("""
        return [...document.querySelectorAll('input, select')].filter((e) => !e.labels || !e.labels.length)
          .map((e) => e.id);""")
    assert unlabelled == []


def test_a_reload_logs_in_again_with_the_token(phone):
    gw, browser, url = phone
    logged_in(browser, gw, url)
    token = browser.execute_script("return sessionStorage.getItem('wagate.phone.token')")
    assert token and "dana-secret" not in token
    browser.refresh()
    wait(browser, 10, lambda b: b.find_element(By.ID, "app").is_displayed(), "the log-in with the token")
    assert browser.find_element(By.ID, "password").get_attribute("value") == ""
    assert text(browser, "presence-state") == "available"


def test_the_analyser_hears_the_fake_microphone_tone_through_webrtc(phone):
    gw, browser, url = phone
    logged_in(browser, gw, url)
    browser.find_element(By.ID, "mic-check").click()
    heard = []

    def near_tone(b):
        heard.append(b.execute_script("return window.wagatePhone.dominantFrequency()"))
        return heard[-1] is not None and abs(heard[-1] - 1000) <= 12

    wait(browser, 15, near_tone, f"the 1000 Hz tone (heard {heard[-5:]})")
    stats = browser.execute_async_script("window.wagatePhone.stats().then(arguments[arguments.length - 1])")
    assert stats["inbound"]["mimeType"] == "audio/opus", stats
    assert stats["inbound"]["packets"] > 0, stats
    wait(browser, 5, lambda b: "Hearing sound (" in text(b, "level"), "the level line")
    assert browser.find_element(By.ID, "mic").find_elements(By.TAG_NAME, "option"), "no microphone listed"
    browser.find_element(By.ID, "mic-check").click()
    assert browser.find_element(By.ID, "mic-check").get_attribute("aria-pressed") == "false"


def test_a_blocked_microphone_is_explained(make_gateway, webrtc_browser):
    gw = make_gateway(extra_sections=AGENT)
    browser, url = webrtc_browser(microphone_allowed=False), f"http://127.0.0.1:{gw.http_port}/phone"
    logged_in(browser, gw, url)
    browser.execute_cdp_cmd("Browser.setPermission", {"permission": {"name": "microphone"}, "setting": "denied",
                                                      "origin": url.rsplit("/", 1)[0]})
    browser.find_element(By.ID, "mic-check").click()
    wait(browser, 10, lambda b: text(b, "status").startswith("The microphone is blocked."), "the blocked notice")
    assert browser.find_element(By.ID, "status").get_attribute("data-state") == "error"


def test_a_gateway_stop_says_so_on_the_page(phone):
    gw, browser, url = phone
    logged_in(browser, gw, url)
    gw.stop()  # wagate says bye {reason: "shutdown"} to every session
    wait(browser, 10, lambda b: b.find_element(By.ID, "login").is_displayed(), "the log-in form")
    assert text(browser, "login-error") == "wagate is shutting down. Log in again."


def test_a_lost_connection_reconnects_then_asks_to_log_in(phone):
    gw, browser, url = phone
    logged_in(browser, gw, url)
    gw.proc.kill()  # the socket drops without a bye, as when the network fails
    gw.proc.wait()
    wait(browser, 10, lambda b: "reconnecting" in text(b, "status"), "the reconnecting notice")
    assert not state(browser)["connected"]
    # Retries after 0.5, 1, 2 and 4 s; then the log-in form with the reason.
    wait(browser, 15, lambda b: b.find_element(By.ID, "login").is_displayed(), "the log-in form")
    assert text(browser, "status") == "Connection to wagate lost. Log in again."
