"""`make run`'s sandbox: the configuration scripts/sandbox-config.sh writes from
sip.conf.example (only its ports moved to free ones) serves a Graph-mode and a
SIP-mode number side by side; the simulator's SIP-mode Meta listens with a
certificate from the run's test CA, and the gateway verifies it."""
import re
import socket
import ssl
import subprocess
import time

import pytest

from conftest import ROOT, WAGATE, Gateway, free_port, free_range


class SandboxRun(Gateway):
    """`wagate run` with the file `make run` generates (not conftest's own config)."""

    def __init__(self, run_dir):
        self.tmp = run_dir
        self.sip_port = free_port()
        self.tls_port = free_port(socket.SOCK_STREAM, both=False)
        self.http_port = free_port(socket.SOCK_STREAM, both=False)
        self.simulator_port = free_port(socket.SOCK_STREAM, both=False)
        self.simulator_sip_port = free_port(socket.SOCK_STREAM, both=False)
        subprocess.run(["bash", str(ROOT / "scripts/sandbox-config.sh"), str(ROOT / "sip.conf.example"),
                        str(run_dir), str(self.tls_port)], check=True, capture_output=True, text=True)
        self.config = run_dir / "sip.conf"
        self.config.write_text(self.moved_ports(self.config.read_text()))
        self.log_path = run_dir / "wagate.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([str(WAGATE), "run", "--config", str(self.config), "--log-level", "debug"],
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=run_dir)
        self.wait_ready()

    def moved_ports(self, text):
        """The generated file with the example's fixed ports replaced by free ones."""
        rtp = free_range(200)
        replacements = [
            ("listen = udp:127.0.0.1:5060, tcp:127.0.0.1:5060, tls:",
             f"listen = udp:127.0.0.1:{self.sip_port}, tcp:127.0.0.1:{self.sip_port}, tls:"),
            ("rtp_port_range = 10000-20000", f"rtp_port_range = {rtp}-{rtp + 200}"),
            ("listen = 127.0.0.1:8080", f"listen = 127.0.0.1:{self.http_port}"),
            ("mode = sandbox\n", f"mode = sandbox\nsimulator_listen = 127.0.0.1:{self.simulator_port}\n"
                                 f"simulator_sip_listen = 127.0.0.1:{self.simulator_sip_port}\n"),
        ]
        for old, new in replacements:
            assert text.count(old) == 1, f"the generated sip.conf has no single {old!r}"
            text = text.replace(old, new)
        return text


@pytest.fixture
def sandbox(tmp_path):
    run = SandboxRun(tmp_path)
    yield run
    run.stop()


def test_generated_file_serves_a_graph_and_a_sip_number_with_the_simulator_verified(sandbox, tmp_path):
    text = sandbox.config.read_text()
    assert re.search(r"^\[sipdesk\]\ntype = number\n", text, re.M)
    assert "signaling = sip" in text and "tls_verify = server" in text and "tls_ca_file = ca.pem" in text
    for name in ("ca.pem", "gateway.pem", "gateway.key", "simulator.pem", "simulator.key"):
        assert (tmp_path / name).stat().st_size > 0, name

    # Both modes' numbers are served and pass the start-up calling health check
    # (the sandbox Graph answers for the SIP-mode number's settings too).
    for number in ("main", "sipdesk"):
        sandbox.wait_for_log(f"number={number} [Gateway] whatsapp calling health checked")
    logs = sandbox.wait_for_log("simulated Meta SIP listening (TLS)")
    assert "numbers=main=+15550100000,support=+15550100001,sipdesk=+15550100002" in logs
    assert f"listen=127.0.0.1:{sandbox.simulator_sip_port} [Simulator] simulated Meta SIP listening (TLS)" in logs
    assert "number=sipdesk sip_host=127.0.0.1 [Gateway] Meta's SIP source addresses" in logs

    # The simulator presents the run CA's certificate for wa.meta.vc at its SIP listener.
    context = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
    with socket.create_connection(("127.0.0.1", sandbox.simulator_sip_port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="wa.meta.vc") as tls:
            names = [value for kind, value in tls.getpeercert()["subjectAltName"]]
            assert "wa.meta.vc" in names and "127.0.0.1" in names
    # The gateway's listener presents the certificate naming the SIP-mode number's domain.
    with socket.create_connection(("127.0.0.1", sandbox.tls_port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="sip.example.com") as tls:
            assert ("DNS", "sip.example.com") in tls.getpeercert()["subjectAltName"]


def test_certificates_are_made_once_and_kept(tmp_path):
    script = ROOT / "scripts/sandbox-config.sh"
    first = subprocess.run(["bash", str(script), str(ROOT / "sip.conf.example"), str(tmp_path)],
                           check=True, capture_output=True, text=True)
    assert "made a test CA" in first.stdout
    ca = (tmp_path / "ca.pem").read_bytes()
    second = subprocess.run(["bash", str(script), str(ROOT / "sip.conf.example"), str(tmp_path)],
                            check=True, capture_output=True, text=True)
    assert "made a test CA" not in second.stdout and (tmp_path / "ca.pem").read_bytes() == ca
    check = subprocess.run([str(WAGATE), "check-config", str(tmp_path / "sip.conf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
