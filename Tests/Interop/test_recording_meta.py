"""Meta-side recording and transcription end to end: wagate asks Meta (the
standalone simulator) for the `recording` / `transcription` objects on connect
(a SIPp phone calls out) and on accept (a baresip phone answers a WhatsApp
user), and Meta's `call_recording_available` / `call_transcription_available`
webhook lands on the call's CDR, read back with `wagate calls`."""
import json
import subprocess
import threading
import time
import urllib.error
import urllib.request

from baresip_peer import run_call
from conftest import WAGATE, sipp
from meta_simulator import TOKEN
from sipp_builder import build

USER = "447700900123"
E164 = "+" + USER
PURPOSE = "quality assurance"
RECORDING = f"meta_recording = yes\nmeta_capture_purpose = {PURPOSE}\nmeta_announcement_language = en_GB\n"


def answer_when_ringing(meta):
    def run():
        call = meta.wait_for_call("ringing", USER)
        meta.post(f"/control/calls/{call['id']}/answer")
    threading.Thread(target=run, daemon=True).start()


def call_out(gw, meta, tmp_path):
    """A SIPp phone calls the WhatsApp user, who answers; the phone hangs up after a second."""
    answer_when_ringing(meta)
    steps = ("invite", "ringing", "answered", "pause:1000", "bye")
    code, out = sipp(gw, build(tmp_path / "out.xml", steps, "out"), service=E164, tmp=tmp_path)
    assert code == 0, out + gw.logs()[-3000:]
    return meta.wait_for_state(meta.calls()[0]["id"], "ended")


def cdr(gw, wacid):
    """The CDR with `wacid`, as `wagate calls --json` prints it."""
    out = subprocess.run([str(WAGATE), "calls", "--config", str(gw.config), "--json"], capture_output=True,
                         text=True, timeout=30, check=True).stdout
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    return next(row for row in rows if row.get("wacid") == wacid)


def test_recording_enabled_for_a_number_is_on_connect_and_its_result_lands_in_the_cdr(e2e, tmp_path):
    gw, meta = e2e(whatsapp_extra=RECORDING)
    call = call_out(gw, meta, tmp_path)
    assert call["recording"] == {"status": "ENABLED", "purpose": PURPOSE, "announcement_language": "en_GB"}, call
    assert "transcription" not in call, call
    gw.wait_for_log("meta result linked to the call record")
    row = cdr(gw, call["id"])
    assert row["metaRecording"]["status"] == "available", row
    assert row["metaRecording"]["mediaID"].isdigit() and row["metaRecording"]["url"].endswith(call["id"]), row
    assert row["metaTranscription"] == {}, row
    table = subprocess.run([str(WAGATE), "calls", "--config", str(gw.config)], capture_output=True, text=True,
                           timeout=30, check=True).stdout
    assert f"available:{row['metaRecording']['mediaID']}" in table, table
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5).read().decode()
    assert 'wagate_meta_recordings_total{kind="recording",status="available"} 1' in metrics, metrics


def test_the_numbers_recording_and_a_users_transcription_are_on_accept_of_a_call_that_rings_that_user(e2e, tmp_path):
    dave = "[dave]\ntype = user\nsecret = dave-secret\nallow = +*\nmeta_transcription = yes\n"
    gw, meta = e2e(whatsapp_extra=RECORDING, sections=dave, inbound="[inbound]\ntarget = user:dave\nring_timeout = 10\n")

    def call_in():
        gw.wait_for_log("registered", timeout=20)
        meta.post(f"/control/users/{USER}/call", {"name": "Test User"})
    threading.Thread(target=call_in, daemon=True).start()
    run_call(tmp_path / "bs", f"<sip:dave@127.0.0.1:{gw.sip_port}>;auth_pass=dave-secret;answermode=auto", None,
             seconds=4, register=True)
    call = meta.wait_for_state(meta.calls()[0]["id"], "ended")
    expected = {"status": "ENABLED", "purpose": PURPOSE, "announcement_language": "en_GB"}
    assert call["transcription"] == expected and call["recording"] == expected, call
    deadline = time.time() + 15
    while gw.logs().count("meta result linked to the call record") < 2 and time.time() < deadline:
        time.sleep(0.05)
    row = cdr(gw, call["id"])
    assert row["metaTranscription"]["status"] == "available" and row["metaTranscription"]["mediaID"], row
    assert row["metaRecording"]["status"] == "available" and row["metaRecording"]["mediaID"], row


def test_disabled_sends_no_object_and_the_cdr_has_no_result(e2e, tmp_path):
    gw, meta = e2e()
    call = call_out(gw, meta, tmp_path)
    assert "recording" not in call and "transcription" not in call, call
    row = cdr(gw, call["id"])
    assert row.get("metaRecording", {}) == {} and row.get("metaTranscription", {}) == {}, row
    assert "meta capture requested" not in gw.logs()


def test_a_result_for_an_unknown_call_is_counted_not_stored(e2e, tmp_path):
    gw, meta = e2e(whatsapp_extra=RECORDING)
    call = call_out(gw, meta, tmp_path)
    gw.wait_for_log("meta result linked to the call record")
    # Meta's result for another call: the simulator's delivery of a forged wacid.
    body = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "calls", "value": {
        "metadata": {"phone_number_id": "100000000000001"},
        "calls": [{"id": "wacid.NOT-A-CALL", "event": "call_recording_available",
                   "call_recording": {"type": "audio", "audio": {"id": "1", "url": "https://x.invalid/"}}}]}}]}]}
    post_signed_webhook(gw, body)
    gw.wait_for_log("meta result for an unknown call")
    assert cdr(gw, call["id"])["metaRecording"]["status"] == "available"


def post_signed_webhook(gw, body):
    import hashlib
    import hmac
    from meta_simulator import SECRET
    data = json.dumps(body).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), data, hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"http://127.0.0.1:{gw.http_port}/whatsapp/webhook", data=data, method="POST",
                                     headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


def test_simulator_refuses_an_enabled_recording_without_purpose_as_meta_does(e2e, tmp_path):
    _, meta = e2e()
    body = {"messaging_product": "whatsapp", "to": USER, "action": "connect",
            "session": {"sdp_type": "offer", "sdp": "v=0\r\na=fingerprint:sha-256 00\r\n"},
            "recording": {"status": "ENABLED", "announcement_language": "en_US"}}
    request = urllib.request.Request(f"http://127.0.0.1:{meta.port}/v23.0/100000000000001/calls",
                                     data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
    try:
        urllib.request.urlopen(request, timeout=5)
        raise AssertionError("accepted")
    except urllib.error.HTTPError as error:
        status, answer = error.code, json.loads(error.read())
    assert status == 400 and answer["error"]["code"] == 100, answer
    assert "purpose" in answer["error"]["error_data"]["details"], answer


def test_a_result_meta_never_sends_leaves_the_cdr_requested_and_one_without_media_is_empty(e2e, tmp_path):
    gw, meta = e2e(whatsapp_extra=RECORDING)
    assert meta.request("PUT", "/control/capture/policy", {"mode": "drop"}) == {"ok": True}
    dropped = call_out(gw, meta, tmp_path)
    assert cdr(gw, dropped["id"])["metaRecording"] == {"status": "requested"}

    assert meta.request("PUT", "/control/capture/policy", {"mode": "empty", "delay_ms": 50}) == {"ok": True}
    (tmp_path / "second").mkdir()
    empty = call_out(gw, meta, tmp_path / "second")
    gw.wait_for_log("meta result linked to the call record")
    assert cdr(gw, empty["id"])["metaRecording"] == {"status": "empty"}
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5).read().decode()
    assert 'wagate_meta_recordings_total{kind="recording",status="requested"} 2' in metrics, metrics
    assert 'wagate_meta_recordings_total{kind="recording",status="empty"} 1' in metrics, metrics
