"""The web console in a real browser: Debian's headless Chromium loads wagate's
console from the admin listener, logs in with the admin token, sees a live SIPp
call to the Meta simulator appear, hangs it up from the page, and both legs end
(the phone gets a BYE, the simulator sees the call terminated). The call then
shows in the recent calls with its timeline. A wrong token shows the refusal;
on a phone-sized window the page does not scroll sideways."""
import shutil
import socket
import threading
from pathlib import Path

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import WHATSAPP_USER, free_port, sipp
from sipp_builder import build

TOKEN = "console-test-token-0123456789"
BUILD = Path(__file__).resolve().parents[2] / "build"


@pytest.fixture
def console(e2e):
    """A gateway with an [admin] listener; returns (gateway, simulator, console URL)."""
    port = free_port(socket.SOCK_STREAM, both=False)
    gw, meta = e2e(media="echo", sections=f"\n[admin]\nbind = 127.0.0.1:{port}\ntoken = {TOKEN}\n")
    return gw, meta, f"http://127.0.0.1:{port}/console/"


def wait(browser, seconds, condition, context=lambda: ""):
    """Waits for `condition(browser)`; on timeout fails with `context()` and the page's status line."""
    try:
        return WebDriverWait(browser, seconds).until(condition)
    except TimeoutException:
        pytest.fail(f"timed out; status: {browser.find_element(By.ID, 'status').text!r}; {context()}")


def log_in(browser, url, token):
    browser.get(url)
    browser.find_element(By.ID, "token").send_keys(token)
    browser.find_element(By.ID, "login-button").click()


def wait_logged_in(browser, gw):
    wait(browser, 15, lambda b: b.find_element(By.ID, "app").is_displayed(),
         lambda: browser.find_element(By.ID, "login-error").text + gw.logs()[-2000:])
    assert not browser.find_element(By.ID, "login").is_displayed(), "the log-in form is still shown"


def live_rows(browser):
    return browser.find_elements(By.CSS_SELECTOR, "#calls tbody tr")


def cell(row, label):
    return row.find_element(By.CSS_SELECTOR, f'td[data-label="{label}"]').text


def save_screenshot(browser, tmp_path, name):
    shot = tmp_path / name
    assert browser.save_screenshot(str(shot)), "Chromium took no screenshot"
    BUILD.mkdir(exist_ok=True)
    shutil.copy(shot, BUILD / name)
    print(f"console screenshot: {shot} (copied to {BUILD / name})")


def place_answered_call(gw, meta, tmp_path):
    """Starts a SIPp call to the WhatsApp user that waits for wagate's BYE; the
    simulator answers it. Returns the thread and its result dict."""
    scenario = build(tmp_path / "console_call.xml", ["invite", "ringing", "answered", "expect_bye"], "console_call")
    result = {}

    def run():
        result["code"], result["out"] = sipp(gw, scenario, service="+" + WHATSAPP_USER, tmp=tmp_path, timeout=40)

    def answer():
        call = meta.wait_for_call("ringing", WHATSAPP_USER, timeout=20)
        meta.post(f"/control/calls/{call['id']}/answer")
    threading.Thread(target=answer, daemon=True).start()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def test_a_live_call_appears_and_is_hung_up_from_the_page(console, browser, tmp_path):
    gw, meta, url = console
    browser.set_window_size(1366, 900)
    log_in(browser, url, TOKEN)
    wait_logged_in(browser, gw)
    assert browser.execute_script("return sessionStorage.getItem('wagate.console.token')") == TOKEN
    thread, result = place_answered_call(gw, meta, tmp_path)

    # The call appears without a reload, answered on both legs.
    wait(browser, 20, lambda b: any(cell(row, "State") == "answered" for row in live_rows(b)),
         lambda: f"{[row.text for row in live_rows(browser)]} {result} {gw.logs()[-3000:]}")
    [row] = live_rows(browser)
    assert cell(row, "Direction") == "outbound"
    assert cell(row, "SIP leg") == "answered" and cell(row, "WhatsApp leg") == "answered", row.text
    assert browser.find_element(By.ID, "live-count").text == "1"
    [wa_call] = [call for call in meta.calls() if call.get("user") == WHATSAPP_USER]
    save_screenshot(browser, tmp_path, "console.png")

    # Hang up from the page: the phone gets a BYE (SIPp's expect_bye step
    # passes), the simulator sees the call terminated, the row goes away.
    row.find_element(By.CSS_SELECTOR, "button.hangup").click()
    thread.join(timeout=45)
    assert result.get("code") == 0, result.get("out", "SIPp still running") + gw.logs()[-3000:]
    meta.wait_for_state(wa_call["id"], "ended")
    wait(browser, 10, lambda b: not live_rows(b), lambda: [row.text for row in live_rows(browser)])
    assert browser.find_element(By.ID, "calls-empty").is_displayed()

    # The ended call is in the recent calls, and its detail shows the timeline
    # and both legs.
    wait(browser, 10, lambda b: b.find_elements(By.CSS_SELECTOR, "#cdrs tbody tr"), lambda: gw.logs()[-2000:])
    [record] = browser.find_elements(By.CSS_SELECTOR, "#cdrs tbody tr")
    assert cell(record, "Direction") == "outbound" and WHATSAPP_USER in cell(record, "To"), record.text
    record.find_element(By.CSS_SELECTOR, 'td[data-label="Result"]').click()
    detail = browser.find_element(By.ID, "detail")
    wait(browser, 10, lambda b: detail.is_displayed())
    timeline = [item.text for item in detail.find_elements(By.CSS_SELECTOR, "ol.timeline li")]
    assert [text.split(" — ")[1].split(" by ")[0].split(":")[0] for text in timeline] == \
        ["set up", "ringing", "answered", "ended"], timeline
    legs = [leg.find_element(By.TAG_NAME, "h3").text for leg in detail.find_elements(By.CSS_SELECTOR, ".leg")]
    assert legs == ["SIP leg", "WhatsApp leg"], legs
    assert wa_call["id"] in detail.text, detail.text
    save_screenshot(browser, tmp_path, "console-detail.png")


def test_a_wrong_token_is_refused_and_shows_the_401(console, browser):
    gw, meta, url = console
    log_in(browser, url, "not-the-admin-token-0000")
    error = browser.find_element(By.ID, "login-error")
    wait(browser, 10, lambda _: error.get_attribute("data-state") == "error", lambda: error.text)
    assert "HTTP 401" in error.text, error.text
    assert not browser.find_element(By.ID, "app").is_displayed()
    assert browser.execute_script("return sessionStorage.getItem('wagate.console.token')") is None
    gw.wait_for_log("admin request refused")


def test_on_a_phone_sized_window_the_page_does_not_scroll_sideways(console, browser, tmp_path):
    gw, meta, url = console
    browser.set_window_size(390, 844)
    log_in(browser, url, TOKEN)
    wait_logged_in(browser, gw)
    wait(browser, 10, lambda b: b.find_elements(By.CSS_SELECTOR, "#chart svg rect"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chart svg rect")) == 24
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, overflow
    save_screenshot(browser, tmp_path, "console-phone.png")
