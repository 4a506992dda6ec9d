"""Complete call detail records end to end: a real wagate, the standalone Meta
simulator with real WebRTC media, baresip as the phone and SIPp as a trunk.
After an outbound and an inbound call with audio (checked by tone) every
column that such a call has is filled, and the ones it cannot have are empty;
a trunk's 404 is recorded as `not_found`; `wagate calls` filters and exports
CSV and JSON through the same query layer as the admin API.

The answered calls last until both legs have an RTCP round-trip time (seen
through the admin API's live call), then baresip is told to hang up over its
ctrl_tcp socket, which also reports the SIP Call-ID baresip used."""
import csv
import io
import json
import socket
import subprocess
import threading
import time
import urllib.request

from baresip_peer import dominant_frequency, run_call
from conftest import WAGATE, free_port, sipp
from sipp_builder import build, busy_uas, run_uas

USER = "447700900123"
E164 = "+" + USER

# Filled for every answered call with media, both directions.
ANSWERED = ["callID", "direction", "wacid", "caller", "callee", "sipParty", "phoneNumberID",
            "setupAt", "ringAt", "answerAt", "endAt", "endReason", "endedBy", "sipCodec", "whatsappCodec",
            "recordingPath", "waPhone"]
LEG = ["packetsSent", "packetsReceived", "packetsLost", "jitterMs", "roundTripMs", "mos"]
TOKEN = "cdr-admin-token-0123456789abcdef"


class BaresipControl:
    """baresip's ctrl_tcp socket: its events (a call's `id` is the SIP Call-ID
    baresip used) and commands, as netstrings of JSON."""

    def __init__(self):
        self.port = free_port(socket.SOCK_STREAM, both=False)
        self.config = f"module_app ctrl_tcp.so\nctrl_tcp_listen 127.0.0.1:{self.port}\n"
        self.events = []
        self.sock = None

    def connect(self, timeout=15):
        deadline = time.time() + timeout
        while self.sock is None:
            try:
                self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=1)
            except OSError:
                assert time.time() < deadline, "baresip's ctrl_tcp never listened"
                time.sleep(0.05)
        self.sock.settimeout(0.2)
        self.buffer = b""

    def _read(self):
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return
        self.buffer += data
        while b":" in self.buffer:
            length, rest = self.buffer.split(b":", 1)
            if len(rest) < int(length) + 1:
                return
            self.events.append(json.loads(rest[:int(length)]))
            self.buffer = rest[int(length) + 1:]

    def wait_event(self, kinds, timeout=20):
        """The first event of one of `kinds`."""
        deadline = time.time() + timeout
        while True:
            found = [e for e in self.events if e.get("type") in kinds]
            if found:
                return found[0]
            assert time.time() < deadline, f"no {kinds} from baresip: {self.events}"
            self._read()

    def command(self, name):
        message = json.dumps({"command": name, "params": "", "token": name}).encode()
        self.sock.sendall(str(len(message)).encode() + b":" + message + b",")


def admin(monkeypatch):
    """An [admin] section (token from the environment) and its base URL."""
    monkeypatch.setenv("WAGATE_ADMIN_TOKEN", TOKEN)
    port = free_port(socket.SOCK_STREAM, both=False)
    return f"\n[admin]\nbind = 127.0.0.1:{port}\ntoken = ${{WAGATE_ADMIN_TOKEN}}\n", f"http://127.0.0.1:{port}"


def live_calls(base):
    request = urllib.request.Request(base + "/api/v1/calls", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())["calls"]


def call_until_both_rtts(gw, base, tmp_path, account, dial, **kwargs):
    """A baresip call (tone 1000 Hz) held until the live call shows a round-trip
    time on both legs, then hung up by baresip. Returns (output, samples, rate,
    baresip's first event of the call, the live call with both RTTs)."""
    control = BaresipControl()
    result = {}

    def run():
        result["call"] = run_call(tmp_path / "bs", account, dial, seconds=60, tone_hz=1000,
                                  extra_config=control.config, **kwargs)
    phone = threading.Thread(target=run, daemon=True)
    phone.start()
    control.connect()
    # An auto-answered call can be established before the socket is read:
    # any event of the call carries its id.
    established = control.wait_event(("CALL_ESTABLISHED", "CALL_RTPESTAB", "CALL_RTCP"), timeout=30)
    started = time.time()
    # RTCP every 5 s on each side: two report intervals at most, plus slack.
    deadline = time.time() + 25
    while True:
        calls = live_calls(base)
        legs = [(c, (c["sip"].get("quality") or {}).get("rtt_ms"),
                 ((c.get("whatsapp") or {}).get("quality") or {}).get("rtt_ms")) for c in calls]
        done = [c for c, sip_rtt, wa_rtt in legs if sip_rtt is not None and wa_rtt is not None]
        if done:
            break
        assert time.time() < deadline, f"no RTT on both legs: {calls}\n{gw.logs()[-3000:]}"
        time.sleep(0.2)
    print("both RTTs after", round(time.time() - started, 1), "s:", done[0]["sip"]["quality"],
          done[0]["whatsapp"]["quality"])
    control.command("quit")
    phone.join(timeout=60)
    assert "call" in result, "baresip did not quit"
    out, samples, rate = result["call"]
    return out, samples, rate, established, done[0]


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
        assert all(figures.get(name) is not None for name in LEG), (leg, figures, row)
        assert figures["packetsSent"] > 50 and figures["packetsReceived"] > 50, (leg, row)
        assert 1 <= figures["mos"] <= 4.5, (leg, row)
    assert row["direction"] == direction and row["endReason"] == "normal", row
    assert row["whatsappCodec"] == "opus", row
    assert row["recordingPath"].endswith(".wav"), row
    # Nothing failed, so there is no SIP failure status, Meta error or trace id.
    for column in ("sipStatus", "metaErrorCode", "fbtraceID"):
        assert column not in row, (column, row)


def test_outbound_call_with_audio_fills_every_column(e2e, tmp_path, monkeypatch):
    section, base = admin(monkeypatch)
    gw, meta = e2e(media="echo", sections=recording(tmp_path) + section)

    def answer():
        call = meta.wait_for_call("ringing", USER)
        meta.post(f"/control/calls/{call['id']}/answer")
    threading.Thread(target=answer, daemon=True).start()
    out, samples, rate, established, live = call_until_both_rtts(
        gw, base, tmp_path, f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret",
        f"sip:{E164}@127.0.0.1:{gw.sip_port}")
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, out, gw.logs()[-3000:])
    [row] = finished(gw, 1)
    check_answered(row, "outbound")
    assert (row["caller"], row["callee"], row["sipParty"], row["sipFromUser"]) == \
        ("user:alice", E164, "user:alice", "alice"), row
    assert row["sipCallID"] == established["id"] == live["sip_call_id"], (row, established, live)
    assert row["permissionState"] in ("permanent", "temporary"), row
    assert row["endedBy"] == "sip", "baresip hung up"


def test_inbound_call_with_audio_fills_every_column(e2e, tmp_path, monkeypatch):
    section, base = admin(monkeypatch)
    gw, meta = e2e(media="echo", sections=recording(tmp_path) + section)

    def call_in():
        gw.wait_for_log("registered", timeout=20)
        meta.post(f"/control/users/{USER}/call", {"name": "Test User"})
    threading.Thread(target=call_in, daemon=True).start()
    out, samples, rate, established, live = call_until_both_rtts(
        gw, base, tmp_path, f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret;answermode=auto", None,
        register=True)
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, (frequency, out, gw.logs()[-3000:])
    [row] = finished(gw, 1)
    check_answered(row, "inbound")
    assert (row["caller"], row["callee"], row["waProfileName"]) == (E164, "user:alice", "Test User"), row
    # Permission and the From user belong to calls from the SIP side.
    assert "permissionState" not in row and "sipFromUser" not in row, row
    # The Call-ID is the one of the INVITE fork baresip answered, as baresip saw it.
    assert row["sipCallID"] == established["id"] == live["sip_call_id"], (row, established, live)


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
