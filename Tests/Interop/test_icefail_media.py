"""WhatsApp-leg media failures end to end: a real wagate, the standalone Meta
simulator with real WebRTC media and a media fault on its relay
(`POST /control/faults`, docs/whatsapp-setup.md), SIPp and baresip as phones.

- `media_unreachable`: the relay answers no STUN check (a firewall dropping UDP
  toward Meta), so wagate's ICE fails;
- `dtls_fingerprint_mismatch`: the relay's SDP names another certificate, so
  wagate's DTLS handshake fails.

An outbound call meeting either gets 503 with a Warning (docs/call-flows.md, O15),
Meta gets `terminate`, the CDR says `media_failure` ended by the gateway,
`wagate_media_setup_failures_total{stage,reason}` moves by exactly one and the
log line names the call and the reason. An inbound call whose relay is
unreachable ends the answered phone's leg with a BYE and Meta's call too.

ICE with no check answered fails after its retransmissions (about 8 s), inside
wagate's 15 s media setup deadline, which has no configuration key; the tests
wait on events (SIPp's final response, baresip's events, the simulator's call
state, scrapes, log lines), never on fixed sleeps."""
import json
import re
import threading

from conftest import WHATSAPP_USER, sipp
from sipp_builder import build
from test_cdr_columns import BaresipControl, finished
from test_metrics_scrape import active, scrape, settled, total
from baresip_peer import run_call

E164 = "+" + WHATSAPP_USER
FAILURES = "wagate_media_setup_failures_total"
# wagate's own setup deadline (15 s) plus the Graph round trips and slack.
SETUP_WAIT = 30


def fault(meta, kind):
    assert meta.post("/control/faults", {"kind": kind}) == {"pending": 1}


def failures(samples):
    """`wagate_media_setup_failures_total` by (stage, reason)."""
    found = {}
    for key, value in samples.items():
        if key.startswith(FAILURES + "{"):
            labels = dict(re.findall(r'(\w+)="([^"]*)"', key))
            found[(labels["stage"], labels["reason"])] = value
    return found


def moved_series(before, after):
    """The (stage, reason) series that moved, and by how much."""
    old, new = failures(before), failures(after)
    return {series: new[series] - old.get(series, 0) for series in new if new[series] != old.get(series, 0)}


def graph_actions(meta, wacid):
    """The call actions wagate sent Meta for `wacid`, in order."""
    requests = meta.get("/control/graph_requests").get("requests", [])
    bodies = [json.loads(r["body"]) for r in requests if r.get("body", "").startswith("{")]
    return [body.get("action") for body in bodies if body.get("call_id") == wacid]


def ended_line(gw, wacid):
    """wagate's `call ended` line for `wacid`."""
    logs = gw.wait_for_log(f"wacid={wacid}", timeout=5)
    lines = [line for line in logs.splitlines() if "call ended" in line and f"wacid={wacid}" in line]
    assert lines, logs[-3000:]
    return lines[0]


def outbound_with_fault(e2e, tmp_path, kind):
    """An outbound SIPp call meeting media fault `kind`; returns (gw, meta, scrape
    before, scrape after, the CDR row, the simulator's call, SIPp's messages)."""
    gw, meta = e2e()
    fault(meta, kind)
    before = scrape(gw)
    scenario = build(tmp_path / f"{kind}.xml", ["invite", "ringing", "final:503"], kind)
    code, out = sipp(gw, scenario, service=E164, tmp=tmp_path, timeout=SETUP_WAIT)
    assert code == 0, out + gw.logs()[-4000:]
    call = meta.wait_for_call("ended", WHATSAPP_USER)
    [row] = finished(gw, 1)
    after = settled(gw, lambda s: active(s) == 0 and total(s, FAILURES) - total(before, FAILURES) >= 1)
    messages = "".join(log.read_text() for log in tmp_path.glob("*_messages.log"))
    return gw, meta, before, after, row, call, messages


def check_outbound(gw, meta, row, call, messages, stage, reasons):
    """The 503 with a Warning, `terminate` to Meta, the CDR and the log line."""
    final = re.search(r"SIP/2\.0 503 .*?\r?\n\r?\n", messages, re.S)
    assert final and re.search(r"^Warning: 399 ", final.group(0), re.M), messages[-3000:]
    assert call["state"] == "ended", call
    assert "terminate" in graph_actions(meta, call["id"]), (meta.get("/control/graph_requests"), gw.logs()[-3000:])
    assert (row["endReason"], row["endedBy"], row["sipStatus"]) == ("media_failure", "gateway", 503), row
    assert row["wacid"] == call["id"], row
    line = ended_line(gw, call["id"])
    assert f"wacid={call['id']}" in line and f"sip_call_id={row['sipCallID']}" in line, line
    assert f"call_id={row['callID']}" in line and "media_failure" in line, line
    assert any(reason in line for reason in reasons), (line, reasons)
    assert stage.upper() in line, line


def test_unreachable_relay_fails_ice_and_the_outbound_call_gets_503(e2e, tmp_path):
    gw, meta, before, after, row, call, messages = outbound_with_fault(e2e, tmp_path, "media_unreachable")
    check_outbound(gw, meta, row, call, messages, "ice", ["no connectivity check was answered", "timed out"])
    # No check answered: a timeout, which is what a firewall toward Meta's relays looks like.
    assert moved_series(before, after) == {("ice", "timeout"): 1}, (moved_series(before, after), gw.logs()[-3000:])


def test_wrong_dtls_fingerprint_fails_dtls_and_the_outbound_call_gets_503(e2e, tmp_path):
    gw, meta, before, after, row, call, messages = outbound_with_fault(e2e, tmp_path, "dtls_fingerprint_mismatch")
    check_outbound(gw, meta, row, call, messages, "dtls", ["DTLS failed"])
    assert moved_series(before, after) == {("dtls", "handshake"): 1}, (moved_series(before, after), gw.logs()[-3000:])


def test_a_fault_meets_only_the_next_call(e2e, tmp_path):
    """The fault is used up by the call that meets it: the next call's media connects."""
    gw, meta = e2e(media="echo")
    fault(meta, "dtls_fingerprint_mismatch")
    first = build(tmp_path / "faulted.xml", ["invite", "ringing", "final:503"], "faulted")
    code, out = sipp(gw, first, service=E164, tmp=tmp_path, timeout=SETUP_WAIT)
    assert code == 0, out + gw.logs()[-3000:]
    failed = meta.wait_for_call("ended", WHATSAPP_USER)
    before = settled(gw, lambda s: active(s) == 0)

    def answer():
        ringing = meta.wait_for_call("ringing", WHATSAPP_USER)
        meta.post(f"/control/calls/{ringing['id']}/answer")
    threading.Thread(target=answer, daemon=True).start()
    second = build(tmp_path / "clean.xml", ["invite", "ringing", "answered", "bye"], "clean")
    code, out = sipp(gw, second, service=E164, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    rows = {row["wacid"]: row for row in finished(gw, 2)}
    assert rows[failed["id"]]["endReason"] == "media_failure", rows
    [clean] = [row for wacid, row in rows.items() if wacid != failed["id"]]
    assert clean["endReason"] == "normal" and clean["answerAt"], clean
    assert moved_series(before, settled(gw, lambda s: active(s) == 0)) == {}


def test_unreachable_relay_on_an_inbound_call_ends_the_phones_leg_and_metas_call(e2e, tmp_path):
    gw, meta = e2e()
    fault(meta, "media_unreachable")
    before = scrape(gw)
    control = BaresipControl()
    result = {}

    def phone():
        result["call"] = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret;"
                                  "answermode=auto", None, seconds=60, extra_config=control.config, register=True)
    thread = threading.Thread(target=phone, daemon=True)
    thread.start()
    control.connect()
    gw.wait_for_log("registered", timeout=20)
    meta.post(f"/control/users/{WHATSAPP_USER}/call", {"name": "Test User"})
    # The phone's leg is ended by wagate (CANCEL while ringing, BYE once answered).
    closed = control.wait_event(("CALL_CLOSED",), timeout=SETUP_WAIT)
    call = meta.wait_for_call("ended", WHATSAPP_USER, timeout=5)
    [row] = finished(gw, 1)
    control.command("quit")
    thread.join(timeout=30)
    assert "call" in result, "baresip did not quit"
    assert (row["endReason"], row["endedBy"]) == ("media_failure", "gateway"), (row, closed)
    assert row["wacid"] == call["id"] and row["direction"] == "inbound", row
    assert row["sipCallID"] == closed["id"], (row, closed)
    line = ended_line(gw, call["id"])
    assert "ICE" in line and f"sip_call_id={closed['id']}" in line, line
    after = settled(gw, lambda s: active(s) == 0 and total(s, FAILURES) - total(before, FAILURES) >= 1)
    assert moved_series(before, after) == {("ice", "timeout"): 1}, (moved_series(before, after), gw.logs()[-3000:])
    # The phone's leg ended with a BYE from wagate that the phone answered 200.
    assert total(after, "wagate_sip_requests_total", method="BYE", direction="out") \
        - total(before, "wagate_sip_requests_total", method="BYE", direction="out") == 1
    assert total(after, "wagate_sip_responses_total", method="BYE", direction="in", **{"class": "2xx"}) \
        - total(before, "wagate_sip_responses_total", method="BYE", direction="in", **{"class": "2xx"}) == 1
