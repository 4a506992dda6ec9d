"""Call permission requests end to end, a real wagate against the standalone
Meta simulator, SIPp as the phone: inside the user's 24-hour customer service
window (opened by a message, sent with `wagate simulate message`) the
interactive request goes out; outside it the number's approved template, with
its name, language and filled-in components checked in the simulator's record;
Meta's limits are kept by wagate (a second refused call within 24 h sends
nothing and the simulator never answers 138009), and an answered call resets them."""
import subprocess
import threading
import time
import urllib.request

from conftest import WAGATE, sipp
from meta_simulator import BUSINESS
from sipp_builder import build

USER = "447700900123"
E164 = "+" + USER
TEMPLATE = ("send_permission_request = yes\npermission_template = call_request\n"
            "permission_template_language = pt_BR\n"
            "permission_template_component = body: {caller}, {dialled}, {business_number}\n")


def start(e2e):
    return e2e(grant=False, whatsapp_extra=TEMPLATE, sim_extra=("--template", "call_request:pt_BR"),
               general="source_invite_rate = 1000\ncall_attempt_rate = 1000\n")


def messages(meta, count, timeout=10):
    """The simulator's record of sent messages, once it holds `count` of them."""
    deadline = time.time() + timeout
    while True:
        sent = meta.get("/control/messages")["messages"]
        if len(sent) >= count or time.time() > deadline:
            return sent
        time.sleep(0.05)


def refused(gw, tmp, name):
    code, out = sipp(gw, build(tmp / f"{name}.xml", ["invite", "final:403"], name), service=E164, tmp=tmp)
    assert code == 0, out + gw.logs()[-3000:]


def test_outside_the_window_the_template_goes_out(e2e, tmp_path):
    gw, meta = start(e2e)
    refused(gw, tmp_path, "first")
    gw.wait_for_log("permission request sent")
    sent = messages(meta, 1)
    assert len(sent) == 1, sent
    assert sent[0]["kind"] == "template" and sent[0]["template"] == "call_request" and sent[0]["language"] == "pt_BR"
    assert sent[0]["to"] == USER
    assert sent[0]["components"] == [{"type": "body", "parameters": [
        {"type": "text", "text": "Alice"},
        {"type": "text", "text": E164},
        {"type": "text", "text": BUSINESS},
    ]}], sent[0]
    line = next(line for line in gw.logs().splitlines() if "permission request sent" in line)
    assert "kind=template" in line and "call_id=" in line, line


def test_inside_the_window_the_interactive_message_goes_out(e2e, tmp_path):
    gw, meta = start(e2e)
    result = subprocess.run([str(WAGATE), "simulate", "message", "--simulator", f"http://127.0.0.1:{meta.port}",
                             "--from", E164, "--text", "call me please"], capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stdout + result.stderr
    logs = gw.wait_for_log("webhook.event=user_message")
    assert "call me please" not in logs
    refused(gw, tmp_path, "window")
    gw.wait_for_log("permission request sent")
    sent = messages(meta, 1)
    assert [m["kind"] for m in sent] == ["interactive"], sent
    assert sent[0]["text"] == "We would like to call you. Tap Allow to accept calls from us."


def metric(gw, kind, outcome):
    with urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5) as response:
        text = response.read().decode()
    label = f'wagate_permission_requests_total{{number="default",kind="{kind}",outcome="{outcome}"}} '
    return int(text.split(label, 1)[1].split()[0])


def test_a_second_refused_call_within_a_day_sends_nothing_and_meta_never_says_138009(e2e, tmp_path):
    gw, meta = start(e2e)
    refused(gw, tmp_path, "first")
    gw.wait_for_log("permission request sent")
    # Meta's call_permissions answer already says no request may go out: nothing is asked.
    refused(gw, tmp_path, "second")
    deadline = time.time() + 10
    while gw.logs().count("CallEndReason.noPermission") < 2 and time.time() < deadline:
        time.sleep(0.05)
    assert gw.logs().count("action=sendPermissionRequest") == 1
    # The look-up fails (613), so connect finds out (138006) and the machine wants a
    # request: wagate's own count of Meta's limits holds it back.
    meta.post("/control/faults", {"code": 613, "action": "call_permissions", "retry_after": 120})
    refused(gw, tmp_path, "third")
    logs = gw.wait_for_log("no permission request sent: Meta's request limit")
    assert len(messages(meta, 1)) == 1
    assert "graph.code=138009" not in logs
    assert metric(gw, "template", "sent") == 1 and metric(gw, "template", "limited") == 1


def test_an_answered_call_resets_the_limits(e2e, tmp_path):
    gw, meta = start(e2e)
    refused(gw, tmp_path, "first")
    gw.wait_for_log("permission request sent")
    meta.post(f"/control/users/{USER}/permission", {"permanent": False})
    gw.wait_for_log("webhook.event=permission_reply")

    def answer():
        call = meta.wait_for_call("ringing", USER)
        meta.post(f"/control/calls/{call['id']}/answer")
    threading.Thread(target=answer, daemon=True).start()
    code, out = sipp(gw, build(tmp_path / "answered.xml", ["invite", "ringing", "answered", "pause:300", "bye"],
                               "answered"), service=E164, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    # The user withdraws permission without a webhook: the next connect gets 138006,
    # and a new request may go out at once because the answered call reset the limits.
    meta.request("DELETE", f"/control/users/{USER}/permission")
    refused(gw, tmp_path, "after")
    sent = messages(meta, 2)
    assert [m["kind"] for m in sent] == ["template", "template"], sent
    assert "138009" not in gw.logs()
