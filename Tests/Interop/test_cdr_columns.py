"""Complete call detail records end to end: a real wagate, the standalone Meta
simulator with real WebRTC media, baresip as the phone and SIPp as a trunk.
After an outbound and an inbound call with audio (checked by tone) every
column that such a call has is filled, and the ones it cannot have are empty;
a trunk's 404 is recorded as `not_found`; `wagate calls` filters and exports
CSV and JSON through the same query layer as the admin API."""
import csv
import io
import json
import subprocess
import threading
import time

from baresip_peer import dominant_frequency, run_call
from conftest import WAGATE, free_port, sipp
from sipp_builder import build, busy_uas, run_uas

USER = "447700900123"
E164 = "+" + USER

# Filled for every answered call with media, both directions.
ANSWERED = ["callID", "direction", "wacid", "caller", "callee", "sipParty", "phoneNumberID",
            "setupAt", "ringAt", "answerAt", "endAt", "endReason", "endedBy", "sipCodec", "whatsappCodec",
            "recordingPath", "waPhone"]
LEG = ["packetsSent", "packetsReceived", "packetsLost", "jitterMs", "mos"]


def calls(gw, *args):
    """`wagate calls` output, bytes decoded but line ends kept (CSV's CRLF)."""
    result = subprocess.run([str(WAGATE), "calls", "--config", str(gw.config), "--log-level", "error", *args],
                            capture_output=True, timeout=20)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.decode()


def rows(gw, *args):
    return [json.loads(line) for line in calls(gw, "--json", *args).splitlines() if line.startswith("{")]


def finished(gw, count, timeout=15):
    """The CDRs once `count` calls have ended and their media figures are in."""
    deadline = time.time() + timeout
    while True:
        done = [row for row in rows(gw) if row.get("endAt") and (row.get("sipCodec") or not row.get("answerAt"))]
        if len(done) >= count:
            return done
        assert time.time() < deadline, f"{len(done)} of {count} finished CDRs: {rows(gw)}\n{gw.logs()[-3000:]}"
        time.sleep(0.1)


def recording(tmp_path):
    folder = tmp_path / "recordings"
    folder.mkdir()
    return f"[media]\nrecording = yes\nrecording_path = {folder}\n"


def check_answered(row, direction):
    missing = [column for column in ANSWERED if row.get(column) in (None, "")]
    assert not missing, (missing, row)
    for leg in ("sipQuality", "whatsappQuality"):
        figures = row[leg]
        assert all(figures.get(name) is not None for name in LEG), (leg, row)
        assert figures["packetsSent"] > 50 and figures["packetsReceived"] > 50, (leg, row)
        assert 1 <= figures["mos"] <= 4.5, (leg, row)
    assert row["direction"] == direction and row["endReason"] == "normal", row
    assert row["whatsappCodec"] == "opus", row
    assert row["recordingPath"].endswith(".wav"), row
    # Nothing failed, so there is no SIP failure status, Meta error or trace id.
    for column in ("sipStatus", "metaErrorCode", "fbtraceID"):
        assert column not in row, (column, row)


def test_outbound_call_with_audio_fills_every_column(e2e, tmp_path):
    gw, meta = e2e(media="echo", sections=recording(tmp_path))

    def answer():
        call = meta.wait_for_call("ringing", USER)
        meta.post(f"/control/calls/{call['id']}/answer")
    threading.Thread(target=answer, daemon=True).start()
    out, samples, rate = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
                                  f"sip:{E164}@127.0.0.1:{gw.sip_port}", seconds=6, tone_hz=1000)
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, out, gw.logs()[-3000:])
    [row] = finished(gw, 1)
    check_answered(row, "outbound")
    assert (row["caller"], row["callee"], row["sipParty"], row["sipFromUser"]) == \
        ("user:alice", E164, "user:alice", "alice"), row
    assert row["sipCallID"], row
    assert row["permissionState"] in ("permanent", "temporary"), row
    assert row["endedBy"] == "sip", "baresip hung up"


def test_inbound_call_with_audio_fills_every_column(e2e, tmp_path):
    gw, meta = e2e(media="echo", sections=recording(tmp_path))

    def call_in():
        gw.wait_for_log("registered", timeout=20)
        meta.post(f"/control/users/{USER}/call", {"name": "Test User"})
    threading.Thread(target=call_in, daemon=True).start()
    out, samples, rate = run_call(tmp_path / "bs", f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret;"
                                  "answermode=auto", None, seconds=8, tone_hz=1000, register=True)
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, out, gw.logs()[-3000:])
    [row] = finished(gw, 1)
    check_answered(row, "inbound")
    assert (row["caller"], row["callee"], row["waProfileName"]) == (E164, "user:alice", "Test User"), row
    # Permission and the From user belong to calls from the SIP side. The
    # answering fork's Call-ID is chosen inside the SIP stack and not reported
    # to call control, so an inbound row has no sipCallID yet.
    assert "permissionState" not in row and "sipFromUser" not in row, row


def test_a_trunks_404_is_recorded_as_not_found_and_calls_filters_and_exports(e2e, tmp_path):
    uas_port = free_port()
    trunk = f"\n[pbx]\ntype = trunk\nhost = 127.0.0.1\nport = {uas_port}\nmatch = 127.0.0.1/32\n" \
            f"match_port = {free_port()}\nallow = +44*\n"
    gw, meta = e2e(sections=trunk, inbound="[inbound]\ntarget = trunk:pbx\nring_timeout = 10\n")
    scenario = busy_uas(tmp_path / "trunk_404.xml", [("ruri", 'regexp="^INVITE sip:" search_in="msg"')],
                        status="404 Not Found")
    code, out = run_uas(scenario, uas_port, tmp_path, lambda: meta.post(f"/control/users/{USER}/call", {}))
    assert code == 0, out
    meta.wait_for_call("ended", USER)
    [row] = finished(gw, 1)
    assert (row["endReason"], row["sipStatus"], row["endedBy"]) == ("not_found", 404, "sip"), row
    assert "answerAt" not in row, row
    assert row["whatsappCodec"] == "opus" and row["whatsappQuality"] == {}, "no figures for a leg without packets"

    # Filters: the failed call is found by --failed, by its caller and by --since; not by another caller.
    assert [r["callID"] for r in rows(gw, "--failed")] == [row["callID"]]
    assert [r["callID"] for r in rows(gw, "--caller", E164, "--since", "1h")] == [row["callID"]]
    assert rows(gw, "--caller", "+15550000000") == []
    assert rows(gw, "--since", "2999-01-01") == []
    assert [r["callID"] for r in rows(gw, "--number", row["phoneNumberID"])] == [row["callID"]]
    # CSV: RFC 4180, a header and one row; the +E164 caller is defused for spreadsheets.
    text = calls(gw, "--csv", "--failed")
    assert text.endswith("\r\n"), repr(text)
    [record] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert record["call_id"] == row["callID"] and record["end_reason"] == "not_found", record
    assert record["sip_status"] == "404" and record["caller"] == "'" + E164, record
    assert "in progress" not in calls(gw, "--failed")


def test_a_graph_failure_records_metas_code_and_fbtrace_id(e2e, tmp_path):
    gw, meta = e2e()
    meta.post("/control/faults", {"kind": "5xx", "count": 3})
    scenario = build(tmp_path / "graph_5xx.xml", ["invite", "final:503"], "graph_5xx")
    code, out = sipp(gw, scenario, service=E164, tmp=tmp_path)
    assert code == 0, out
    [row] = finished(gw, 1)
    assert (row["endReason"], row["sipStatus"], row["endedBy"]) == ("whatsapp_error", 503, "whatsapp"), row
    assert isinstance(row.get("metaErrorCode"), int) and row.get("fbtraceID"), row
    assert row["permissionState"] in ("permanent", "temporary"), row
