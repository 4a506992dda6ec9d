"""Calling settings and health with the real binary against the Meta simulator:
`wagate whatsapp status` shows what Meta has and flags what would break calls,
`wagate whatsapp apply` shows the difference, pushes it once and is then a no-op
(checked on the simulator's record of Graph requests), the start-up check logs
its findings and exposes metrics, and account webhooks are logged and counted.
With two `type = number` sections each number is shown, applied and checked on
its own, by its section name."""
import json
import socket
import subprocess
import time
import urllib.request

from conftest import WAGATE, Gateway, free_port
from meta_simulator import BUSINESS, MetaSimulator

SANDBOX_NUMBER = "+15550100000"
HOURS = ("call_hours_timezone = Europe/Berlin\ncall_hours = mon 09:00-17:00\n"
         "call_holiday = 2026-12-25\ncallback_permission = enabled\n")


def sandbox(make_gateway, extra=""):
    """A sandbox gateway whose simulator listens on a port the test knows."""
    port = free_port(socket.SOCK_STREAM, both=False)
    gw = make_gateway(whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{port}\n{extra}")
    return gw, f"http://127.0.0.1:{port}"


def control(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def wagate(*args):
    return subprocess.run([str(WAGATE), *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def settings_posts(base):
    return [r for r in control(base, "GET", "/control/graph_requests")["requests"]
            if r["method"] == "POST" and r["path"].endswith("/settings")]


def metrics(gw):
    return urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5).read().decode()


def test_status_shows_what_the_simulator_has(make_gateway):
    gw, _ = sandbox(make_gateway)
    result = wagate("whatsapp", "status", "--config", str(gw.config))
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"number default {SANDBOX_NUMBER} (phone number id 100000000000001, WABA 200000000000002)" in out
    assert "calling:             ENABLED" in out
    assert "SIP:                 DISABLED" in out
    assert "codecs:              OPUS" in out
    assert "restrictions:        none" in out
    assert "subscriptions:       calls yes, messages yes, app 300000000000003 on WABA yes" in out
    assert "findings: none" in out


def test_status_flags_a_disabled_number_and_a_missing_calls_subscription(make_gateway):
    gw, base = sandbox(make_gateway)
    control(base, "POST", "/control/settings", {"calling": {
        "status": "DISABLED", "restrictions": {"restrictions_list": [{"type": "RESTRICTED_BIZ_INITIATED_CALLING"}]}}})
    control(base, "PUT", "/control/subscriptions", {"fields": ["messages"]})
    result = wagate("whatsapp", "status", SANDBOX_NUMBER, "--config", str(gw.config))
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "calling:             DISABLED" in out
    assert "critical calling_disabled:" in out
    assert "critical calls_not_subscribed:" in out
    assert "critical calling_restricted: Meta restricts calling on this number: RESTRICTED_BIZ_INITIATED_CALLING" in out
    assert "messages_not_subscribed" not in out


def test_status_refuses_an_unknown_number(make_gateway):
    gw, _ = sandbox(make_gateway)
    result = wagate("whatsapp", "status", "+4915100000000", "--config", str(gw.config))
    assert result.returncode != 0
    assert f"no business number '+4915100000000' in the configuration; known: default {SANDBOX_NUMBER}" in result.stderr


def test_apply_shows_the_difference_pushes_it_once_and_is_then_a_no_op(make_gateway):
    gw, base = sandbox(make_gateway, HOURS)
    dry = wagate("whatsapp", "apply", "--dry-run", "--config", str(gw.config))
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "call_hours: - -> ENABLED Europe/Berlin MON 0900-1700; closed 2026-12-25 0000-2359" in dry.stdout
    assert "callback_permission_status: DISABLED -> ENABLED" in dry.stdout
    assert "dry run: nothing sent" in dry.stdout
    assert settings_posts(base) == []

    first = wagate("whatsapp", "apply", "--config", str(gw.config))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "differences:" in first.stdout and "applied: Meta's settings now match sip.conf" in first.stdout
    posts = settings_posts(base)
    assert len(posts) == 1
    body = json.loads(posts[0]["body"])["calling"]
    assert set(body) == {"call_hours", "callback_permission_status"}
    assert body["call_hours"] == {
        "status": "ENABLED", "timezone_id": "Europe/Berlin",
        "weekly_operating_hours": [{"day_of_week": "MONDAY", "open_time": "0900", "close_time": "1700"}],
        "holiday_schedule": [{"date": "2026-12-25", "start_time": "0000", "end_time": "2359"}]}

    second = wagate("whatsapp", "apply", SANDBOX_NUMBER, "--config", str(gw.config))
    assert second.returncode == 0, second.stdout + second.stderr
    assert "no changes: Meta's settings match sip.conf" in second.stdout
    assert "differences:" not in second.stdout
    assert len(settings_posts(base)) == 1
    status = wagate("whatsapp", "status", "--config", str(gw.config))
    assert "call hours:          ENABLED Europe/Berlin MON 0900-1700; closed 2026-12-25 0000-2359" in status.stdout
    assert "sip.conf differs:    no" in status.stdout


def test_apply_reports_what_meta_refuses(make_gateway):
    gw, base = sandbox(make_gateway, "calling = enabled\n")
    control(base, "POST", "/control/settings", {"calling": {"status": "DISABLED"}})
    control(base, "POST", "/control/faults", {"kind": "5xx", "count": 10})
    result = wagate("whatsapp", "apply", "--config", str(gw.config))
    assert result.returncode == 1
    assert "error:" in result.stdout


def test_startup_check_logs_findings_once_and_exposes_metrics(tmp_path):
    http = free_port(socket.SOCK_STREAM, both=False)
    meta = MetaSimulator(tmp_path, http)
    gw = None
    try:
        meta.post("/control/settings", {"calling": {"status": "DISABLED"}})
        meta.request("PUT", "/control/subscriptions", {"fields": ["calls"]})
        gw = Gateway(tmp_path, http_port=http, whatsapp=meta.whatsapp_section()
                     + "waba_id = 200000000000002\napp_id = 300000000000003\n")
        logs = gw.wait_for_log("whatsapp calling health: the app is not subscribed to the 'messages' field")
        assert "finding=calling_disabled" in logs and "number=default" in logs
        text = metrics(gw)
        assert 'wagate_whatsapp_calling_enabled{number="default"} 0' in text
        assert 'wagate_whatsapp_subscribed{number="default",field="calls"} 1' in text
        assert 'wagate_whatsapp_subscribed{number="default",field="messages"} 0' in text
        assert 'wagate_whatsapp_health_findings{number="default",severity="critical"} 2' in text
        # SIP served meanwhile: the check never blocks start-up.
        assert "SIP listening" in logs
    finally:
        if gw:
            gw.stop()
        meta.stop()


def test_an_account_webhook_is_logged_counted_and_rechecks_the_number(make_gateway):
    gw, base = sandbox(make_gateway)
    gw.wait_for_log("whatsapp calling health checked")
    control(base, "POST", "/control/settings", {"calling": {"status": "DISABLED"}})
    control(base, "POST", "/control/account_events", {"field": "account_update", "value": {"event": "ACCOUNT_VIOLATION"}})
    logs = gw.wait_for_log("account_event=ACCOUNT_VIOLATION")
    assert "whatsapp account webhook" in logs and "number=default" in logs
    assert 'wagate_whatsapp_account_events_total{event="account_update"} 1' in metrics(gw)
    control(base, "POST", "/control/account_events", {"field": "account_settings_update", "value": {"type": "calling"}})
    gw.wait_for_log("finding=calling_disabled")
    deadline = time.time() + 10
    while 'wagate_whatsapp_calling_enabled{number="default"} 0' not in metrics(gw):
        assert time.time() < deadline, metrics(gw)
        time.sleep(0.05)
    text = metrics(gw)
    assert 'wagate_whatsapp_account_events_total{event="account_settings_update"} 1' in text
    assert 'wagate_whatsapp_account_last_event_timestamp_seconds{number="default",event="account_update"}' in text


def test_the_sandbox_number_starts_with_the_configured_codecs(make_gateway):
    gw, base = sandbox(make_gateway, "additional_codecs = pcma\n")
    result = wagate("whatsapp", "status", "--config", str(gw.config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "codecs:              OPUS, PCMA" in result.stdout
    assert "sip.conf differs:    no" in result.stdout
    assert "whatsapp calling settings differ" not in gw.logs()


SALES_ID, SUPPORT_ID = "100000000000001", "100000000000002"
SUPPORT_NUMBER = "+15550100001"
TWO_NUMBERS = f"""
[sales]
type = number
phone_number_id = {SALES_ID}
business_number = {SANDBOX_NUMBER}

[support]
type = number
phone_number_id = {SUPPORT_ID}
business_number = {SUPPORT_NUMBER}
callback_permission = enabled
call_hours_timezone = Europe/Berlin
call_hours = sat 10:00-14:00
"""


def test_status_lists_every_number_by_name(make_gateway):
    port = free_port(socket.SOCK_STREAM, both=False)
    gw = make_gateway(whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{port}\n", extra_sections=TWO_NUMBERS)
    result = wagate("whatsapp", "status", "--config", str(gw.config))
    out = result.stdout
    assert f"number sales {SANDBOX_NUMBER} (phone number id {SALES_ID}, WABA 200000000000002)" in out, out
    assert f"number support {SUPPORT_NUMBER} (phone number id {SUPPORT_ID}, WABA 200000000000002)" in out, out
    assert result.returncode == 0, out + result.stderr
    sales, support = out.split("number support ")
    assert "sip.conf differs:    no" in sales
    assert "callback_permission_status: DISABLED -> ENABLED" in support
    one = wagate("whatsapp", "status", SUPPORT_ID, "--config", str(gw.config))
    assert "number support " in one.stdout and "number sales " not in one.stdout


def test_apply_changes_only_the_number_named_and_is_then_a_no_op(make_gateway):
    port = free_port(socket.SOCK_STREAM, both=False)
    gw = make_gateway(whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{port}\n", extra_sections=TWO_NUMBERS)
    base = f"http://127.0.0.1:{port}"
    first = wagate("whatsapp", "apply", "support", "--config", str(gw.config))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "number sales" not in first.stdout
    assert "applied: Meta's settings now match sip.conf" in first.stdout
    posts = settings_posts(base)
    assert [p["path"].rsplit("/", 2)[-2] for p in posts] == [SUPPORT_ID], posts
    assert set(json.loads(posts[0]["body"])["calling"]) == {"call_hours", "callback_permission_status"}

    second = wagate("whatsapp", "apply", "support", "--config", str(gw.config))
    assert second.returncode == 0, second.stdout + second.stderr
    assert "no changes: Meta's settings match sip.conf" in second.stdout
    assert len(settings_posts(base)) == 1
    every = wagate("whatsapp", "apply", "--config", str(gw.config))
    assert every.stdout.count("no changes: Meta's settings match sip.conf") == 2, every.stdout
    assert len(settings_posts(base)) == 1
    status = wagate("whatsapp", "status", "sales", "--config", str(gw.config))
    assert "callback permission: DISABLED" in status.stdout and "call hours:          -" in status.stdout


def test_startup_check_flags_only_the_number_with_calling_disabled(tmp_path):
    http = free_port(socket.SOCK_STREAM, both=False)
    meta = MetaSimulator(tmp_path, http, extra=("--number", f"{SUPPORT_ID}:{SUPPORT_NUMBER[1:]}"))
    gw = None
    try:
        changed = meta.post("/control/settings", {"calling": {"status": "DISABLED"}, "business_number": SUPPORT_NUMBER})
        assert changed["calling"]["status"] == "DISABLED", changed
        cloud = meta.whatsapp_section().replace("phone_number_id = 100000000000001\n", "")
        cloud = cloud.replace(f"business_number = {BUSINESS}\n", "")
        gw = Gateway(tmp_path, http_port=http, whatsapp=cloud + "waba_id = 200000000000002\napp_id = 300000000000003\n",
                     extra_sections=f"""
[main]
type = number
phone_number_id = {SALES_ID}
business_number = {BUSINESS}

[support]
type = number
phone_number_id = {SUPPORT_ID}
business_number = {SUPPORT_NUMBER}
""")
        gw.wait_for_log("finding=calling_disabled")
        deadline = time.time() + 10
        while 'wagate_whatsapp_calling_enabled{number="support"} 0' not in metrics(gw):
            assert time.time() < deadline, metrics(gw)
            time.sleep(0.05)
        text = metrics(gw)
        assert 'wagate_whatsapp_calling_enabled{number="main"} 1' in text
        assert 'wagate_whatsapp_health_findings{number="main",severity="critical"} 0' in text
        assert 'wagate_whatsapp_health_findings{number="support",severity="critical"} 1' in text
        flagged = [line for line in gw.logs().splitlines() if "finding=calling_disabled" in line]
        assert flagged and all("number=support" in line for line in flagged), flagged
    finally:
        if gw:
            gw.stop()
        meta.stop()
