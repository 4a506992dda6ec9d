"""Recording a live call through the admin API, against a real wagate: a
baresip phone plays 1000 Hz into an outbound call whose WhatsApp user (the Meta
simulator) plays 600 Hz; an operator starts the recording, waits until two
seconds of audio are on disk, stops it, and finds a valid stereo WAV with the
phone's tone on the left and the WhatsApp user's on the right. A restart writes
a second file and leaves the first alone; the CDR lists both. Unknown calls are
404, a gateway without a recording directory and an Opus pass-through call
answer 409, no token is 401."""
import socket
import threading
import wave

import numpy as np
import pytest

from baresip_peer import dominant_frequency, run_call
from conftest import free_port
from sipp_builder import build
from test_admin_api import E164, TOKEN, answer_when_ringing, api, start_phone, until


@pytest.fixture
def recording_gateway(e2e, monkeypatch, tmp_path):
    """Factory: a gateway with [admin] and the given [media] lines; returns (gw, meta, base URL)."""
    monkeypatch.setenv("WAGATE_ADMIN_TOKEN", TOKEN)

    def make(media=""):
        port = free_port(socket.SOCK_STREAM, both=False)
        gw, meta = e2e(sections=f"\n[admin]\nbind = 127.0.0.1:{port}\ntoken = ${{WAGATE_ADMIN_TOKEN}}\n{media}")
        return gw, meta, f"http://127.0.0.1:{port}"
    return make


def answered_call(base):
    """The live call once both legs answered."""
    calls = until(lambda: [c for c in api(base, "GET", "/api/v1/calls")[1]["calls"] if c["state"] == "answered"],
                  timeout=20)
    assert len(calls) == 1, calls
    return calls[0]


def ended_record(base, call_id):
    """The call's CDR once its end is written (on the call's signalling lane, after the BYE)."""
    def ended():
        status, record = api(base, "GET", f"/api/v1/cdrs/{call_id}")
        return record if status == 200 and record.get("end_at") else None
    return until(ended, timeout=20)


def wav_header(path):
    """(channels, sample width, rate, frames) after checking the RIFF sizes match the file."""
    data = open(path, "rb").read()
    assert data[:4] == b"RIFF" and data[8:16] == b"WAVEfmt ", data[:44]
    assert int.from_bytes(data[4:8], "little") == len(data) - 8, "RIFF size patched on stop"
    assert int.from_bytes(data[40:44], "little") == len(data) - 44, "data size patched on stop"
    with wave.open(str(path)) as w:
        return w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()


def wait_for_seconds_on_disk(path, seconds, timeout=15):
    """Waits until the recording holds `seconds` of audio (the recorder writes a second at a time)."""
    def enough():
        with open(path, "rb") as f:
            header = f.read(44)
            size = f.seek(0, 2)
        rate = int.from_bytes(header[24:28], "little") if len(header) == 44 else 0
        return rate and size >= 44 + seconds * rate * 4
    until(enough, timeout=timeout)


def channel_tones(path):
    """The dominant frequency of each channel."""
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(float)
    return dominant_frequency(samples[0::2], rate)[0], dominant_frequency(samples[1::2], rate)[0]


def log_line(gw, message):
    """The `key=value` fields of the log line carrying `message` (paths hold no spaces)."""
    gw.wait_for_log(message)
    line = next(line for line in gw.logs().splitlines() if message in line)
    return dict(token.split("=", 1) for token in line.split() if "=" in token)


def test_operator_records_a_live_call_twice_and_both_tones_are_in_each_file(recording_gateway, tmp_path):
    directory = tmp_path / "recordings"
    directory.mkdir()
    gw, meta, base = recording_gateway(f"[media]\nrecording = on_demand\nrecording_path = {directory}\n")
    answer_when_ringing(meta)
    phone = {}
    thread = threading.Thread(target=lambda: phone.update(out=run_call(
        tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
        f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=12, tone_hz=1000)[0]), daemon=True)
    thread.start()
    call = answered_call(base)
    call_id = call["call_id"]
    assert list(directory.iterdir()) == [], "on demand: nothing recorded before the operator asks"

    assert api(base, "POST", f"/api/v1/calls/{call_id}/recording", token=None)[0] == 401
    assert api(base, "POST", "/api/v1/calls/wg-nope/recording") == (404, {"error": "no live call wg-nope"})
    status, started = api(base, "POST", f"/api/v1/calls/{call_id}/recording")
    assert status == 200 and started["recording"] is True and started["call_id"] == call_id, started
    first = started["path"]
    assert first.startswith(f"{directory}/{call_id}-") and first.endswith(".wav"), first
    line = log_line(gw, "call recording started")
    assert line["call_id"] == call_id and line["wacid"] == call["wacid"], line
    assert line["sip_call_id"] == call["sip_call_id"] and line["path"] == first, line

    wait_for_seconds_on_disk(first, 2)
    assert api(base, "DELETE", f"/api/v1/calls/{call_id}/recording") == (
        200, {"call_id": call_id, "recording": False, "path": first})
    assert log_line(gw, "call recording stopped")["path"] == first
    channels, width, rate, frames = wav_header(first)
    assert channels == 2 and width == 2 and frames >= 2 * rate, (channels, width, rate, frames)
    left, right = channel_tones(first)
    assert left is not None and abs(left - 1000) <= 15, ("the phone's tone on the left", left)
    assert right is not None and abs(right - 600) <= 15, ("the WhatsApp user's tone on the right", right)
    assert api(base, "DELETE", f"/api/v1/calls/{call_id}/recording") == (
        409, {"error": f"call {call_id} is not being recorded"})

    size = len(open(first, "rb").read())
    status, restarted = api(base, "POST", f"/api/v1/calls/{call_id}/recording")
    second = restarted["path"]
    assert status == 200 and second == first[:-len(".wav")] + "-2.wav", restarted
    wait_for_seconds_on_disk(second, 1)
    assert api(base, "DELETE", f"/api/v1/calls/{call_id}/recording")[0] == 200
    assert len(open(first, "rb").read()) == size, "a restart never touches the first file"
    assert wav_header(second)[0] == 2
    left, right = channel_tones(second)
    assert abs(left - 1000) <= 15 and abs(right - 600) <= 15, (left, right)

    thread.join(timeout=30)
    assert "Call established" in phone.get("out", ""), phone
    record = ended_record(base, call_id)
    assert record["recording_path"] == f"{first} {second}", record


def test_without_a_recording_directory_a_start_is_409(recording_gateway, tmp_path):
    gw, meta, base = recording_gateway()
    answer_when_ringing(meta)
    phone = start_phone(gw, build(tmp_path / "held.xml", ["invite", "ringing", "answered", "expect_bye"], "held"),
                        tmp_path)
    try:
        call = answered_call(base)
        assert api(base, "POST", f"/api/v1/calls/{call['call_id']}/recording") == (409, {
            "error": "recording is off: set [media] recording = on_demand (or yes) and recording_path"})
        assert api(base, "DELETE", f"/api/v1/calls/{call['call_id']}") == (204, None)
        assert phone.wait(timeout=15) == 0, phone.stdout.read().decode()
    finally:
        if phone.poll() is None:
            phone.kill()
    assert "call recording started" not in gw.logs()


def test_an_opus_pass_through_call_has_no_audio_to_record(recording_gateway, tmp_path):
    directory = tmp_path / "recordings"
    directory.mkdir()
    # Only Opus on the SIP side: the phone's Opus is forwarded to WhatsApp undecoded.
    gw, meta, base = recording_gateway(
        f"[media]\ncodecs = opus\nrecording = on_demand\nrecording_path = {directory}\n")
    answer_when_ringing(meta)
    phone = {}
    thread = threading.Thread(target=lambda: phone.update(out=run_call(
        tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
        f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=6, tone_hz=1000, codec="opus",
        extra_config="module opus.so")[0]), daemon=True)
    thread.start()
    call = answered_call(base)
    assert api(base, "POST", f"/api/v1/calls/{call['call_id']}/recording") == (
        409, {"error": "pass-through call: no decoded audio to record"})
    thread.join(timeout=30)
    assert "Call established" in phone.get("out", ""), phone
    assert list(directory.iterdir()) == []
    record = ended_record(base, call['call_id'])
    assert record["sip_codec"] == "opus" and record.get("recording_path") is None, record
