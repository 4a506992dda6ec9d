"""SIP-mode configuration with the real binary: `wagate check-config` judges
signalling keys and the TLS certificate's names (exit status and the error
text), and a SIP-mode number's password comes from Meta's settings, read with
`GET /{id}/settings?include_sip_credentials=true`: printed by `wagate whatsapp
sip-credentials` (masked unless asked) against the sandbox simulator, fetched
at start in cloud mode from a standalone simulator, and a start without it
refused with the number named."""
import json
import os
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import WAGATE, free_port
from meta_simulator import TOKEN, MetaSimulator

DOMAIN = "sip.example.com"
NUMBER_ID = "100000000000001"


def post_json(port, path, body):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


def meta_password(port):
    """The password the simulated Meta gives for the number, asked as wagate asks."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v23.0/{NUMBER_ID}/settings?include_sip_credentials=true",
        headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["calling"]["sip"]["servers"][0]["sip_user_password"]


def wagate(*args, timeout=60):
    """Runs wagate with SALES_SIP (the `${VAR}` of SALES' sip_password) in its environment."""
    return subprocess.run([str(WAGATE), *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env={**os.environ, "SALES_SIP": "sales-secret"})


@pytest.fixture
def certificate(tmp_path):
    """A certificate for sip.example.com and *.pbx.example.net, and its key."""
    cert, key = tmp_path / "sip.pem", tmp_path / "sip.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-days", "1", "-subj", "/CN=wagate test", "-addext",
                    f"subjectAltName=DNS:{DOMAIN},DNS:*.pbx.example.net", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def write_config(tmp_path, certificate, numbers, listen_tls=True):
    cert, key = certificate
    tls = f", tls:127.0.0.1:{free_port(socket.SOCK_STREAM, both=False)}" if listen_tls else ""
    path = tmp_path / "check.conf"
    path.write_text(f"""[general]
listen = udp:127.0.0.1:{free_port()}{tls}
tls_certificate = {cert}
tls_private_key = {key}

{numbers}
""")
    return path


SALES = f"""[sales]
type = number
phone_number_id = 111
business_number = +15550100000
signaling = sip
sip_domain = {DOMAIN}
sip_password = ${{SALES_SIP}}
"""


def test_check_config_accepts_covered_domains(tmp_path, certificate):
    support = "[support]\ntype = number\nphone_number_id = 222\nbusiness_number = +15550100001\n" \
              "signaling = sip\nsip_domain = desk.pbx.example.net\nsrtp = sdes\n"
    path = write_config(tmp_path, certificate, SALES + "\n" + support)
    result = wagate("check-config", str(path))
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_check_config_names_the_number_whose_domain_the_certificate_lacks(tmp_path, certificate):
    path = write_config(tmp_path, certificate, SALES.replace(DOMAIN, "other.example.org"))
    result = wagate("check-config", str(path))
    assert result.returncode == 1
    assert (f"{path}: sip_domain 'other.example.org' of [sales] is not covered by the TLS certificate "
            f"'{certificate[0]}', which has the names {DOMAIN}, *.pbx.example.net") in result.stderr


def test_check_config_reports_signalling_mistakes_at_their_lines(tmp_path, certificate):
    graph_with_sip_key = "[support]\ntype = number\nphone_number_id = 222\nbusiness_number = +15550100001\n" \
                         "sip_domain = sip.example.com\n"
    path = write_config(tmp_path, certificate, SALES + "\n" + graph_with_sip_key, listen_tls=False)
    result = wagate("check-config", str(path))
    assert result.returncode == 1
    assert f"{path}:10: [sales] has signaling = sip, which needs a tls: listener in [general] listen" in result.stderr
    assert f"{path}:18: 'sip_domain' needs signaling = sip in [support]" in result.stderr
    path = write_config(tmp_path, certificate, SALES.replace(f"sip_domain = {DOMAIN}\n", "srtp = zrtp\n"))
    result = wagate("check-config", str(path))
    assert result.returncode == 1
    assert "missing required key 'sip_domain' in [sales]" in result.stderr
    assert "bad value 'zrtp' for 'srtp' in [sales]: expected one of dtls, sdes" in result.stderr


def test_sip_credentials_from_the_sandbox_simulator(make_gateway, certificate):
    simulator = free_port(socket.SOCK_STREAM, both=False)
    gw = make_gateway(tls=certificate, whatsapp=f"mode = sandbox\nsimulator_listen = 127.0.0.1:{simulator}\n"
                      f"signaling = sip\nsip_domain = {DOMAIN}\nsip_password = sandbox-pass-1\n")
    result = wagate("whatsapp", "sip-credentials", "--config", str(gw.config))
    assert result.returncode == 0, result.stdout + result.stderr
    # The sandbox's simulated Meta starts a SIP-mode number with its SIP interface on.
    assert "SIP:       ENABLED" in result.stdout, result.stdout
    post_json(simulator, "/control/settings", {"calling": {"sip": {"status": "ENABLED", "servers": [
        {"hostname": DOMAIN, "port": gw.tls_port}]}}})
    masked = wagate("whatsapp", "sip-credentials", "--config", str(gw.config))
    assert masked.returncode == 0, masked.stdout + masked.stderr
    assert f"number default +15550100000 (phone number id {NUMBER_ID})" in masked.stdout
    assert "username:  15550100000" in masked.stdout
    assert "password:  ******** (--show-password prints it)" in masked.stdout
    assert "sandbox-pass-1" not in masked.stdout + masked.stderr
    shown = wagate("whatsapp", "sip-credentials", "--config", str(gw.config), "--number", "+15550100000",
                   "--show-password")
    assert "password:  sandbox-pass-1" in shown.stdout, shown.stdout + shown.stderr
    # Meta's SIP interface being on is what this number needs, not a fault.
    status = wagate("whatsapp", "status", "--config", str(gw.config))
    assert "SIP:                 ENABLED" in status.stdout and "sip_mode_enabled" not in status.stdout, status.stdout
    unknown = wagate("whatsapp", "sip-credentials", "--config", str(gw.config), "--number", "sales")
    assert unknown.returncode != 0 and "no SIP-mode number 'sales'" in unknown.stderr


def cloud_config(tmp_path, meta, certificate, http_port):
    cert, key = certificate
    path = tmp_path / "cloud.conf"
    path.write_text(f"""[general]
listen = udp:127.0.0.1:{free_port()}, tls:127.0.0.1:{free_port(socket.SOCK_STREAM, both=False)}
tls_certificate = {cert}
tls_private_key = {key}
[http]
listen = 127.0.0.1:{http_port}
[whatsapp]
{meta.whatsapp_section()}signaling = sip
sip_domain = {DOMAIN}
[storage]
database = {tmp_path}/cloud.sqlite
""")
    return path


def test_a_cloud_start_reads_the_password_from_meta_or_refuses(tmp_path, certificate):
    http = free_port(socket.SOCK_STREAM, both=False)
    meta = MetaSimulator(tmp_path, http)
    proc = None
    try:
        path = cloud_config(tmp_path, meta, certificate, http)
        refused = wagate("run", "--config", str(path), timeout=30)
        assert refused.returncode == 1
        assert (f"[default] (phone number id {NUMBER_ID}) has no sip_password and Meta's SIP credentials could "
                f"not be read: Meta's settings have SIP DISABLED") in refused.stderr
        meta.post("/control/settings", {"calling": {"sip": {"status": "ENABLED", "servers": [{"hostname": DOMAIN}]}}})
        log_path = tmp_path / "cloud.log"
        with open(log_path, "w") as log:
            proc = subprocess.Popen([str(WAGATE), "run", "--config", str(path), "--log-level", "debug"],
                                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            deadline = time.time() + 15
            while "SIP listening" not in log_path.read_text():
                assert proc.poll() is None, log_path.read_text()
                assert time.time() < deadline, log_path.read_text()
                time.sleep(0.05)
        logs = log_path.read_text()
        assert "SIP password read from Meta" in logs
        shown = wagate("whatsapp", "sip-credentials", "--config", str(path), "--show-password")
        assert shown.returncode == 0, shown.stdout + shown.stderr
        password = meta_password(meta.port)
        assert f"password:  {password}" in shown.stdout
        assert len(password) == 32 and password not in logs
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=20)
        meta.stop()
