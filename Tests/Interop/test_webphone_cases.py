"""The web phone page's call cases in a real Chromium (loopback-only network
namespace: `make webphone-test`), against one wagate and one Meta simulator
whose users echo what they hear and answer business calls at once: the page
dials and hears its own 1000 Hz microphone tone come back (browser → WhatsApp →
browser); a ring group of the page and a SIPp phone has one winner each way;
a missing permission is shown, requested from the page and granted; who hung
up reaches the page and the CDR; keypad digits reach the WhatsApp user; hold
keeps packets flowing to WhatsApp while the page hears nothing.

One gateway, simulator and Chromium serve the whole module; each test loads
the page afresh (it logs in again with its session token)."""
import json
import socket
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conftest import SIPP_DIR, WHATSAPP_USER, Gateway, free_port, sipp, start_webrtc_chromium
from page_driver import text, wait
from sipp_builder import run_uas

ARTIFACTS = Path(__file__).parent / "artifacts"
ADMIN_TOKEN = "admin-token-webphone-cases-01"
USER = "+" + WHATSAPP_USER
UNGRANTED = "447700900126"
AGENT = "[dana]\ntype = user\nsecret = dana-secret\nallow = +*\nwebrtc = yes\n"
GROUP = "[team]\ntype = ringgroup\nmembers = dana, bob\n"
# Every message the page receives, kept beside the page's own `lastEvent()`; with
# `window.__sendDelay` (ms) the page's messages leave late, as over a slow proxy.
RECORD_EVENTS = """
(() => {
  const Native = window.WebSocket;
  window.__events = [];
  class Recording extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (e) => { try { window.__events.push(JSON.parse(e.data)); } catch (_) {} });
    }
    send(data) {
      if (window.__sendDelay) { setTimeout(() => super.send(data), window.__sendDelay); } else { super.send(data); }
    }
  }
  window.WebSocket = Recording;
})();
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """(gateway, simulator, Chromium, the page's URL), shared by the module's tests."""
    from meta_simulator import MetaSimulator
    tmp = tmp_path_factory.mktemp("webphone-cases")
    http = free_port(socket.SOCK_STREAM, both=False)
    admin = free_port(socket.SOCK_STREAM, both=False)
    meta = MetaSimulator(tmp, http, media="echo",
                         extra=("--auto-answer-ms", "200", "--template", "call_request:en_US"))
    started = [meta]
    try:
        meta.grant(WHATSAPP_USER)
        gw = Gateway(tmp, http_port=http,
                     whatsapp=meta.whatsapp_section() + "permission_template = call_request\n"
                                                        "permission_template_language = en_US\n",
                     extra_sections="[inbound]\ntarget = group:team\nring_timeout = 15\n" + AGENT + GROUP
                                    + f"\n[admin]\nbind = 127.0.0.1:{admin}\ntoken = {ADMIN_TOKEN}\n")
        started.append(gw)
        gw.admin_port = admin
        browser = start_webrtc_chromium(tmp, "chromium-webphone-cases", tone=1000)
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_EVENTS})
        yield gw, meta, browser, f"http://127.0.0.1:{gw.http_port}/phone"
        browser.quit()
    finally:
        for item in reversed(started):
            item.stop()


@pytest.fixture
def phone(world, tmp_path):
    """The world with the page freshly loaded and logged in as dana; hangs up what is left."""
    gw, meta, browser, url = world
    browser.get(url)
    # The page logs in by itself when the tab holds a session token (every test but the first).
    if not browser.execute_script("return sessionStorage.getItem('wagate.phone.token')"):
        for field, value in (("user", "dana"), ("password", "dana-secret")):
            browser.find_element(By.ID, field).send_keys(value)
        browser.find_element(By.ID, "login-button").click()
    wait(browser, 10, visible("app"), "the logged-in page")
    wait(browser, 10, lambda b: text(b, "presence-state") == "available", "'available'")
    yield gw, meta, browser, tmp_path
    if browser.find_element(By.ID, "call").is_displayed():
        browser.find_element(By.ID, "hangup").click()
    for call in meta.calls():
        if call["state"] != "ended":
            meta.post(f"/control/calls/{call['id']}/hangup")


def until(predicate, what, timeout=10):
    """Polls `predicate()` every 50 ms until it is truthy (its value) or fails naming `what`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"{what} not seen within {timeout} s")


def visible(element_id):
    return lambda browser: browser.find_element(By.ID, element_id).is_displayed()


def hidden(element_id):
    return lambda browser: not browser.find_element(By.ID, element_id).is_displayed()


def frequency(browser):
    return browser.execute_script("return window.wagatePhone.dominantFrequency()")


def hears(hz):
    def heard(browser):
        found = frequency(browser)
        return found is not None and abs(found - hz) <= 30 and found
    return heard


def events(browser, kind):
    return [m for m in browser.execute_script("return window.__events") if m.get("type") == kind]


def admin(gw, path):
    request = urllib.request.Request(f"http://127.0.0.1:{gw.admin_port}{path}",
                                     headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def live_call(meta, user=WHATSAPP_USER):
    """The simulator's answered call with `user`, once there is one."""
    return until(lambda: next((c for c in meta.calls() if c["user"] == user and c["state"] == "answered"), None),
                 f"an answered call with {user}")


def dial(browser, number=USER):
    """Types `number`, presses Call, and waits until the page is connected."""
    field = browser.find_element(By.ID, "number")
    field.clear()
    field.send_keys(number)
    browser.find_element(By.ID, "dial").click()
    wait(browser, 15, lambda b: text(b, "status").startswith("Connected to " + number), "the answered dial")


def media_packets(meta, call_id):
    return meta.get(f"/control/calls/{call_id}/media").get("packets_received", 0)


def cdr_of(gw, wacid):
    """The finished CDR of the call with `wacid`."""
    def finished():
        return next((c for c in admin(gw, "/api/v1/cdrs?limit=20")["cdrs"] if c.get("wacid") == wacid
                     and c.get("end_at")), None)
    return until(finished, f"the CDR of {wacid}")


def test_browser_dials_out_user_answers_tone_heard_both_ways(phone):
    gw, meta, browser, _ = phone
    dial(browser)
    call = live_call(meta)
    # The simulated user echoes: the page hears its own microphone only if audio went both ways.
    heard = wait(browser, 15, hears(1000), "the 1000 Hz tone echoed by the WhatsApp user")
    media = until(lambda: (lambda m: m.get("packets_received", 0) >= 50 and m)(meta.get(f"/control/calls/{call['id']}/media")),
                  "a second of packets at the WhatsApp user")
    assert media["packets_lost"] == 0 and media["srtp_failures"] == 0, media
    wait(browser, 5, hears(1000), "the echoed tone a second into the call")
    assert media["codec"] == "opus", media
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "webphone-outbound.png"))
    stats = browser.execute_async_script("window.wagatePhone.stats().then(arguments[arguments.length - 1])")
    assert stats["inbound"]["mimeType"] == "audio/opus" and stats["outbound"]["mimeType"] == "audio/opus", stats
    print(f"the page heard {heard} Hz; the WhatsApp user's leg: {media}")
    assert abs(heard - 1000) <= 30


def ring_group(gw, meta, browser, tmp_path, scenario, on_ringing):
    """bob's SIPp phone registers and runs `scenario` while the WhatsApp user calls the
    group; `on_ringing()` runs once the page rings. Returns (SIPp exit code, output, wacid)."""
    port = free_port()
    code, out = sipp(gw, "register_only.xml", service="bob", user="bob", password="bob-secret", tmp=tmp_path,
                     local_port=port)
    assert code == 0, out
    listening = threading.Event()
    with ThreadPoolExecutor(1) as pool:
        phone = pool.submit(run_uas, Path(SIPP_DIR) / scenario, port, tmp_path, listening.set)
        assert listening.wait(15), "SIPp did not start"
        created = meta.post(f"/control/users/{WHATSAPP_USER}/call", {"name": "Jo Bloggs"})
        wait(browser, 10, lambda b: events(b, "incoming"), "the ringing call")
        on_ringing(created["id"])
        code, out = phone.result(timeout=40)
    return code, out, created["id"]


def test_ring_group_phone_answers_first_page_is_cancelled(phone):
    gw, meta, browser, tmp_path = phone

    def after_phone_answers(wacid):
        wait(browser, 10, lambda b: events(b, "cancelled"), "the cancel")
        wait(browser, 5, hidden("incoming"), "the idle page")
        meta.wait_for_state(wacid, "accepted")
        meta.post(f"/control/calls/{wacid}/hangup")  # the phone gets BYE and SIPp ends

    code, out, _ = ring_group(gw, meta, browser, tmp_path, "uas_ring_then_answer.xml", after_phone_answers)
    assert code == 0, out
    incoming, cancelled = events(browser, "incoming")[-1], events(browser, "cancelled")[-1]
    assert cancelled == {"type": "cancelled", "call": incoming["call"], "reason": "answered_elsewhere"}, cancelled
    assert text(browser, "status") == "Answered on another phone."
    assert browser.execute_script("return window.wagatePhone.state()")["calls"] == []


def test_ring_group_page_answers_first_phone_gets_cancel(phone):
    gw, meta, browser, tmp_path = phone

    def page_answers(_):
        wait(browser, 10, visible("answer"), "the Answer button")
        browser.find_element(By.ID, "answer").click()

    code, out, wacid = ring_group(gw, meta, browser, tmp_path, "uas_ring_expect_cancel.xml", page_answers)
    assert code == 0, out
    assert "CANCEL sip:" in out and "487 Request Terminated" in out, out
    wait(browser, 10, visible("call"), "the call view")
    wait(browser, 15, hears(1000), "the echoed tone in the answered call")
    assert meta.get(f"/control/calls/{wacid}")["state"] == "accepted"


def test_missing_permission_shown_requested_granted_then_dial_succeeds(phone):
    gw, meta, browser, _ = phone
    number = "+" + UNGRANTED
    field = browser.find_element(By.ID, "number")
    field.clear()
    field.send_keys(number)
    browser.find_element(By.ID, "dial").click()
    wait(browser, 15, visible("permission"), "the permission notice")
    assert text(browser, "permission-text") == f"No permission to call {number}."
    wait(browser, 5, visible("permission-request"), "the request button")
    browser.find_element(By.ID, "permission-request").click()
    wait(browser, 10, lambda b: text(b, "permission-text") == f"Permission request sent to {number}.", "'request sent'")
    sent = until(lambda: meta.get("/control/messages")["messages"], "the permission request message")
    assert len(sent) == 1 and sent[0]["kind"] == "template" and sent[0]["template"] == "call_request", sent
    meta.post(f"/control/users/{UNGRANTED}/permission", {"response": "accept"})
    wait(browser, 10, lambda b: text(b, "permission-text").startswith("Permission granted"), "'granted'")
    assert browser.find_element(By.ID, "number").get_attribute("value") == number
    browser.find_element(By.ID, "dial").click()
    wait(browser, 15, lambda b: text(b, "status").startswith("Connected to " + number), "the dial after the grant")
    live_call(meta, UNGRANTED)
    wait(browser, 15, hears(1000), "the echoed tone after the grant")


def test_browser_hangs_up_the_user_call_ends_cdr_says_agent_side(phone):
    gw, meta, browser, _ = phone
    dial(browser)
    call = live_call(meta)
    # The hang-up message is slower than the media path: wagate must still see a hang-up,
    # not the browser's DTLS close (a media failure ended by the gateway).
    browser.execute_script("window.__sendDelay = 300")
    browser.find_element(By.ID, "hangup").click()
    wait(browser, 10, hidden("call"), "the idle page")
    browser.execute_script("window.__sendDelay = 0")
    ended = wait(browser, 10, lambda b: events(b, "ended"), "wagate's ended")[-1]
    assert ended["by"] == "agent" and ended["reason"] == "normal", ended
    meta.wait_for_state(call["id"], "ended")
    record = cdr_of(gw, call["id"])
    assert record["ended_by"] == "sip" and record["end_reason"] == "normal", record


def test_whatsapp_user_hangs_up_page_shows_ended_by_whatsapp(phone):
    gw, meta, browser, _ = phone
    dial(browser)
    call = live_call(meta)
    meta.post(f"/control/calls/{call['id']}/hangup")
    wait(browser, 10, hidden("call"), "the idle page")
    ended = events(browser, "ended")[-1]
    assert ended["by"] == "whatsapp" and ended["reason"] == "normal", ended
    assert text(browser, "status") == "Call ended. The caller hung up."
    assert browser.execute_script("return window.wagatePhone.state()")["calls"] == []
    assert cdr_of(gw, call["id"])["ended_by"] == "whatsapp"


def test_keypad_digits_reach_the_whatsapp_user(phone):
    gw, meta, browser, _ = phone
    dial(browser)
    call = live_call(meta)
    for key in ("pad-1", "pad-hash"):
        browser.find_element(By.ID, key).click()
    received = until(lambda: (lambda d: len(d) >= 2 and d)(meta.get(f"/control/calls/{call['id']}/dtmf")["received"]),
                     "two digits at the WhatsApp user")
    assert received == "1#"


def test_hold_keeps_packets_flowing_page_hears_nothing_resume_brings_tone_back(phone):
    gw, meta, browser, _ = phone
    dial(browser)
    call = live_call(meta)
    wait(browser, 15, hears(1000), "the echoed tone before hold")
    browser.find_element(By.ID, "hold").click()
    wait(browser, 5, lambda b: "on hold" in text(b, "call-state"), "'on hold'")
    wait(browser, 10, lambda b: frequency(b) is None, "silence on the page while held")
    start, before = time.time(), media_packets(meta, call["id"])
    # Three seconds of hold at 50 packets/s: the WhatsApp leg must not go quiet (Meta ends silent calls).
    grown = until(lambda: (lambda n: n - before >= 150 and n - before)(media_packets(meta, call["id"])),
                  "150 packets at the WhatsApp user during hold", timeout=6)
    rate = grown / (time.time() - start)
    print(f"during hold: {grown} packets at the WhatsApp user, {rate:.1f} packets/s")
    assert rate >= 40, f"{rate:.0f} packets/s during hold"
    assert frequency(browser) is None
    assert meta.get(f"/control/calls/{call['id']}")["state"] == "answered"
    browser.find_element(By.ID, "hold").click()
    wait(browser, 5, lambda b: "on hold" not in text(b, "call-state"), "the resumed call")
    wait(browser, 15, hears(1000), "the echoed tone after resume")
