"""Graph API version currency with the real binary: `wagate check-config` warns
90 days before Meta retires the configured version, refuses a retired one, and
`wagate run` refuses to start on it. `--on` fixes the day, so the outcome does
not depend on when the suite runs."""
import subprocess

from conftest import WAGATE, free_port


def config(tmp_path, version=None):
    line = f"graph_version = {version}\n" if version else ""
    path = tmp_path / "sip.conf"
    path.write_text(f"[general]\nlisten = udp:127.0.0.1:{free_port()}\n[whatsapp]\nmode = sandbox\n{line}")
    return path


def check(path, *extra):
    return subprocess.run([str(WAGATE), "check-config", str(path), *extra], capture_output=True, text=True,
                          timeout=30, stdin=subprocess.DEVNULL)


def test_the_default_version_passes_without_a_warning(tmp_path):
    result = check(config(tmp_path), "--on", "2026-12-06")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout and "warning" not in result.stderr


def test_a_version_within_90_days_of_retirement_is_a_warning(tmp_path):
    result = check(config(tmp_path, "v21.0"), "--on", "2026-12-06")
    assert result.returncode == 0, result.stderr
    assert "warning: graph_version v21.0 expires on 2027-01-21 (in 46 days)" in result.stderr
    assert "set graph_version = v26.0" in result.stderr


def test_the_same_version_earlier_passes_and_later_is_refused(tmp_path):
    path = config(tmp_path, "v21.0")
    assert check(path, "--on", "2026-09-01").stderr == ""
    late = check(path, "--on", "2027-01-21")
    assert late.returncode == 1
    assert "graph_version v21.0 was retired by Meta on 2027-01-21" in late.stderr


def test_a_retired_version_stops_run_before_anything_listens(tmp_path):
    path = config(tmp_path, "v19.0")
    result = subprocess.run([str(WAGATE), "run", "--config", str(path)], capture_output=True, text=True,
                            timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "graph_version v19.0 was retired by Meta on 2026-05-21" in result.stderr


def test_a_bad_day_is_a_usage_error(tmp_path):
    result = check(config(tmp_path), "--on", "21/01/2027")
    assert result.returncode != 0 and "--on expects a day" in result.stderr
