"""Prometheus `/metrics` after scripted calls through a real wagate and a
standalone Meta simulator: an outbound call answered with audio (baresip, the
tone heard back), one the WhatsApp user rejects, and one whose `connect` fails
with a Graph error injected through the simulator's fault control. Each test
scrapes before and after and checks the DELTAS of the series it should move.
The Grafana dashboard in docs/ must only query series `/metrics` exposes."""
import json
import os
import re
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from baresip_peer import dominant_frequency, run_call
from conftest import Gateway, free_port, sipp
from meta_simulator import MetaSimulator
from sipp_builder import build

USER = "447700900123"
E164 = "+" + USER
DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json"
SERIES = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$")


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """One simulator echoing the business's audio and one wagate for the module."""
    tmp = tmp_path_factory.mktemp("metrics")
    http = free_port(socket.SOCK_STREAM, both=False)
    meta = MetaSimulator(tmp, http, media="echo")
    gw = None
    try:
        gw = Gateway(tmp, whatsapp=meta.whatsapp_section(), http_port=http,
                     extra_sections="[inbound]\ntarget = user:alice\nring_timeout = 10\n")
        meta.grant(USER)
        yield gw, meta
    finally:
        if gw is not None:
            gw.stop()
        meta.stop()


def scrape(gw):
    """Every sample of `/metrics` as {'name{labels}': value}."""
    with urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5) as response:
        text = response.read().decode()
    samples = {}
    for line in text.splitlines():
        match = SERIES.match(line)
        if match and not line.startswith("#"):
            samples[match.group(1) + (match.group(2) or "")] = float(match.group(3))
    return samples


def delta(before, after, series):
    return after.get(series, 0.0) - before.get(series, 0.0)


def total(samples, name, **labels):
    """The sum of `name`'s samples whose labels include `labels`."""
    wanted = [f'{key}="{value}"' for key, value in labels.items()]
    return sum(value for key, value in samples.items()
               if key.split("{")[0] == name and all(part in key for part in wanted))


def settled(gw, condition, timeout=20):
    """Scrapes until `condition(samples)` holds (the end of a call is recorded
    just after its BYE is answered), then returns the samples; fails with the
    call counters and the gateway's last log lines when it never holds."""
    deadline = time.time() + timeout
    while True:
        samples = scrape(gw)
        if condition(samples):
            return samples
        if time.time() > deadline:
            counters = {key: value for key, value in samples.items()
                        if key.startswith(("wagate_calls_", "wagate_call_mos_count", "wagate_webhooks_"))}
            pytest.fail(f"metrics did not settle within {timeout} s: {counters}\n{gw.logs()[-4000:]}")
        time.sleep(0.1)


def in_background(action):
    thread = threading.Thread(target=action, daemon=True)
    thread.start()
    return thread


def active(samples):
    return total(samples, "wagate_calls_active")


def webhooks_settled(samples):
    """No webhook between its arrival and its signature check (each is counted
    received first, then verified or rejected)."""
    return samples.get("wagate_webhooks_received_total", 0) == samples.get("wagate_webhooks_verified_total", 0) \
        + total(samples, "wagate_webhooks_rejected_total")


def test_an_answered_call_with_audio_moves_calls_setup_graph_webhook_and_quality_series(bench, tmp_path):
    gw, meta = bench
    before = settled(gw, webhooks_settled)

    def answer():
        call = meta.wait_for_call("ringing", USER)
        meta.post(f"/control/calls/{call['id']}/answer")
    in_background(answer)
    out, samples, rate = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
                                  f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=5, tone_hz=1000)
    assert "Call established" in out, out + gw.logs()[-3000:]
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, frequency
    after = settled(gw, lambda s: active(s) == 0 and webhooks_settled(s) and total(s, "wagate_call_mos_count",
                    leg="whatsapp") > total(before, "wagate_call_mos_count", leg="whatsapp"))

    assert total(after, "wagate_calls_started_total", direction="outbound") \
        - total(before, "wagate_calls_started_total", direction="outbound") == 1
    ended = {key: delta(before, after, key) for key in after
             if key.startswith("wagate_calls_ended_total") and delta(before, after, key)}
    assert total(after, "wagate_calls_ended_total", direction="outbound", cause="normal", code="none") \
        - total(before, "wagate_calls_ended_total", direction="outbound", cause="normal", code="none") == 1, \
        f"{ended}\n{gw.logs()[-4000:]}"
    assert active(after) == 0
    assert delta(before, after, 'wagate_call_setup_seconds_count{direction="outbound"}') == 1
    setup = delta(before, after, 'wagate_call_setup_seconds_sum{direction="outbound"}')
    assert 0 < setup < 10, setup
    assert delta(before, after, 'wagate_graph_requests_total{action="connect",outcome="ok"}') == 1
    assert delta(before, after, 'wagate_graph_request_duration_seconds_count{action="connect"}') == 1
    # Meta's webhooks for the call (ringing, connect with the answer, accepted, terminate), all signed.
    received = delta(before, after, "wagate_webhooks_received_total")
    assert received >= 2 and delta(before, after, "wagate_webhooks_verified_total") == received
    # One MOS per leg for the call, both good on loopback.
    for leg in ("sip", "whatsapp"):
        assert delta(before, after, f'wagate_call_mos_count{{leg="{leg}"}}') == 1, leg
        mos = delta(before, after, f'wagate_call_mos_sum{{leg="{leg}"}}')
        assert 3.5 < mos <= 4.5, (leg, mos)
        assert delta(before, after, f'wagate_call_loss_ratio_count{{leg="{leg}"}}') == 1
    assert total(after, "wagate_sip_requests_total", method="INVITE") \
        - total(before, "wagate_sip_requests_total", method="INVITE") >= 1
    assert total(after, "wagate_sip_requests_total", method="BYE") \
        - total(before, "wagate_sip_requests_total", method="BYE") == 1
    assert after["wagate_rtp_ports_in_use"] == 0
    assert after["wagate_rtp_ports_free"] > 0
    # WAGATE_METRICS_EXCERPT=PATH keeps the exposition after this call (for release notes).
    if os.environ.get("WAGATE_METRICS_EXCERPT"):
        with urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5) as response:
            Path(os.environ["WAGATE_METRICS_EXCERPT"]).write_bytes(response.read())


def test_a_call_the_user_rejects_is_counted_rejected(bench, tmp_path):
    gw, meta = bench
    before = scrape(gw)

    def reject():
        call = meta.wait_for_call("ringing", USER)
        meta.post(f"/control/calls/{call['id']}/reject")
    in_background(reject)
    code, out = sipp(gw, build(tmp_path / "call.xml", ["invite", "ringing", "final:603"], "rejected"),
                     service=E164, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    after = settled(gw, lambda s: total(s, "wagate_calls_ended_total", cause="rejected")
                    > total(before, "wagate_calls_ended_total", cause="rejected"))
    assert total(after, "wagate_calls_started_total", direction="outbound") \
        - total(before, "wagate_calls_started_total", direction="outbound") == 1
    assert total(after, "wagate_calls_ended_total", direction="outbound", cause="rejected") \
        - total(before, "wagate_calls_ended_total", direction="outbound", cause="rejected") == 1
    assert delta(before, after, 'wagate_call_setup_seconds_count{direction="outbound"}') == 0
    assert total(after, "wagate_calls_ended_total", cause="normal") == total(before, "wagate_calls_ended_total",
                                                                              cause="normal")
    assert active(after) == 0


def test_a_graph_failure_is_counted_with_metas_code(bench, tmp_path):
    gw, meta = bench
    before = scrape(gw)
    assert "pending" in meta.post("/control/faults", {"code": 131026, "action": "connect"})
    code, out = sipp(gw, build(tmp_path / "call.xml", ["invite", "final:404"], "graph"), service=E164, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    after = settled(gw, lambda s: total(s, "wagate_calls_ended_total", code="131026")
                    > total(before, "wagate_calls_ended_total", code="131026"))
    assert delta(before, after, 'wagate_graph_requests_total{action="connect",outcome="graph_error"}') == 1
    assert delta(before, after, 'wagate_graph_requests_total{action="connect",outcome="ok"}') == 0
    assert total(after, "wagate_calls_ended_total", direction="outbound", cause="whatsapp_error", code="131026") \
        - total(before, "wagate_calls_ended_total", direction="outbound", cause="whatsapp_error", code="131026") == 1
    assert delta(before, after, 'wagate_call_setup_seconds_count{direction="outbound"}') == 0
    assert after["wagate_graph_circuit_state"] == 0
    assert active(after) == 0


def test_a_wrong_password_counts_an_auth_failure(bench, tmp_path):
    gw, _ = bench
    before = scrape(gw)
    code, _ = sipp(gw, build(tmp_path / "call.xml", ["invite", "final:407"], "badauth"), service=E164,
                   password="wrong", tmp=tmp_path, timeout=10)
    after = settled(gw, lambda s: s.get("wagate_sip_auth_failures_total", 0)
                    > before.get("wagate_sip_auth_failures_total", 0))
    assert delta(before, after, "wagate_sip_auth_failures_total") >= 1, (code, gw.logs()[-2000:])


def dashboard_metric_names():
    """Every `wagate_…` name the dashboard's queries use, without histogram suffixes."""
    dashboard = json.loads(DASHBOARD.read_text())
    exprs = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("expr"), str):
                exprs.append(node["expr"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(dashboard)
    assert exprs, "the dashboard has no queries"
    return {name for expr in exprs for name in re.findall(r"\bwagate_[a-z0-9_]+", expr)}


def test_the_grafana_dashboard_only_queries_series_metrics_exposes(bench):
    gw, _ = bench
    exposed = {key.split("{")[0] for key in scrape(gw)}
    missing = sorted(name for name in dashboard_metric_names() if name not in exposed)
    assert not missing, missing
