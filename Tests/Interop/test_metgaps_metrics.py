"""`/metrics` values the scripted-call test leaves out, through a real wagate
and a standalone Meta simulator: a number onboarded through Embedded Signup
is labelled by its name (series at zero from the sign-up on) and its inbound
call counts there, and numbers a SIGHUP reload adds or renames are labelled by
their section name; SIP requests and responses are counted in both directions
(an answered outbound call from SIPp, an inbound call to a registered baresip);
registrations, calls active and RTP ports in use during a call and free after
it; the gateway's setup hops; webhooks for a removed number count as unknown,
refused ones by reason and a repeated event as a duplicate; three wrong
passwords count a lockout."""
import hashlib
import hmac
import json
import re
import signal
import socket
import threading
import time
import urllib.error
import urllib.request

from conftest import WHATSAPP_USER, free_port, sipp
from meta_simulator import BUSINESS, SECRET, TOKEN
from sipp_builder import build
from test_metrics_scrape import active, scrape, settled, total
from test_onboard_signup import NEW_NUMBER, PIN, Onboarding, onboarding_section, ring_phone, sign_up

CALLED = "447700900123"


def moved(before, after, name, **labels):
    """How far the sum of `name`'s samples with `labels` moved between two scrapes."""
    return total(after, name, **labels) - total(before, name, **labels)


class Watch:
    """Scrapes in the background and keeps the largest value each series reached
    (a registration or a port in use lives only while a call runs)."""

    def __init__(self, gw, names):
        self.gw, self.names, self.peak, self.running = gw, names, {}, True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            samples = scrape(self.gw)
            for name in self.names:
                self.peak[name] = max(self.peak.get(name, 0.0), samples.get(name, 0.0))
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.thread.join(timeout=5)
        return self.peak


def test_an_onboarded_number_is_labelled_by_name_and_its_inbound_call_counts_sip_both_ways(e2e, tmp_path):
    port = free_port(socket.SOCK_STREAM, both=False)
    gw, meta = e2e(sim_extra=("--registration-pin", PIN), sections=onboarding_section(port))
    api = Onboarding(port)
    before = scrape(gw)
    assert 'wagate_calls_started_total{direction="inbound",number="acme"}' not in before
    created, _ = sign_up(meta, api)
    signed = scrape(gw)
    for direction in ("inbound", "outbound"):
        assert signed[f'wagate_calls_started_total{{direction="{direction}",number="acme"}}'] == 0
        assert signed[f'wagate_calls_active{{direction="{direction}",number="acme"}}'] == 0
    # The per-number counters rendered beside the registry know the number too.
    assert signed['wagate_number_limit_total{number="acme",limit="calls"}'] == 0
    capacity = signed["wagate_rtp_ports_free"] + signed["wagate_rtp_ports_in_use"]
    acme_active = 'wagate_calls_active{direction="inbound",number="acme"}'
    watch = Watch(gw, ["wagate_registrations", "wagate_registered_users", "wagate_rtp_ports_in_use", acme_active])
    out, frequency, _ = ring_phone(gw, meta, tmp_path, "acme")
    assert f"from sip:+{WHATSAPP_USER}@" in out, out + gw.logs()[-3000:]
    assert frequency is not None and abs(frequency - 600) <= 10, (frequency, gw.logs()[-3000:])
    after = settled(gw, lambda s: active(s) == 0 and s["wagate_rtp_ports_in_use"] == 0
                    and moved(signed, s, "wagate_calls_ended_total") == 1)
    peak = watch.stop()

    assert after['wagate_calls_started_total{direction="inbound",number="acme"}'] == 1
    assert peak[acme_active] == 1 and after[acme_active] == 0, peak
    assert moved(signed, after, "wagate_calls_started_total", number="other") == 0
    assert moved(signed, after, "wagate_calls_ended_total", direction="inbound") == 1
    # The phone registered (challenged first), was sent the INVITE and answered it.
    assert moved(signed, after, "wagate_sip_requests_total", method="REGISTER", direction="in") >= 2
    assert moved(signed, after, "wagate_sip_responses_total", method="REGISTER", direction="out", **{"class": "4xx"}) >= 1
    assert moved(signed, after, "wagate_sip_responses_total", method="REGISTER", direction="out", **{"class": "2xx"}) >= 1
    assert moved(signed, after, "wagate_sip_requests_total", method="INVITE", direction="out") == 1
    assert moved(signed, after, "wagate_sip_responses_total", method="INVITE", direction="in", **{"class": "2xx"}) == 1
    assert moved(signed, after, "wagate_sip_requests_total", method="ACK", direction="out") == 1
    # One BYE ends the call, whichever side sends it, and is answered 200 the other way.
    bye_in = moved(signed, after, "wagate_sip_requests_total", method="BYE", direction="in")
    bye_out = moved(signed, after, "wagate_sip_requests_total", method="BYE", direction="out")
    assert bye_in + bye_out == 1, (bye_in, bye_out)
    answered_in = moved(signed, after, "wagate_sip_responses_total", method="BYE", direction="in", **{"class": "2xx"})
    answered_out = moved(signed, after, "wagate_sip_responses_total", method="BYE", direction="out", **{"class": "2xx"})
    assert (answered_in, answered_out) == (bye_out, bye_in)
    assert peak["wagate_registrations"] >= 1 and peak["wagate_registered_users"] >= 1, peak
    # Two legs with a pair each while the call ran; all of them free once it ended.
    assert peak["wagate_rtp_ports_in_use"] >= 2, peak
    assert after["wagate_rtp_ports_free"] == capacity

    # Removed, the number takes no calls: Meta's webhook for it counts as an unknown number.
    status, _ = api.request("DELETE", f"/onboarding/numbers/{created['phone_number_id']}")
    assert status in (200, 204), status
    removed = scrape(gw)
    meta.post(f"/control/users/{WHATSAPP_USER}/call", {"business_number": NEW_NUMBER})
    unknown = settled(gw, lambda s: s["wagate_webhook_unknown_number_total"]
                      > removed["wagate_webhook_unknown_number_total"])
    assert unknown["wagate_webhook_unknown_number_total"] - removed["wagate_webhook_unknown_number_total"] >= 1
    assert moved(removed, unknown, "wagate_calls_started_total") == 0
    assert total(unknown, "wagate_storage_errors_total") == 0


def test_an_answered_outbound_call_counts_sip_requests_and_responses_both_ways(e2e, tmp_path):
    gw, meta = e2e(media="echo")
    meta.grant(CALLED)
    before = settled(gw, lambda s: s.get("wagate_webhooks_received_total", 0) == s.get(
        "wagate_webhooks_verified_total", 0))

    def answer():
        call = meta.wait_for_call("ringing", CALLED)
        meta.post(f"/control/calls/{call['id']}/answer")
    threading.Thread(target=answer, daemon=True).start()
    code, out = sipp(gw, build(tmp_path / "call.xml", ["invite", "ringing", "answered", "pause:500", "bye"],
                               "answered"), service="+" + CALLED, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    after = settled(gw, lambda s: active(s) == 0 and moved(before, s, "wagate_calls_ended_total") == 1)

    def requests(method, direction):
        return moved(before, after, "wagate_sip_requests_total", method=method, direction=direction)

    def responses(method, status_class, direction):
        return moved(before, after, "wagate_sip_responses_total", method=method, direction=direction,
                     **{"class": status_class})
    # INVITE, 407, ACK (absorbed by the transaction layer), INVITE with digest, 180/183, 200, ACK, BYE, 200.
    assert requests("INVITE", "in") == 2
    # The gateway's own hops were timed once each.
    for hop in ("invite_to_connect", "connect_webhook_to_200"):
        assert moved(before, after, "wagate_setup_hop_seconds_count", hop=hop) == 1, hop
    assert responses("INVITE", "4xx", "out") == 1
    # Every provisional SIPp got (sofia's 100 Trying to each INVITE, wagate's 180/183), counted once.
    provisionals = sum(log.read_text().count("\nSIP/2.0 1") for log in tmp_path.glob("*_messages.log"))
    assert provisionals >= 3 and responses("INVITE", "1xx", "out") == provisionals
    assert responses("INVITE", "2xx", "out") == 1
    assert requests("ACK", "in") == 1
    assert requests("BYE", "in") == 1
    assert responses("BYE", "2xx", "out") == 1
    # The call went to WhatsApp: no SIP request left wagate, and no response came back.
    assert sum(requests(m, "out") for m in ("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER")) == 0
    assert moved(before, after, "wagate_sip_responses_total", direction="in") == 0
    assert moved(before, after, "wagate_sip_auth_failures_total") == 0


def test_three_wrong_passwords_count_failures_and_a_lockout(make_gateway, tmp_path):
    gw = make_gateway()  # its own gateway: the lockout shuts 127.0.0.1 out
    before = scrape(gw)
    for attempt in range(3):
        sipp(gw, build(tmp_path / f"bad{attempt}.xml", ["invite", "final:407"], f"bad{attempt}"), service="+" + CALLED,
             password="wrong", tmp=tmp_path, timeout=10)
    # A response is counted just after sofia sends it: wait for the third 4xx too.
    after = settled(gw, lambda s: moved(before, s, "wagate_sip_auth_lockouts_total") >= 1 and moved(
        before, s, "wagate_sip_responses_total", method="INVITE", direction="out", **{"class": "4xx"}) >= 3)
    assert moved(before, after, "wagate_sip_auth_failures_total") >= 3
    assert moved(before, after, "wagate_sip_auth_lockouts_total") >= 1, gw.logs()[-2000:]
    assert moved(before, after, "wagate_sip_responses_total", method="INVITE", direction="out",
                 **{"class": "4xx"}) >= 3


def test_a_cancelled_call_counts_the_cancel_and_the_487_sofia_sends(e2e, tmp_path):
    gw, meta = e2e()
    meta.grant(CALLED)
    before = scrape(gw)
    code, out = sipp(gw, build(tmp_path / "cancel.xml", ["invite", "expect:180", "pause:300", "cancel"], "cancelled"),
                     service="+" + CALLED, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    after = settled(gw, lambda s: active(s) == 0 and moved(before, s, "wagate_calls_ended_total") == 1)
    assert moved(before, after, "wagate_sip_requests_total", method="CANCEL", direction="in") == 1
    assert moved(before, after, "wagate_sip_responses_total", method="CANCEL", direction="out",
                 **{"class": "2xx"}) == 1
    # 407 to the first INVITE, 487 to the cancelled one: each counted once.
    assert moved(before, after, "wagate_sip_responses_total", method="INVITE", direction="out",
                 **{"class": "4xx"}) == 2
    assert moved(before, after, "wagate_sip_responses_total", method="INVITE", direction="out",
                 **{"class": "2xx"}) == 0


def post_webhook(gw, body, signature):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    request = urllib.request.Request(f"http://127.0.0.1:{gw.http_port}/whatsapp/webhook", data=body, method="POST",
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def signed(body):
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def test_webhooks_refused_by_reason_and_a_repeated_event_counted_duplicate(e2e):
    gw, _ = e2e()
    before = settled(gw, lambda s: s.get("wagate_webhooks_received_total", 0) == s.get(
        "wagate_webhooks_verified_total", 0))
    event = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "900", "changes": [{
        "field": "calls", "value": {"messaging_product": "whatsapp", "metadata": {
            "display_phone_number": "15550001111", "phone_number_id": "100000000000001"},
            "calls": [{"id": "wacid.metgaps-repeat", "from": CALLED, "to": "15550001111", "event": "terminate",
                       "timestamp": "1800000000", "direction": "USER_INITIATED", "status": "COMPLETED"}]}}]}]}).encode()
    assert post_webhook(gw, event, None) == 401
    assert post_webhook(gw, event, "sha256=" + "0" * 64) == 403
    assert post_webhook(gw, b"not json", signed(b"not json")) == 400
    assert post_webhook(gw, event, signed(event)) == 200
    assert post_webhook(gw, event, signed(event)) == 200
    after = scrape(gw)
    for reason in ("missing_signature", "bad_signature", "malformed"):
        assert after[f'wagate_webhooks_rejected_total{{reason="{reason}"}}'] \
            - before[f'wagate_webhooks_rejected_total{{reason="{reason}"}}'] == 1, reason
    # The simulator's own webhooks may arrive meanwhile: at least these five, three of them verified.
    assert after["wagate_webhooks_received_total"] - before["wagate_webhooks_received_total"] >= 5
    assert after["wagate_webhooks_verified_total"] - before["wagate_webhooks_verified_total"] >= 3
    assert after["wagate_webhook_events_duplicate_total"] - before["wagate_webhook_events_duplicate_total"] == 1


def test_graph_outages_open_the_circuit_breaker_gauge(e2e, tmp_path):
    gw, meta = e2e(whatsapp_extra="circuit_breaker_failures = 1\ncircuit_breaker_open_time = 60\n")
    meta.grant(CALLED)
    before = scrape(gw)
    assert before["wagate_graph_circuit_state"] == 0
    meta.post("/control/faults", {"kind": "5xx", "count": 4})
    code, out = sipp(gw, build(tmp_path / "outage.xml", ["invite", "final:503"], "outage"), service="+" + CALLED,
                     tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    gw.wait_for_log("graph circuit breaker open")
    # The call's end is recorded just after its 503: wait for both.
    after = settled(gw, lambda s: s["wagate_graph_circuit_state"] == 1
                    and moved(before, s, "wagate_calls_ended_total") == 1)
    assert after["wagate_graph_circuit_state"] == 1
    failed = moved(before, after, "wagate_graph_requests_total", action="connect") \
        - moved(before, after, "wagate_graph_requests_total", action="connect", outcome="ok")
    assert failed >= 1
    assert moved(before, after, "wagate_calls_ended_total", direction="outbound") == 1


def test_numbers_added_or_renamed_by_reload_are_labelled_by_section_name_at_zero(e2e, tmp_path):
    gw, meta = e2e()
    assert 'wagate_calls_started_total{direction="inbound",number="frontdesk"}' not in scrape(gw)
    # The single number of [whatsapp] becomes section `main`, and `frontdesk` is added.
    text = re.sub(r"(?m)^(phone_number_id|business_number|access_token) = .*\n", "", gw.config.read_text())
    gw.config.write_text(text + "\n[main]\ntype = number\nphone_number_id = 100000000000001\n"
                         f"business_number = {BUSINESS}\naccess_token = {TOKEN}\n"
                         "\n[frontdesk]\ntype = number\nphone_number_id = 100000000000009\n"
                         "business_number = +15550002222\naccess_token = frontdesk-token\n")
    gw.proc.send_signal(signal.SIGHUP)
    logs = gw.wait_for_log("configuration reloaded")
    assert re.search(r"applied=\S*numbers", logs), logs[-3000:]
    reloaded = settled(gw, lambda s: 'wagate_calls_active{direction="inbound",number="frontdesk"}' in s)
    for direction in ("inbound", "outbound"):
        for number in ("main", "frontdesk"):
            assert reloaded[f'wagate_calls_started_total{{direction="{direction}",number="{number}"}}'] == 0
            assert reloaded[f'wagate_calls_active{{direction="{direction}",number="{number}"}}'] == 0
    # The next call on the renamed number counts under its new name.
    meta.grant(CALLED)
    assert "pending" in meta.post("/control/faults", {"code": 131026, "action": "connect"})
    code, out = sipp(gw, build(tmp_path / "call.xml", ["invite", "final:404"], "renamed"), service="+" + CALLED,
                     tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    after = settled(gw, lambda s: active(s) == 0 and moved(reloaded, s, "wagate_calls_ended_total") == 1)
    assert moved(reloaded, after, "wagate_calls_started_total", direction="outbound", number="main") == 1
    assert moved(reloaded, after, "wagate_calls_started_total", number="default") == 0
