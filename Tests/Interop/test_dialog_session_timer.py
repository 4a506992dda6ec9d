"""Long calls with wagate's own session refresh (RFC 4028, session_timer = 90,
min_se 90): four calls at once, each outlasting two refresh intervals, in both
directions, with a phone registered directly and with a PBX behind a real
Kamailio proxy. Every call must still carry audio when the phone hangs up at
the end: a 2xx to wagate's refresh is a response inside the dialog, never a
new answer that would hang the call up.

The calls (the simulator echoes what it hears, each phone plays its own tone;
a WhatsApp user has one call at a time, so each call has its own user):
  A  phone carol (registered) → WhatsApp user 1
  B  WhatsApp user 2 → phone dave (registered, auto-answer)
  C  PBX phone via Kamailio (trunk pbx) → WhatsApp user 3
  D  WhatsApp user 4 → trunk pbx via Kamailio → PBX phone (auto-answer)
"""
import subprocess
import threading
import time


from baresip_peer import run_call, tail_frequency
from conftest import free_port
from sipp_builder import wait_until_listening

USER_1, USER_2, USER_3, USER_4 = "447700900123", "447700900234", "447700900345", "447700900456"
SECONDS = 112  # > two refresh intervals (2 × 45 s) after the call is set up
KAMAILIO_CFG = """#!KAMAILIO
debug=1
log_stderror=yes
children=2
auto_aliases=no
listen=udp:127.0.0.1:{port}
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "siputils.so"
loadmodule "textops.so"

request_route {{
    if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
    if (has_totag()) {{
        if (loose_route()) {{ t_relay(); exit; }}
        if (is_method("ACK")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
        sl_send_reply("404", "Not here");
        exit;
    }}
    if (is_method("CANCEL")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
    record_route();
    if ($sp == {gateway}) {{ $du = "sip:127.0.0.1:{pbx}"; }} else {{ $du = "sip:127.0.0.1:{gateway}"; }}
    t_relay();
}}
"""


class Kamailio:
    """Kamailio 5.6 (Debian) as a record-routing proxy between wagate's trunk and a PBX phone."""

    def __init__(self, tmp, port, gateway_port, pbx_port):
        self.port = port
        config = tmp / "kamailio.cfg"
        config.write_text(KAMAILIO_CFG.format(port=self.port, gateway=gateway_port, pbx=pbx_port))
        self.log = open(tmp / "kamailio.log", "w")
        self.proc = subprocess.Popen(["kamailio", "-f", str(config), "-DD", "-E", "-Y", str(tmp), "-m", "32",
                                      "-M", "4", "-w", str(tmp)], stdout=self.log, stderr=subprocess.STDOUT)
        wait_until_listening(self.proc, self.port)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def wait_for_count(gw, text, count, timeout):
    deadline = time.time() + timeout
    while gw.logs().count(text) < count:
        assert time.time() < deadline, f"{text!r} logged {gw.logs().count(text)} times, not {count}"
        assert gw.proc.poll() is None, "wagate exited"
        time.sleep(0.5)


def test_long_calls_survive_wagates_own_session_refreshes(e2e, tmp_path):
    pbx_port, proxy_port = free_port(), free_port()
    sections = (f"[dave]\ntype = user\nsecret = dave-secret\nallow = +*\n"
                f"[pbx]\ntype = trunk\nhost = 127.0.0.1\nport = {proxy_port}\nmatch = 127.0.0.1/32\n"
                f"match_port = {proxy_port}\nallow = +*\ndial = pbx\n")
    inbound = f"[inbound]\ntarget = user:dave\nroute = +{USER_4} trunk:pbx\nring_timeout = 15\n"
    gw, meta = e2e(media="echo", general="session_timer = 90\nmin_se = 90\n", sections=sections, inbound=inbound)
    kamailio = Kamailio(tmp_path, proxy_port, gw.sip_port, pbx_port)
    results = {}
    stop = threading.Event()
    try:
        meta.grant(USER_3)
        threading.Thread(target=meta.answer_calls, args=(stop,), daemon=True).start()
        wagate = f"127.0.0.1:{gw.sip_port}"

        def phone(name, account, dial, tone, register=False, port=None):
            def run():
                results[name] = (tone, run_call(tmp_path / name, account, dial, seconds=SECONDS, tone_hz=tone,
                                                register=register, sip_port=port))
            thread = threading.Thread(target=run, daemon=True)
            thread.start()
            return thread

        phones = [
            phone("A", f"<sip:carol@{wagate}>;auth_pass=carol-secret", f"sip:+{USER_1}@{wagate}", 700),
            phone("B", f"<sip:dave@{wagate}>;auth_pass=dave-secret;answermode=auto", None, 900, register=True),
            phone("C", f"<sip:pbx@127.0.0.1:{kamailio.port}>", f"sip:+{USER_3}@127.0.0.1:{kamailio.port}", 1100),
            phone("D", f"<sip:pbx@127.0.0.1:{pbx_port}>;answermode=auto", None, 1300, port=pbx_port),
        ]
        gw.wait_for_log("user=dave", timeout=20)  # dave registered: B can ring him
        meta.post(f"/control/users/{USER_2}/call", {"name": "User Two"})
        meta.post(f"/control/users/{USER_4}/call", {"name": "User Four"})
        # Each call is refreshed by wagate at about 45 s and 90 s; all eight refreshes answered 2xx.
        wait_for_count(gw, "session refreshed", 8, timeout=SECONDS)
        for thread in phones:
            thread.join(timeout=SECONDS + 30)
    finally:
        stop.set()
        kamailio.stop()
    logs = gw.logs()
    assert "late answer" not in logs and "in-dialog request refused" not in logs, logs[-4000:]
    for name in "ABCD":
        tone, (out, samples, rate) = results[name]
        assert "Call established" in out or "answered" in out.lower(), (name, out[-2000:])
        heard = tail_frequency(samples, rate)
        assert heard is not None and abs(heard - tone) <= 10, (name, heard, tone, out[-2000:])
        assert len(samples) / rate > SECONDS - 20, (name, "the call lasted until the phone hung up")
