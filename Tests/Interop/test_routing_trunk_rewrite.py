"""A trunk with number rewrites that differ when applied twice, against a real
wagate and the standalone Meta simulator: SIPp plays the trunk in both
directions. A call from the trunk reaches the WhatsApp number its
inbound_strip/inbound_prefix give (though the raw number is outside the
trunk's policy); a WhatsApp user's call to the trunk carries the caller number
rewritten once by outbound_strip/outbound_prefix, in From and P-Asserted-Identity."""
import subprocess

from conftest import WHATSAPP_USER, free_port, sipp
from sipp_builder import build

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


# A trunk that checks the INVITE it gets (SIPp fails the call when a check_it
# regexp does not match), then answers 486 so the call ends at once.
UAS = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="trunk checks the caller number">
  <recv request="INVITE">
    <action>
      <ereg regexp="^INVITE sip:100@127.0.0.1:{port} SIP/2.0" search_in="msg" check_it="true" assign_to="ruri"/>
      <ereg regexp="\\"Test User\\" &lt;sip:{caller}@" search_in="hdr" header="From:" check_it="true" assign_to="from"/>
      <ereg regexp="&lt;sip:{caller}@" search_in="hdr" header="P-Asserted-Identity:" check_it="true" assign_to="pai"/>
    </action>
  </recv>
  <send><![CDATA[
SIP/2.0 486 Busy Here
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <recv request="ACK"/>
  <Reference variables="ruri,from,pai"/>
</scenario>
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
    scenario = tmp_path / "trunk_uas.xml"
    # +447700900123 → strip 1, prefix 00 → 00447700900123 (twice it would be 000447700900123).
    scenario.write_text(UAS.format(port=uas_port, caller="00447700900123"))
    trunk = subprocess.Popen(
        ["sipp", "-sf", str(scenario), "-i", "127.0.0.1", "-p", str(uas_port), "-m", "1", "-timeout", "20s",
         "-timeout_error", "-nostdin", "-trace_err", "-trace_msg"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        meta.post(f"/control/users/{WHATSAPP_USER}/call", {"name": "Test User"})
        out, _ = trunk.communicate(timeout=30)
    finally:
        if trunk.poll() is None:
            trunk.kill()
            trunk.wait()
    messages = "".join(path.read_text() for path in tmp_path.glob("trunk_uas*_messages.log"))
    assert trunk.returncode == 0, "Request-URI, From and PAI as rendered once\n" + out + messages
    meta.wait_for_call("ended", WHATSAPP_USER)  # the trunk's 486 ends the WhatsApp call
