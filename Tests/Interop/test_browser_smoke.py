"""The `browser` fixture drives a real headless Chromium: it loads a page the
Meta simulator serves on loopback, runs the page's JavaScript against loopback,
and cannot reach any other host."""
import json
import socket

from conftest import free_port
from meta_simulator import MetaSimulator


def test_chromium_loads_simulator_page_and_runs_javascript(browser, tmp_path):
    meta = MetaSimulator(tmp_path, free_port(socket.SOCK_STREAM, both=False))
    try:
        browser.get(f"http://127.0.0.1:{meta.port}/control/health")
        body = browser.find_element("tag name", "body").text
        assert json.loads(body) == {"status": "ok"}
        fetched = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch('/control/health').then(r => r.json()).then(j => done(j.status), e => done('error ' + e));")
        assert fetched == "ok"
    finally:
        meta.stop()


def test_chromium_reaches_no_host_but_loopback(browser):
    # A reserved name: the resolver rules and the dead proxy both refuse it, and
    # the browser shows its own error page instead of any served content.
    outcome = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('http://wagate-offline.test/').then(r => done('reached ' + r.status), e => done('refused'));")
    assert outcome == "refused"
    try:
        browser.get("http://wagate-offline.test/")
        page = browser.page_source
    except Exception as error:  # chromedriver reports net errors as exceptions
        page = str(error)
    assert "ERR_" in page
