"""Trunks recognised by address and by digest, DTMF by SIP INFO, OPTIONS
keepalive, and secrets kept out of the logs."""
import time

from conftest import free_port, sipp
from sipp_builder import build


def trunk_sections(pbx_port):
    return f"""
[pbx]
type = trunk
host = 127.0.0.1
port = 5070
match = 127.0.0.1/32
match_port = {pbx_port}
allow = +*

[itsp]
type = trunk
host = 192.0.2.10
match = 192.0.2.0/24
username = itsp-user
secret = itsp-secret
allow = +44*
"""


def test_trunk_recognised_by_source_address_is_not_challenged(make_gateway, tmp_path):
    pbx_port = free_port()
    gw = make_gateway(extra_sections=trunk_sections(pbx_port))
    flow = build(tmp_path / "trunk.xml", ["invite_noauth", "expect:180", "pause:300", "cancel"])
    code, out = sipp(gw, flow, service="+14085551234", tmp=tmp_path, local_port=pbx_port)
    assert code == 0, "the trunk's call is routed to WhatsApp without a challenge\n" + out


def test_same_address_on_another_port_is_challenged(make_gateway, tmp_path):
    gw = make_gateway(extra_sections=trunk_sections(free_port()))
    code, out = sipp(gw, "invite_unauthenticated.xml", service="+14085551234", tmp=tmp_path)
    assert code == 0, out


def test_trunk_recognised_by_digest_and_its_policy_applies(make_gateway, tmp_path):
    gw = make_gateway(extra_sections=trunk_sections(free_port()))
    flow = build(tmp_path / "itsp.xml", ["invite", "expect:180", "pause:300", "cancel"])
    code, out = sipp(gw, flow, service="+447700900123", user="itsp-user", password="itsp-secret", tmp=tmp_path)
    assert code == 0, out
    code, out = sipp(gw, "invite_forbidden_destination.xml", service="+14085551234", user="itsp-user",
                     password="itsp-secret", tmp=tmp_path)
    assert code == 0, out


def test_dtmf_by_sip_info_becomes_an_event(gateway, tmp_path):
    code, out = sipp(gateway, "dtmf_info.xml", tmp=tmp_path)
    assert code == 0, out
    assert "duration_ms=250" in gateway.wait_for_log("digit=7")


def test_keepalive_removes_a_contact_that_is_gone(make_gateway, tmp_path):
    gw = make_gateway(extra_general="options_keepalive = 1\n")
    # SIPp registers and exits: its port is closed, the OPTIONS get ICMP errors.
    code, out = sipp(gw, "register_only.xml", service="carol", user="carol", password="carol-secret", tmp=tmp_path)
    assert code == 0, out
    gw.wait_for_log("registration removed", timeout=8)


def test_no_secret_ever_reaches_the_log(gateway, tmp_path):
    sipp(gateway, "register.xml", service="alice", tmp=tmp_path)
    sipp(gateway, "echo_call.xml", tmp=tmp_path)
    logs = gateway.logs()
    for secret in ("alice-secret", "bob-secret", "carol-secret"):
        assert secret not in logs


def test_registrations_survive_a_restart(make_gateway, tmp_path):
    gw = make_gateway()
    code, out = sipp(gw, "register_only.xml", service="carol", user="carol", password="carol-secret", tmp=tmp_path)
    assert code == 0, out
    assert gw.stop() == 0
    again = make_gateway()  # same database file
    restored = [line for line in again.logs().splitlines() if "registrations restored" in line]
    assert restored and "contacts=1" in restored[0], again.logs()
