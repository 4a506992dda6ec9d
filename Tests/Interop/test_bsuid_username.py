"""A WhatsApp user with a username, whom Meta names only by a business-scoped
user id (BSUID), end to end against a real wagate and the standalone Meta
simulator: the INVITE a trunk (SIPp) gets shows the BSUID with the username as
display name and carries X-WA-BSUID, X-WA-Parent-BSUID and X-WA-Username; a
phone (baresip) hears the user, calls the BSUID it displayed back and reaches
the same user (the simulator sees a connect to that BSUID), with audio both
ways checked by tone; the CDRs hold every identifier."""
import json
import subprocess
import threading
import time

from baresip_peer import dominant_frequency, run_call
from conftest import WAGATE, free_port
from sipp_builder import busy_uas, run_uas

BSUID = "US.13491208655302741918"
PARENT = "US.ENT.11815799212886844830"
USERNAME = "bob.example"
IDENTITY = {"name": "Bob Example", "username": USERNAME, "parent_bsuid": PARENT}


def trunk_section(uas_port):
    """Trunk `pbx` with caller rewrites, which apply to numbers, never to a BSUID."""
    return f"""
[pbx]
type = trunk
host = 127.0.0.1
port = {uas_port}
match = 127.0.0.1/32
match_port = {free_port()}
allow = +44*
outbound_strip = 1
outbound_prefix = 00
dial = 100
"""


def cdrs(gw, count, timeout=10):
    """The gateway's call records (`wagate calls --json`), once `count` of them have ended."""
    deadline = time.time() + timeout
    while True:
        result = subprocess.run([str(WAGATE), "calls", "--config", str(gw.config), "--json", "--log-level", "error"],
                                capture_output=True, text=True, timeout=20)
        rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        ended = [row for row in rows if row.get("endAt")]
        if len(ended) >= count:
            return ended
        if time.time() > deadline:
            raise AssertionError(f"{len(ended)} ended CDRs of {count}: {result.stdout}{result.stderr}")
        time.sleep(0.1)


def test_username_only_caller_reaches_a_trunk_as_bsuid_with_x_wa_headers(e2e, tmp_path):
    uas_port = free_port()
    gw, meta = e2e(sections=trunk_section(uas_port), inbound="[inbound]\ntarget = trunk:pbx\nring_timeout = 10\n")
    named = f'\\"{USERNAME}\\" &lt;sip:{BSUID}@'
    scenario = busy_uas(tmp_path / "trunk_uas.xml", [
        ("from", f'regexp="^ *{named}" search_in="hdr" header="From:"'),
        ("pai", f'regexp="^ *{named}" search_in="hdr" header="P-Asserted-Identity:"'),
        ("bsuid", f'regexp="^ *{BSUID}$" search_in="hdr" header="X-WA-BSUID:"'),
        ("parent", f'regexp="^ *{PARENT}$" search_in="hdr" header="X-WA-Parent-BSUID:"'),
        ("username", f'regexp="^ *{USERNAME}$" search_in="hdr" header="X-WA-Username:"')])
    placed = {}
    code, out = run_uas(scenario, uas_port, tmp_path,
                        lambda: placed.update(meta.post(f"/control/users/{BSUID}/call", IDENTITY)))
    assert placed.get("user") == BSUID, placed
    assert code == 0, "From, PAI and X-WA-* name the user by BSUID\n" + out
    meta.wait_for_call("ended", BSUID)  # the trunk's 486 ends the WhatsApp call
    [row] = cdrs(gw, 1)
    assert (row["caller"], row["waBSUID"], row["waParentBSUID"], row["waUsername"], row["waProfileName"]) == \
        (BSUID, BSUID, PARENT, USERNAME, "Bob Example"), row
    assert "waPhone" not in row, row


def test_phone_hears_a_username_only_caller_and_calls_the_bsuid_back(e2e, tmp_path):
    gw, meta = e2e(media="echo")
    account = f"<sip:alice@127.0.0.1:{gw.sip_port}>;auth_pass=alice-secret"

    def call_in():
        gw.wait_for_log("registered", timeout=20)  # baresip registers first
        meta.post(f"/control/users/{BSUID}/call", IDENTITY)
    threading.Thread(target=call_in, daemon=True).start()
    out, samples, rate = run_call(tmp_path / "in", account + ";answermode=auto", None, seconds=9, tone_hz=1000,
                                  register=True)
    assert f"sip:{BSUID}@" in out, "the phone is shown the BSUID\n" + out
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10, "the phone's tone came back through WhatsApp\n" + \
        str(frequency) + gw.logs()[-3000:]
    meta.wait_for_call("ended", BSUID)

    # The phone dials what it displayed; the user, who has granted permission, answers.
    meta.post(f"/control/users/{BSUID}/permission", {"permanent": True, "notify": False})

    def answer():
        call = meta.wait_for_call("ringing", BSUID, timeout=20)
        meta.post(f"/control/calls/{call['id']}/answer")
    threading.Thread(target=answer, daemon=True).start()
    out, samples, rate = run_call(tmp_path / "out", account, f"sip:{BSUID}@127.0.0.1:{gw.sip_port}", seconds=7,
                                  tone_hz=1000)
    assert "Call established" in out, out + gw.logs()[-3000:]
    frequency, rms = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 1000) <= 10 and rms > 1000, (frequency, gw.logs()[-3000:])
    back = [call for call in meta.calls() if call["direction"] == "BUSINESS_INITIATED"]
    assert [call["user"] for call in back] == [BSUID], "connect reached the same user by BSUID\n" + str(meta.calls())
    rows = cdrs(gw, 2)
    assert sorted(row["direction"] for row in rows) == ["inbound", "outbound"], rows
    for row in rows:
        assert row["waBSUID"] == BSUID and row["waUsername"] == USERNAME and row["waParentBSUID"] == PARENT, row
