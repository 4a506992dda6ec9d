"""A real softphone (baresip) calls the echo test and hears its own tone back:
registration, digest, dialogs, SDP, RTP and G.711 decode/encode together."""
import subprocess

import pytest

from baresip_peer import dominant_frequency, run_call


@pytest.mark.parametrize("codec,tone", [("PCMU", 700), ("PCMA", 1100)])
def test_baresip_hears_its_tone_echoed(gateway, tmp_path, codec, tone):
    account = f"<sip:alice@127.0.0.1:{gateway.sip_port}>;auth_pass=alice-secret"
    out, samples, rate = run_call(tmp_path / "bs", account, f"sip:*43@127.0.0.1:{gateway.sip_port}",
                                  tone_hz=tone, codec=codec)
    assert "Call established" in out, out
    frequency, rms = dominant_frequency(samples, rate)
    assert frequency is not None, "nothing came back"
    assert abs(frequency - tone) <= 10, f"heard {frequency} Hz, sent {tone} Hz"
    assert rms > 1000, f"echo too quiet (rms {rms})"


@pytest.fixture
def tls_files(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def test_registration_and_call_over_tls(make_gateway, tmp_path, tls_files):
    gw = make_gateway(tls=tls_files)
    account = (f"<sip:alice@127.0.0.1:{gw.tls_port};transport=tls>;auth_pass=alice-secret;"
               f"outbound=\"sip:127.0.0.1:{gw.tls_port};transport=tls\"")
    out, samples, rate = run_call(tmp_path / "bs", account, f"sip:*43@127.0.0.1:{gw.tls_port};transport=tls",
                                  tone_hz=900, extra_config=f"sip_cafile {tls_files[0]}", register=True)
    assert "Call established" in out, out + gw.logs()
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 900) <= 10
    assert "source=tls:127.0.0.1" in gw.logs(), "the registration came over TLS"
