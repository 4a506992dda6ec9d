"""A trunk with number rewrites that differ when applied twice, against a real
wagate and the standalone Meta simulator: SIPp plays the trunk in both
directions. A call from the trunk reaches the WhatsApp number its
inbound_strip/inbound_prefix give (though the raw number is outside the
trunk's policy); a WhatsApp user's call to the trunk carries the caller number
rewritten once by outbound_strip/outbound_prefix, in From and P-Asserted-Identity."""
from conftest import WHATSAPP_USER, free_port, sipp
from sipp_builder import build, busy_uas, run_uas

E164 = "+" + WHATSAPP_USER  # +447700900123, granted by the e2e fixture


def trunk_section(uas_port, match_port):
    """Trunk `pbx`: strip 2 + prefix 0044 on dialled numbers, strip 1 + prefix 00
    on caller numbers; only +44 destinations."""
    return f"""
[pbx]
type = trunk
host = 127.0.0.1
port = {uas_port}
match = 127.0.0.1/32
match_port = {match_port}
allow = +44*
inbound_strip = 2
inbound_prefix = 0044
outbound_strip = 1
outbound_prefix = 00
dial = 100
"""


def test_trunk_call_reaches_the_number_its_inbound_rewrite_gives(e2e, tmp_path):
    pbx_port = free_port()
    gw, meta = e2e(sections=trunk_section(free_port(), pbx_port))
    flow = build(tmp_path / "trunk_in.xml", ["invite_noauth", "expect:180", "pause:200", "cancel"])
    # As dialled, +997700900123 is outside the trunk's +44* policy; rewritten it is +447700900123.
    code, out = sipp(gw, flow, service="997700900123", tmp=tmp_path, local_port=pbx_port)
    assert code == 0, "the rewritten number rings the WhatsApp user\n" + out + gw.logs()[-3000:]
    assert [call for call in meta.calls() if call.get("user") == WHATSAPP_USER], meta.calls()


def test_trunk_receives_the_caller_number_rewritten_once(e2e, tmp_path):
    uas_port = free_port()
    gw, meta = e2e(sections=trunk_section(uas_port, free_port()),
                   inbound="[inbound]\ntarget = trunk:pbx\nring_timeout = 10\n")
    # +447700900123 → strip 1, prefix 00 → 00447700900123 (twice it would be 000447700900123).
    caller = "00447700900123"
    scenario = busy_uas(tmp_path / "trunk_uas.xml", [
        ("ruri", f'regexp="^INVITE sip:100@127.0.0.1:{uas_port} SIP/2.0" search_in="msg"'),
        ("from", f'regexp="\\"Test User\\" &lt;sip:{caller}@" search_in="hdr" header="From:"'),
        ("pai", f'regexp="&lt;sip:{caller}@" search_in="hdr" header="P-Asserted-Identity:"'),
    ])
    code, out = run_uas(scenario, uas_port, tmp_path,
                        lambda: meta.post(f"/control/users/{WHATSAPP_USER}/call", {"name": "Test User"}))
    assert code == 0, "Request-URI, From and PAI as rendered once\n" + out
    meta.wait_for_call("ended", WHATSAPP_USER)  # the trunk's 486 ends the WhatsApp call
