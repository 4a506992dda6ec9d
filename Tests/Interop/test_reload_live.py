"""Live reload of sip.conf by SIGHUP against a real wagate: a user added by a
reload registers and calls (baresip), a broken file is refused with its
FILE:LINE problems while the running configuration keeps working, and a
reload during a live call leaves its audio flowing (the echo's tone is heard
before and after the reload)."""
import re
import signal
import threading
import time

from baresip_peer import dominant_frequency, run_call


OUTCOME = re.compile(r"configuration reload(ed| refused)")


def reload(gw):
    """Sends SIGHUP and waits until the reload's one outcome line is logged; returns the log."""
    before = len(OUTCOME.findall(gw.logs()))
    gw.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 15
    while len(OUTCOME.findall(logs := gw.logs())) <= before:
        assert time.time() < deadline and gw.proc.poll() is None, logs[-4000:]
        time.sleep(0.02)
    return logs


def echo_tone(gw, tmp, user, secret, tone, register=False, seconds=5):
    account = f"<sip:{user}@127.0.0.1:{gw.sip_port}>;auth_pass={secret}"
    return run_call(tmp, account, f"sip:*43@127.0.0.1:{gw.sip_port}", tone_hz=tone, register=register,
                    seconds=seconds)


def test_reload_adds_a_user_who_registers_and_calls(gateway, tmp_path):
    out, _, _ = echo_tone(gateway, tmp_path / "before", "dave", "dave-secret", 700)
    assert "Call established" not in out, "dave is not configured yet"
    gateway.config.write_text(gateway.config.read_text() + "\n[dave]\ntype = user\nsecret = dave-secret\nallow = +*\n")
    logs = reload(gateway)
    assert re.search(r"applied=users .*configuration reloaded", logs), logs[-3000:]
    out, samples, rate = echo_tone(gateway, tmp_path / "after", "dave", "dave-secret", 900, register=True)
    assert "Call established" in out, out + gateway.logs()[-3000:]
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 900) <= 10
    assert "user=dave" in gateway.logs(), "dave registered"


def test_broken_file_is_refused_with_file_and_line_and_old_config_stays(gateway, tmp_path):
    text = gateway.config.read_text()
    lines = text.splitlines()
    # A user without a secret, and a value of the wrong type, on known lines.
    broken = text + "\n[erin]\ntype = user\nallow = +*\n[frank]\ntype = user\nsecret = x\nmax_calls = many\n"
    gateway.config.write_text(broken)
    logs = reload(gateway)
    refused = [line for line in logs.splitlines() if "configuration reload refused" in line]
    assert refused, logs[-3000:]
    erin_line = len(lines) + 2  # the [erin] header, after the blank line appended first
    frank_max_calls = len(lines) + 8
    assert f"{gateway.config}:{erin_line}:" in refused[0], refused[0]
    assert f"{gateway.config}:{frank_max_calls}:" in refused[0], refused[0]
    # The running configuration stays: alice still calls with her old secret, erin does not exist.
    out, samples, rate = echo_tone(gateway, tmp_path / "alice", "alice", "alice-secret", 700)
    assert "Call established" in out, out
    frequency, _ = dominant_frequency(samples, rate)
    assert frequency is not None and abs(frequency - 700) <= 10
    # A restart-only change is named and left as it runs; the live change beside it applies.
    gateway.config.write_text(re.sub(r"rtp_port_range = \d+-\d+", "rtp_port_range = 40000-40100", text))
    logs = reload(gateway)
    assert re.search(r"keys=general.rtp_port_range .*need a restart", logs), logs[-3000:]
    out, _, _ = echo_tone(gateway, tmp_path / "alice2", "alice", "alice-secret", 700)
    assert "Call established" in out, out


def test_reload_during_a_live_call_keeps_its_audio(gateway, tmp_path):
    result = {}

    def call():
        result["call"] = echo_tone(gateway, tmp_path / "live", "alice", "alice-secret", 800, seconds=8)

    caller = threading.Thread(target=call)
    caller.start()
    gateway.wait_for_log("echo call answered")
    # alice's secret changes and bob goes: the next authentication uses the new
    # secret, the call in progress is not touched.
    text = gateway.config.read_text().replace("secret = alice-secret", "secret = alice-new")
    gateway.config.write_text(text.replace("[bob]\ntype = user\nsecret = bob-secret\nallow = +44*\n", ""))
    logs = reload(gateway)
    assert re.search(r"applied=users .*configuration reloaded", logs), logs[-3000:]
    caller.join(timeout=40)
    out, samples, rate = result["call"]
    assert "Call established" in out, out
    assert "echo call ended" not in logs.split("configuration reloaded")[0], "the call ended before the reload"
    # The tone is heard in the first and in the last second of the call.
    first, _ = dominant_frequency(samples, rate)
    last, rms = dominant_frequency(samples[-rate:], rate)
    assert first is not None and abs(first - 800) <= 10, first
    assert last is not None and abs(last - 800) <= 10 and rms > 1000, (last, rms)
    # The old secret no longer authenticates; the new one does.
    out, _, _ = echo_tone(gateway, tmp_path / "old", "alice", "alice-secret", 700, seconds=2)
    assert "Call established" not in out
    out, _, _ = echo_tone(gateway, tmp_path / "new", "alice", "alice-new", 700, seconds=2)
    assert "Call established" in out, out
