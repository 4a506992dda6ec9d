"""The product end to end: SIP phones (SIPp, baresip) ↔ wagate ↔ a standalone
Meta simulator (`wagate simulate serve`, signed webhooks, real WebRTC media for
the WhatsApp user). wagate runs in cloud mode against it. Audio is checked by
the frequency heard at the far end."""
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request

import numpy as np
import pytest

from baresip_peer import dominant_frequency, run_call
from conftest import Gateway, free_port, sipp, sipp_media_port
from sipp_builder import build

USER = "447700900123"
E164 = "+" + USER



def in_background(action):
    thread = threading.Thread(target=action, daemon=True)
    thread.start()
    return thread


def answer_when_ringing(meta, then=None, delay=0.3):
    def run():
        call = meta.wait_for_call("ringing", USER)
        time.sleep(delay)
        meta.post(f"/control/calls/{call['id']}/answer")
        if then:
            then(call)
    return in_background(run)


def scenario(tmp_path, name, *steps):
    return build(tmp_path / f"{name}.xml", steps, name)


# MARK: - Audio


def test_outbound_call_carries_audio_both_ways(e2e, tmp_path):
    gw, meta = e2e(media="echo")
    answer_when_ringing(meta)
    out, samples, rate = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
                                  f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=7, tone_hz=1000)
    assert "Call established" in out, out + gw.logs()
    frequency, rms = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, gw.logs())
    assert rms > 1000
    # The per-hop setup time wagate adds is exported for Prometheus.
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5).read().decode()
    for hop in ("invite_to_connect", "connect_webhook_to_200"):
        assert f'wagate_setup_hop_seconds_count{{hop="{hop}"}} 1' in metrics, metrics


@pytest.mark.parametrize("law", ["PCMU", "PCMA"])
def test_g711_phone_talks_to_a_g711_enabled_number_without_opus(e2e, tmp_path, law):
    """[whatsapp] additional_codecs: the offer to Meta lists the phone's law first,
    the (simulated) number takes it, and audio crosses both ways in G.711."""
    gw, meta = e2e(media="echo", sim_extra=("--additional-codecs", "pcmu,pcma"),
                   whatsapp_extra="additional_codecs = pcmu, pcma\n")
    answer_when_ringing(meta)
    out, samples, rate = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
                                  f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=7, tone_hz=1000, codec=law)
    assert "Call established" in out, out + gw.logs()
    frequency, rms = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, gw.logs())
    assert rms > 1000
    call = meta.calls()[0]
    payload_type = "0" if law == "PCMU" else "8"
    offer_m = next(line for line in call["business_sdp"].splitlines() if line.startswith("m=audio"))
    answer_m = next(line for line in call["user_sdp"].splitlines() if line.startswith("m=audio"))
    assert offer_m.split()[3] == payload_type and "111" in offer_m.split()[3:], offer_m
    assert answer_m.split()[3] == payload_type, answer_m


def test_early_media_ringback_is_heard_until_the_whatsapp_user_answers(e2e, tmp_path):
    """early_media = ringback: 183 with SDP, the E.180 425 Hz ringback in the call's
    stream while the user's phone rings, then the user's own 600 Hz tone."""
    gw, meta = e2e(media="tone:600", general="early_media = ringback\nringback_tone = eu\n")
    answer_when_ringing(meta, delay=3.0)
    out, samples, rate = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
                                  f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=8, tone_hz=1000)
    assert "Call established" in out, out + gw.logs()
    loud = np.flatnonzero(np.abs(samples) > 300)
    assert loud.size, "nothing heard\n" + out
    start = loud[0]
    ringing, _ = dominant_frequency(samples[start:start + rate // 2], rate)
    assert ringing is not None and abs(ringing - 425) <= 10, (ringing, out)
    answered, _ = dominant_frequency(samples[-rate:], rate)
    assert answered is not None and abs(answered - 600) <= 10, (answered, out)


def test_outbound_call_hears_the_whatsapp_user(e2e, tmp_path):
    gw, meta = e2e(media="tone:600")
    answer_when_ringing(meta)
    out, samples, rate = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
                                  f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=6, tone_hz=1000)
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 600) <= 10, (frequency, out)


def test_inbound_call_rings_the_phone_and_carries_audio_both_ways(e2e, tmp_path):
    gw, meta = e2e(media="echo")
    def call_in():
        gw.wait_for_log("registered", timeout=20)  # baresip registers first
        meta.post(f"/control/users/{USER}/call", {"name": "Test User"})
    in_background(call_in)
    out, samples, rate = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret;"
                                  "answermode=auto", None, seconds=9, tone_hz=1000, register=True)
    assert f"from sip:{E164}@" in out, "the caller's +E164 reaches the phone\n" + out
    assert 'callerDisplayName: Optional("Test User")' in gw.logs(), "the profile name is the display name"
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, gw.logs())
    # baresip's BYE reaches Meta as a terminate after baresip has exited: wait for it.
    call = meta.wait_for_state(meta.calls()[0]["id"], "ended")
    assert call.get("business_sdp"), call


# MARK: - Hang-ups and failures (SIPp)


def test_phone_hangs_up_first_and_whatsapp_call_is_terminated(e2e, tmp_path):
    gw, meta = e2e()
    answer_when_ringing(meta)
    code, out = sipp(gw, scenario(tmp_path, "bye", "invite", "ringing", "answered", "pause:1000", "bye"),
                     service=E164, tmp=tmp_path)
    assert code == 0, out
    meta.wait_for_state(meta.calls()[0]["id"], "ended")


def test_whatsapp_hangs_up_first_and_phone_gets_bye(e2e, tmp_path):
    gw, meta = e2e()
    answer_when_ringing(meta, then=lambda call: (time.sleep(1), meta.post(f"/control/calls/{call['id']}/hangup")))
    code, out = sipp(gw, scenario(tmp_path, "remote_bye", "invite", "ringing", "answered", "expect_bye"),
                     service=E164, tmp=tmp_path)
    assert code == 0, out + gw.logs()


def test_cancel_before_answer_terminates_the_whatsapp_call(e2e, tmp_path):
    gw, meta = e2e()
    code, out = sipp(gw, scenario(tmp_path, "cancel", "invite", "expect:180", "pause:500", "cancel"),
                     service=E164, tmp=tmp_path)
    assert code == 0, out
    meta.wait_for_state(meta.calls()[0]["id"], "ended")


def test_whatsapp_user_rejects_gives_603(e2e, tmp_path):
    gw, meta = e2e()
    def reject():
        call = meta.wait_for_call("ringing", USER)
        meta.post(f"/control/calls/{call['id']}/reject")
    in_background(reject)
    code, out = sipp(gw, scenario(tmp_path, "rejected", "invite", "ringing", "final:603"), service=E164, tmp=tmp_path)
    assert code == 0, out


def test_nobody_answers_gives_480(e2e, tmp_path):
    gw, meta = e2e(sim_extra=("--ring-timeout", "2"))
    code, out = sipp(gw, scenario(tmp_path, "unanswered", "invite", "ringing", "final:480"), service=E164, tmp=tmp_path)
    assert code == 0, out


def test_no_permission_gives_403_and_no_connect(e2e, tmp_path):
    gw, meta = e2e(grant=False)
    code, out = sipp(gw, scenario(tmp_path, "no_permission", "invite", "final:403"), service=E164, tmp=tmp_path)
    assert code == 0, out
    assert meta.calls() == [], "no connect may be sent without permission"


@pytest.mark.parametrize("fault", ["5xx", "timeout"])
def test_graph_failure_gives_503_and_leaves_nothing_dangling(e2e, tmp_path, fault):
    gw, meta = e2e()
    meta.post("/control/faults", {"kind": fault, "count": 3})
    code, out = sipp(gw, scenario(tmp_path, f"graph_{fault}", "invite", "final:503"), service=E164, tmp=tmp_path)
    assert code == 0, out
    deadline = time.time() + 10
    while not all(call["state"] == "ended" for call in meta.calls()) and time.time() < deadline:
        time.sleep(0.05)
    assert all(call["state"] == "ended" for call in meta.calls()), meta.calls()


def test_duplicated_and_reordered_webhooks_do_not_confuse_a_call(e2e, tmp_path):
    gw, meta = e2e(sim_extra=("--webhook-duplicates", "2", "--webhook-reorder"))
    answer_when_ringing(meta)
    code, out = sipp(gw, scenario(tmp_path, "dup", "invite", "ringing", "answered", "pause:1000", "bye"),
                     service=E164, tmp=tmp_path)
    assert code == 0, out + gw.logs()
    meta.wait_for_state(meta.calls()[0]["id"], "ended")


def test_bad_webhook_signature_is_refused_and_changes_nothing(e2e, tmp_path):
    import urllib.request
    gw, meta = e2e()
    body = (b'{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"calls","value":'
            b'{"messaging_product":"whatsapp","metadata":{"phone_number_id":"100000000000001"},"calls":[{"id":'
            b'"wacid.FORGED","event":"connect","direction":"USER_INITIATED","from":"447700900999","session":'
            b'{"sdp_type":"offer","sdp":"v=0"}}]}}]}]}')
    for header, expected in ((None, 401), ("sha256=" + "0" * 64, 403)):
        request = urllib.request.Request(f"http://127.0.0.1:{gw.http_port}/whatsapp/webhook", data=body, method="POST")
        request.add_header("Content-Type", "application/json")
        if header:
            request.add_header("X-Hub-Signature-256", header)
        try:
            urllib.request.urlopen(request, timeout=5)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        assert status == expected
    time.sleep(0.5)
    assert "wacid.FORGED" not in gw.logs().replace("webhook", ""), "no call state for a forged webhook"


def test_dtmf_both_ways(e2e, tmp_path):
    gw, meta = e2e()
    def press_on_whatsapp(call):
        time.sleep(1.0)
        meta.post(f"/control/calls/{call['id']}/dtmf", {"digits": "19#"})
    answer_when_ringing(meta, then=press_on_whatsapp)
    out, _, _ = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
                         f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=6, tone_hz=1000)
    # baresip prints "received event: 'K' (end=0)" when a digit starts and end=1 when it ends.
    heard = "".join(line.split("'")[1] for line in out.splitlines() if "received event" in line and "end=0" in line)
    assert heard == "19#", "the phone hears the WhatsApp user's keys once each, in order\n" + out

    answered = []
    answer_when_ringing(meta, then=answered.append)
    code, output = sipp(gw, scenario(tmp_path, "info", "invite", "ringing", "answered", "pause:800", "info:4",
                                     "pause:300", "info:2", "pause:1200", "bye"), service=E164, tmp=tmp_path)
    assert code == 0, output
    assert meta.get(f"/control/calls/{answered[0]['id']}/dtmf")["received"] == "42", "SIP INFO digits reach WhatsApp"


# MARK: - Process lifecycle


def test_kill_9_mid_call_then_restart_terminates_the_orphaned_whatsapp_call(e2e, tmp_path):
    gw, meta = e2e()
    answer_when_ringing(meta)
    path = scenario(tmp_path, "long", "invite", "ringing", "answered", "pause:30000", "bye")
    phone = subprocess.Popen(["sipp", f"127.0.0.1:{gw.sip_port}", "-sf", str(path), "-i", "127.0.0.1", "-p",
                              str(free_port()), "-mp", str(sipp_media_port()), "-m", "1", "-s", E164, "-auth_uri", f"{E164}@127.0.0.1:{gw.sip_port}", "-au", "alice",
                              "-ap", "alice-secret", "-nostdin", "-timeout", "40s"], cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        call = meta.wait_for_call("answered", USER)
        time.sleep(1)
        gw.proc.send_signal(signal.SIGKILL)
        gw.proc.wait()
        assert meta.get(f"/control/calls/{call['id']}")["state"] == "answered", "the call outlived the crash"
        again = Gateway(tmp_path, whatsapp=meta.whatsapp_section(),
                        extra_sections="[inbound]\ntarget = user:alice\n")
        try:
            meta.wait_for_state(call["id"], "ended", timeout=10)
            again.wait_for_log("calls of the previous run cleaned up")
        finally:
            again.stop()
    finally:
        phone.kill()


def test_sigterm_refuses_new_calls_then_drains_and_ends_calls_on_both_legs(e2e, tmp_path):
    gw, meta = e2e(general="drain_time = 3\n")
    answer_when_ringing(meta)
    path = scenario(tmp_path, "drained", "invite", "ringing", "answered", "expect_bye")
    phone = subprocess.Popen(["sipp", f"127.0.0.1:{gw.sip_port}", "-sf", str(path), "-i", "127.0.0.1", "-p",
                              str(free_port()), "-mp", str(sipp_media_port()), "-m", "1", "-s", E164, "-auth_uri", f"{E164}@127.0.0.1:{gw.sip_port}", "-au", "alice",
                              "-ap", "alice-secret", "-nostdin", "-timeout", "30s", "-timeout_error"], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    call = meta.wait_for_call("answered", USER)
    started = time.time()
    gw.proc.send_signal(signal.SIGTERM)
    gw.wait_for_log("draining calls")
    code, out = sipp(gw, scenario(tmp_path, "refused", "invite", "final:503"), service=E164, tmp=tmp_path)
    assert code == 0, "new calls get 503 while draining\n" + out
    assert phone.wait(timeout=20) == 0, phone.stdout.read().decode()
    assert time.time() - started >= 2.5, "active calls may finish during drain_time"
    assert gw.proc.wait(timeout=20) == 0
    meta.wait_for_state(call["id"], "ended")
