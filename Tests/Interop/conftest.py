"""Fixtures for interop tests: a real wagate process on free loopback ports,
and helpers to drive SIPp against it. Everything binds 127.0.0.1."""
import os
import random
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WAGATE = Path(os.environ.get("WAGATE_BIN", ROOT / ".build" / "debug" / "wagate"))
SIPP_DIR = Path(__file__).parent / "sipp"


_handed_out = set()


def _ephemeral_low():
    """The first port of the kernel's ephemeral range (outgoing connections' source ports)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


# Test ports come from below the ephemeral range: a port the kernel picked for
# `bind(0)` could be handed again, between the check and the peer's own bind, to
# any process's outgoing connection (a webhook POST, a Graph request), and the
# peer would then fail with "Address already in use".
def _port_range(low=10000):
    """This test process's share of [low, ephemeral start): the whole span, or,
    under pytest-xdist (`make interop-test` runs two workers), one slice per
    worker, so two workers never hand out the same port."""
    high = max(low + 1, _ephemeral_low() - 1)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    if not worker.startswith("gw") or count < 2:
        return (low, high)
    index = int(worker[2:] or 0) % count
    width = (high - low) // count
    return (low + index * width, low + (index + 1) * width)


_PORT_RANGE = _port_range()


@pytest.fixture(autouse=True)
def _fresh_port_reservations():
    """Each test's gateways and peers are stopped when it ends, so their ports are free again."""
    _handed_out.clear()
    yield


def _udp_free(port):
    """Whether UDP `port` on 127.0.0.1 can be bound right now."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False


def free_range(count):
    """The first port of `count` + 1 ports (an even first port) that overlap no port
    handed out before and are all free now, all then marked taken: a gateway's or
    simulator's RTP range, or a SIPp media port with its neighbours."""
    for _ in range(200):
        first = free_port(even=True)
        rest = range(first + 1, first + count + 1)
        if not _handed_out.intersection(rest) and all(_udp_free(port) for port in rest):
            _handed_out.update(range(first, first + count + 1))
            return first
    raise RuntimeError("no free port range")


def sipp_media_port():
    """A `-mp` port for SIPp: it binds that port for audio and the port two above
    for video (each with an RTCP neighbour), so all four are reserved; a lone even
    port could put SIPp's video socket on a gateway's SIP port."""
    return free_range(3)


def free_port(kind=socket.SOCK_DGRAM, both=True, even=False):
    """A port free for UDP (and TCP when `both`) on 127.0.0.1, below the
    ephemeral range, never one this test process handed out before (so two
    listeners of one gateway are never given the same number)."""
    kinds = [socket.SOCK_STREAM, socket.SOCK_DGRAM] if both else [kind]
    for _ in range(500):
        port = random.randrange(*_PORT_RANGE)
        if (even and port % 2) or port in _handed_out or port + 1 in _handed_out:
            continue
        try:
            for each in kinds:
                with socket.socket(socket.AF_INET, each) as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free port")


class Gateway:
    """A running `wagate run` with a generated sip.conf."""

    def __init__(self, tmp: Path, extra_general="", extra_sections="", tls=None, whatsapp=None, http_port=None,
                 extra_storage="", extra_http=""):
        self.tmp = tmp
        self.sip_port = free_port()
        self.http_port = http_port or free_port(socket.SOCK_STREAM, both=False)
        self.tls_port = free_port(socket.SOCK_STREAM, both=False) if tls else None
        if whatsapp is None:  # sandbox, with the built-in simulator on a free port
            whatsapp = f"mode = sandbox\nsimulator_listen = 127.0.0.1:{free_port(socket.SOCK_STREAM, both=False)}\n"
        rtp = free_range(200)
        listen = f"udp:127.0.0.1:{self.sip_port}, tcp:127.0.0.1:{self.sip_port}"
        tls_lines = ""
        if tls:
            listen += f", tls:127.0.0.1:{self.tls_port}"
            tls_lines = f"tls_certificate = {tls[0]}\ntls_private_key = {tls[1]}\n"
        self.config = tmp / "sip.conf"
        self.config.write_text(f"""
[general]
listen = {listen}
rtp_port_range = {rtp}-{rtp + 200}
auth_max_failures = 3
auth_failure_window = 60
auth_lockout_time = 300
{tls_lines}{extra_general}
[http]
listen = 127.0.0.1:{self.http_port}
{extra_http}
[whatsapp]
{whatsapp}
[storage]
database = {tmp}/wagate.sqlite
{extra_storage}
[alice]
type = user
secret = alice-secret
allow = +*
[bob]
type = user
secret = bob-secret
allow = +44*
[carol]
type = user
secret = carol-secret
allow = +*
{extra_sections}
""")
        self.log_path = tmp / "wagate.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(WAGATE), "run", "--config", str(self.config), "--log-level", "debug"],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        self.wait_ready()

    def wait_ready(self, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"wagate exited early:\n{self.log_path.read_text()}")
            logs = self.log_path.read_text()
            # The start-up calling health check reads Meta's settings: a test that then
            # injects Graph faults must not have them used up by it.
            if "SIP listening" in logs and "whatsapp calling health checked" in logs:
                return
            time.sleep(0.05)
        raise RuntimeError(f"wagate did not start:\n{self.log_path.read_text()}")

    def stop(self):
        """SIGTERM; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def logs(self):
        return self.log_path.read_text()

    def wait_for_log(self, text, timeout=15):
        """Waits until the log holds `text` (the event it records has happened); returns the log."""
        deadline = time.time() + timeout
        while True:
            logs = self.log_path.read_text()
            if text in logs:
                return logs
            if time.time() > deadline:
                raise AssertionError(f"{text!r} not logged within {timeout} s:\n{logs[-4000:]}")
            if self.proc.poll() is not None:
                raise AssertionError(f"wagate exited before logging {text!r}:\n{logs[-4000:]}")
            time.sleep(0.02)


@pytest.fixture
def make_gateway(tmp_path):
    started = []

    def make(**kwargs):
        gw = Gateway(tmp_path, **kwargs)
        started.append(gw)
        return gw

    yield make
    for gw in started:
        gw.stop()


@pytest.fixture
def gateway(make_gateway):
    return make_gateway()


def _authenticates_invite(scenario_path):
    """Whether the scenario answers a challenge on an `INVITE sip:[service]@…`."""
    text = Path(scenario_path).read_text()
    return "[authentication]" in text and "INVITE sip:[service]@" in text


def sipp(gw, scenario, service="*43", user="alice", password="alice-secret", calls=1, extra=(), timeout=30,
         tmp=None, local_port=None, relay=None):
    """Runs one SIPp scenario against `gw`; returns (exit code, output). With a
    `relay` (a `tls_relay.TLSRelay.client` to the gateway's TLS port), SIPp speaks
    TCP to it and the relay carries the connection over TLS (SIPp has no usable
    TLS: see tls_relay.py); the scenario then writes TLS in its Via itself."""
    port = local_port or free_port()
    media = sipp_media_port()
    scenario_path = scenario if Path(str(scenario)).is_absolute() else SIPP_DIR / scenario
    # The port SIPp sends to is what it writes as [remote_port], in the Request-URI too.
    remote_port, transport = (relay.port, ["-t", "t1"]) if relay else (gw.sip_port, [])
    args = ["sipp", f"127.0.0.1:{remote_port}", "-sf", str(scenario_path), "-i", "127.0.0.1",
            "-p", str(port), "-mp", str(media), "-m", str(calls), "-s", service,
            "-au", user, "-ap", password, "-timeout", f"{timeout}s", "-timeout_error",
            "-nostdin", "-max_retrans", "5", *transport, *extra]
    if _authenticates_invite(scenario_path):
        # wagate requires the digest uri to name the Request-URI; SIPp's default is remote_ip:remote_port.
        args += ["-auth_uri", f"{service}@127.0.0.1:{remote_port}"]
    if tmp is not None:
        args += ["-trace_err", "-trace_msg"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout + 15,
                            cwd=tmp or SIPP_DIR)
    return result.returncode, result.stdout + result.stderr


WHATSAPP_USER = "447700900123"
"""The simulated WhatsApp user the end-to-end tests call and are called by."""


@pytest.fixture
def e2e(tmp_path):
    """Factory of (gateway in cloud mode, standalone Meta simulator) pairs; the
    WhatsApp user is granted permission unless `grant` is false."""
    from meta_simulator import MetaSimulator
    started = []

    def make(media="tone:600", sim_extra=(), general="", sections="", grant=True, whatsapp_extra="",
             inbound="[inbound]\ntarget = user:alice\nring_timeout = 10\n", tls=None):
        http = free_port(socket.SOCK_STREAM, both=False)
        meta = MetaSimulator(tmp_path, http, media=media, extra=sim_extra)
        started.append(meta)
        # `sections` may be a function of the simulator, for keys that name its port.
        sections = sections(meta) if callable(sections) else sections
        gw = Gateway(tmp_path, extra_general=general, whatsapp=meta.whatsapp_section() + whatsapp_extra, http_port=http,
                     extra_sections=inbound + sections, tls=tls)
        started.append(gw)
        if grant:
            meta.grant(WHATSAPP_USER)
        return gw, meta

    yield make
    for item in reversed(started):
        item.stop()


CHROMIUM = os.environ.get("WAGATE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("WAGATE_CHROMEDRIVER", "/usr/bin/chromedriver")


_DISABLED_FEATURES = ["Translate", "OptimizationHints", "MediaRouter", "AutofillServerCommunication"]


def _chromium_options(profile, dead_proxy, extra_flags=(), extra_features=()):
    """Headless Chromium with its own profile that can reach loopback only: every
    other host is sent to a proxy port nobody listens on (loopback bypasses
    proxies), and name resolution of anything but localhost fails, so no page,
    SDK script or background service of the browser reaches the network."""
    from selenium.webdriver.chrome.options import Options
    options = Options()
    options.binary_location = CHROMIUM
    flags = ["--headless=new", f"--user-data-dir={profile}", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
             "--disable-domain-reliability", "--disable-client-side-phishing-detection",
             # Chromium reads only the last --disable-features: one merged list.
             "--disable-features=" + ",".join([*_DISABLED_FEATURES, *extra_features]),
             f"--proxy-server=http://127.0.0.1:{dead_proxy}", "--proxy-bypass-list=localhost;127.0.0.0/8;[::1]",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.*, EXCLUDE [::1]",
             "--window-size=1280,900", *extra_flags]
    if os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    for flag in flags:
        options.add_argument(flag)
    return options


def _start_chromium(tmp_path, name="chromium-profile", extra_flags=(), extra_features=()):
    """A Selenium WebDriver on headless Debian Chromium, loopback-only, with a
    fresh profile and chromedriver on a free port. A missing Chromium, driver or
    Selenium fails the test: `make deps` and the venv install them."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not os.access(binary, os.X_OK):
            pytest.fail(f"{binary} missing: install chromium and chromium-driver (make deps)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium missing: install Tests/Interop/requirements.txt (make venv)")
    profile = tmp_path / name
    profile.mkdir()
    dead_proxy = free_port(socket.SOCK_STREAM, both=False)
    service = Service(executable_path=CHROMEDRIVER, port=free_port(socket.SOCK_STREAM, both=False),
                      log_output=str(tmp_path / f"{name}-chromedriver.log"))
    driver = webdriver.Chrome(service=service,
                              options=_chromium_options(profile, dead_proxy, extra_flags, extra_features))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium for pages without media (`_start_chromium`)."""
    driver = _start_chromium(tmp_path)
    try:
        yield driver
    finally:
        driver.quit()


def write_tone_wav(path, frequency, seconds=2.0, rate=48000, level=0.3):
    """A 16-bit mono WAV of a sine tone: Chromium's fake microphone loops it.
    A whole number of periods, so the loop has no click."""
    import wave
    import numpy as np
    samples = int(rate * seconds)
    samples -= samples % max(1, round(rate / frequency))
    tone = (np.sin(2 * np.pi * frequency * np.arange(samples) / rate) * level * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(tone.tobytes())
    return path


def loopback_only_network():
    """Whether this process's network namespace has no interface but `lo`."""
    return [name for _, name in socket.if_nameindex()] == ["lo"]


def pytest_collection_modifyitems(config, items):
    """The web phone files run only in a loopback-only network namespace
    (`make webphone-test`): elsewhere Chromium would send ICE checks from the
    machine's other addresses and wagate's answers would leave loopback."""
    if loopback_only_network():
        return
    skip = pytest.mark.skip(reason="web phone tests run only in a loopback-only network namespace: "
                                   "make webphone-test (scripts/loopback-netns.sh, unshare --net)")
    for item in items:
        if Path(str(item.fspath)).name.startswith("test_webphone_"):
            item.add_marker(skip)


def start_webrtc_chromium(tmp_path, name, tone=1000, microphone_allowed=True):
    """One headless Chromium as `webrtc_browser` makes it, for fixtures of a wider scope."""
    wav = write_tone_wav(tmp_path / f"tone-{tone}.wav", tone)
    flags = ["--use-fake-device-for-media-stream",
             f"--use-file-for-fake-audio-capture={wav}", "--autoplay-policy=no-user-gesture-required",
             "--allow-loopback-in-peer-connection"]
    if microphone_allowed:
        flags.append("--use-fake-ui-for-media-stream")
    return _start_chromium(tmp_path, name, flags, ["WebRtcHideLocalIpsWithMdns"])


@pytest.fixture
def webrtc_browser(tmp_path):
    """Factory of headless Chromiums that do WebRTC on loopback: fake media
    devices whose microphone plays a sine tone of `tone` Hz (a WAV written
    here), no permission prompt, autoplay without a gesture (the page's
    AudioContext runs), loopback ICE candidates, and real host addresses
    instead of mDNS names. Call with `tone=` (default 1000 Hz); `microphone_allowed=False`
    leaves out the automatic grant, so the page meets a blocked microphone."""
    started = []

    def make(tone=1000, microphone_allowed=True):
        driver = start_webrtc_chromium(tmp_path, f"chromium-webrtc-{len(started)}", tone, microphone_allowed)
        started.append(driver)
        return driver

    yield make
    for driver in started:
        driver.quit()
