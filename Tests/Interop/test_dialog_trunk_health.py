"""Trunk health against a real wagate: the OPTIONS keepalive marks a silent
trunk down (logged once, gauge 0, calls not sent there) and up again on its
first answer; a trunk that refuses wagate's credentials is logged once with the
trunk's name and the real cause, never sofia's internal 9xx code."""
import re
import subprocess
import urllib.request

from conftest import free_port
from sipp_builder import wait_until_listening

USER = "447700900123"
REPLY = "[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]SIPpTag07[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n"


def trunk_section(port, extra=""):
    return (f"[pbx]\ntype = trunk\nhost = 127.0.0.1\nport = {port}\nmatch = 127.0.0.1/32\n"
            f"match_port = {port}\nallow = +*\n{extra}")


def start_sipp(tmp_path, name, body, port, timeout=20):
    scenario = tmp_path / f"{name}.xml"
    scenario.write_text(f'<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="{name}">\n{body}</scenario>\n')
    process = subprocess.Popen(["sipp", "-sf", str(scenario), "-i", "127.0.0.1", "-p", str(port), "-m", "1",
                                "-timeout", f"{timeout}s", "-nostdin"], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_listening(process, port)
    return process


def stop(process):
    if process.poll() is None:
        process.kill()
    process.wait()


def gauge(gw):
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{gw.http_port}/metrics", timeout=5).read().decode()
    line = next((line for line in metrics.splitlines() if line.startswith('wagate_trunk_up{trunk="pbx"}')), None)
    return float(line.split()[-1]) if line else None


def test_silent_trunk_is_marked_down_skipped_and_up_again_when_it_answers(e2e, tmp_path):
    port = free_port()  # nothing listens: every probe fails at once (ICMP port unreachable)
    gw, meta = e2e(general="options_keepalive = 1\n", sections=trunk_section(port),
                   inbound="[inbound]\ntarget = trunk:pbx\nring_timeout = 10\n")
    assert gauge(gw) == 1
    logs = gw.wait_for_log("trunk down", timeout=10)
    assert "trunk=pbx" in logs and gauge(gw) == 0
    meta.post(f"/control/users/{USER}/call", {"name": "Test User"})
    meta.wait_for_call("ended", USER)
    assert "ringing SIP targets" not in gw.logs(), "no INVITE goes to a down trunk"
    answer = start_sipp(tmp_path, "options", f"""<recv request="OPTIONS"/>
<send><![CDATA[
SIP/2.0 200 OK
{REPLY}Content-Length: 0

]]></send>
""", port)
    try:
        gw.wait_for_log("trunk up", timeout=10)
        assert gauge(gw) == 1
    finally:
        stop(answer)
    assert gw.logs().count("trunk down") == 1, "each transition is logged once"


def test_refused_credentials_are_logged_once_with_the_trunk_and_the_cause(e2e, tmp_path):
    port = free_port()
    gw, meta = e2e(sections=trunk_section(port, "remote_username = wagate-out\nremote_secret = wrong-secret\n"),
                   inbound="[inbound]\ntarget = trunk:pbx\nring_timeout = 10\n")
    challenge = f"""<recv request="INVITE"/>
<send><![CDATA[
SIP/2.0 401 Unauthorized
{REPLY}WWW-Authenticate: Digest realm="pbx.example", nonce="[pid]n[call_number]", algorithm=MD5
Content-Length: 0

]]></send>
<recv request="ACK"/>
"""
    pbx = start_sipp(tmp_path, "refuse", challenge * 3, port)
    try:
        meta.post(f"/control/users/{USER}/call", {"name": "Test User"})
        meta.wait_for_call("ended", USER, timeout=15)
        logs = gw.wait_for_log("trunk call failed")
    finally:
        stop(pbx)
    failures = [line for line in logs.splitlines() if "trunk call failed" in line]
    assert len(failures) == 1, failures
    assert "trunk=pbx" in failures[0] and "authentication failed" in failures[0], failures[0]
    assert "warning" in failures[0]
    # As a status of its own (an SSRC or a wacid may contain the digits).
    assert not re.search(r"(?<![0-9A-Za-z])904(?![0-9A-Za-z])", logs) and "No matching challenge" not in logs, \
        "sofia's internal code is never the cause"
