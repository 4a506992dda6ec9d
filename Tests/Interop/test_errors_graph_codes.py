"""Meta's Graph error codes on the wire: the Meta simulator is told to fail the
next `connect` with one code (Meta's HTTP status, message and error_data), a
SIPp phone dials a WhatsApp number through a real wagate, and the final answer's
status, Reason, Warning and Retry-After are checked as sent. One gateway and one
simulator serve the whole module; each case is one INVITE. A failed permission
look-up (613) must not fail a call that can proceed."""
import re
import socket
import threading
import time

import pytest

from conftest import Gateway, free_port, sipp
from meta_simulator import TOKEN, MetaSimulator
from sipp_builder import build

USER = "447700900123"
E164 = "+" + USER

# code, SIP status, words of the Reason text, words of the Warning, Retry-After (None: absent)
# Rate limits are injected with Meta's `Retry-After: 120` (longer than the client's
# backoff limit, so the client does not retry) and must pass it through.
CASES = [
    (100, 488, "parameter", "usually the SDP", None),
    (190, 503, "access token", "access_token", None),
    (613, 503, "look-up rate limit", "retry later", 120),
    (131000, 503, "service error", "retry later", 30),
    (131005, 503, "access denied", "whatsapp_business_messaging", None),
    (131008, 502, "parameter is missing", "missing", None),
    (131009, 403, "parameter value", "country", None),
    (131026, 404, "not reachable", "not on WhatsApp", None),
    (131030, 403, "allowed list", "add it in App Dashboard", None),
    (131031, 503, "restricted", "locked", None),
    (131044, 503, "payment", "payment method", None),
    (131055, 503, "SIP mode", "calling.sip.status", None),
    (131056, 503, "per-user rate limit", "retry later", 120),
    (138000, 503, "not enabled", "enable it", None),
    (138001, 404, "callable", "cannot receive calls", None),
    (138002, 503, "concurrent call limit", "retry later", 120),
    (138003, 486, "already in a call", "already ongoing", None),
    (138004, 503, "service error", "retry later", 30),
    (138005, 503, "call rate limit", "retry later", 120),
    (138006, 403, "permission", "ask for it", None),
    (138007, 504, "connect timeout", "SDP", None),
    (138009, 403, "permission request limit", "request limit", None),
    (138012, 480, "daily call limit", "24 h", "next_allowed"),
    (138013, 403, "unavailable", "country", None),
    (138014, 503, "temporarily disabled", "low quality", None),
    (138015, 503, "cannot be enabled", "messaging limit", None),
    (138016, 502, "refused the request", "not known to wagate", None),
    (138017, 502, "already permanent", "permanent permission", None),
    (138018, 503, "prerequisites", "calls webhook", None),
]
RATE_LIMITED = {613, 131056, 138002, 138005}
NEXT_ALLOWED_IN = 3600


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """One Meta simulator and one wagate (circuit breaker off, so outages injected
    one after another do not change the answers of later cases)."""
    tmp = tmp_path_factory.mktemp("errors")
    http = free_port(socket.SOCK_STREAM, both=False)
    meta = MetaSimulator(tmp, http, media="tone:600")
    gw = None
    try:
        # Many INVITEs from one address in a few seconds: lift the per-source rate limit.
        gw = Gateway(tmp, extra_general="source_invite_rate = 1000\ncall_attempt_rate = 1000\n",
                     whatsapp=meta.whatsapp_section() + "circuit_breaker_failures = 0\n", http_port=http,
                     extra_sections="[inbound]\ntarget = user:alice\nring_timeout = 10\n")
        meta.grant(USER)
        yield gw, meta
    finally:
        if gw is not None:
            gw.stop()
        meta.stop()


def final_response(tmp, status):
    """The headers of the final `status` answer SIPp received, by lower-case name."""
    messages = "".join(p.read_text(errors="replace") for p in tmp.glob("*_messages.log"))
    blocks = re.findall(rf"SIP/2\.0 {status} [^\r\n]*\r?\n(.*?)\r?\n\r?\n", messages, re.S)
    assert blocks, messages[-3000:]
    headers = {}
    for line in blocks[-1].splitlines():
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    return headers


def error_line(logs, code, action):
    """The log line of Meta's error `code` on a Graph `action`."""
    lines = [line for line in logs.splitlines() if "WhatsApp API error" in line
             and f"graph.code={code} " in line + " " and f"graph.action={action}" in line]
    assert lines, logs[-3000:]
    return lines[-1]


def dial(gw, tmp, *steps):
    code, out = sipp(gw, build(tmp / "call.xml", ["invite", *steps], "errors"), service=E164, tmp=tmp)
    return code, out


@pytest.mark.parametrize("code,status,reason,warning,retry_after", CASES, ids=[str(c[0]) for c in CASES])
def test_a_graph_error_on_connect_reaches_the_phone(bench, tmp_path, code, status, reason, warning, retry_after):
    gw, meta = bench
    fault = {"code": code, "action": "connect"}
    if code in RATE_LIMITED:
        fault["retry_after"] = 120
    if retry_after == "next_allowed":
        fault["next_allowed"] = int(time.time()) + NEXT_ALLOWED_IN
    assert "pending" in meta.post("/control/faults", fault)
    code_run, out = dial(gw, tmp_path, f"final:{status}")
    assert code_run == 0, out + gw.logs()[-3000:]
    headers = final_response(tmp_path, status)
    assert re.fullmatch(rf'SIP;cause={status};text="[^"]*{re.escape(reason)}[^"]*"', headers.get("reason", ""),
                        re.I), headers
    assert re.fullmatch(rf'399 \S+ "WhatsApp {code}: [^"]*{re.escape(warning)}[^"]*"', headers.get("warning", ""),
                        re.I), headers
    if retry_after is None:
        assert "retry-after" not in headers, headers
    elif retry_after == "next_allowed":
        assert abs(int(headers["retry-after"]) - NEXT_ALLOWED_IN) <= 10, headers
    else:
        assert int(headers["retry-after"]) == retry_after, headers
    # One log line per Meta error, with the ids an operator greps for and no token.
    logs = gw.wait_for_log(f"graph.code={code} ")
    line = error_line(logs, code, "connect")
    for field in (r"(^|\s)call_id=\S", r"sip_call_id=\S", r"fbtrace_id=\S", r"http\.status=\d{3}"):
        assert re.search(field, line), (field, line)
    assert TOKEN not in logs


def test_a_failed_permission_look_up_does_not_fail_the_call(bench, tmp_path):
    """613 on call_permissions: the call goes on with `connect` (Meta's authority on
    permission) and is answered; the look-up's error is logged."""
    gw, meta = bench
    user = "447700900188"
    # Granted without a webhook, so wagate has nothing cached and must look it up.
    meta.post(f"/control/users/{user}/permission", {"permanent": True, "notify": False})
    meta.post("/control/faults", {"code": 613, "action": "call_permissions", "retry_after": 120})

    def answer():
        call = meta.wait_for_call("ringing", user)
        meta.post(f"/control/calls/{call['id']}/answer")
    threading.Thread(target=answer, daemon=True).start()
    code, out = sipp(gw, build(tmp_path / "call.xml", ["invite", "ringing", "answered", "pause:300", "bye"], "perm"),
                     service="+" + user, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    logs = gw.wait_for_log("graph.action=call_permissions")
    line = error_line(logs, 613, "call_permissions")
    assert "fbtrace_id=" in line and "sip_call_id=" in line, line
    call = next(call for call in meta.calls() if call["user"] == user)
    meta.wait_for_state(call["id"], "ended")
