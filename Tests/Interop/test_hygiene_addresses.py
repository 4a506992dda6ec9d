"""The one IP address type as the real binary uses it: trunk `match` blocks
written as IPv4-mapped IPv6 recognise an IPv4 peer (RFC 4291 §2.5.5.2), and
ambiguous address text is refused by `wagate check-config` with file:line."""
import subprocess

import pytest

from conftest import WAGATE, free_port, sipp
from sipp_builder import build


def trunk(match, pbx_port):
    return f"""
[pbx]
type = trunk
host = 127.0.0.1
port = 5070
match = {match}
match_port = {pbx_port}
allow = +*
"""


@pytest.mark.parametrize("match", ["::ffff:127.0.0.1", "::ffff:127.0.0.0/104"])
def test_an_ipv4_mapped_match_recognises_the_ipv4_trunk(make_gateway, tmp_path, match):
    pbx_port = free_port()
    gw = make_gateway(extra_sections=trunk(match, pbx_port))
    flow = build(tmp_path / "trunk.xml", ["invite_noauth", "expect:180", "pause:300", "cancel"])
    code, out = sipp(gw, flow, service="+14085551234", tmp=tmp_path, local_port=pbx_port)
    assert code == 0, f"a call from 127.0.0.1 matches {match} and is not challenged\n" + out


def test_a_mapped_block_elsewhere_does_not_match(make_gateway, tmp_path):
    pbx_port = free_port()
    gw = make_gateway(extra_sections=trunk("::ffff:192.0.2.0/120", pbx_port))
    code, out = sipp(gw, "invite_unauthenticated.xml", service="+14085551234", tmp=tmp_path,
                     local_port=pbx_port)
    assert code == 0, "an unmatched source is challenged\n" + out


@pytest.mark.parametrize("value", ["010.0.0.1", "+127.0.0.1", "::+1", "fe80::1%eth0", "[::1]", "1::2::3"])
def test_check_config_refuses_ambiguous_address_text(tmp_path, value):
    config = tmp_path / "sip.conf"
    config.write_text(f"""[general]
listen = udp:127.0.0.1:{free_port()}
[whatsapp]
mode = sandbox
[pbx]
type = trunk
host = 127.0.0.1
match = {value}
""")
    result = subprocess.run([str(WAGATE), "check-config", str(config)], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0, result.stdout + result.stderr
    assert f"sip.conf:8: bad value '{value}' for 'match' in [pbx]" in result.stdout + result.stderr
