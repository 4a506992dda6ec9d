"""Installing wagate as a service: `make install` into a DESTDIR, the systemd
unit checked by systemd-analyze, the capability drop-in, and `make deb` checked
with dpkg-deb, lintian (when installed) and unpacked into a scratch root."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, WAGATE


def _make(*args, env=None, timeout=300):
    result = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), *args], capture_output=True, text=True,
                            timeout=timeout, env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def _install(destdir, prefix="/usr"):
    return _make("install", f"DESTDIR={destdir}", f"PREFIX={prefix}", f"WAGATE_BIN={WAGATE}")


def test_install_stages_binary_config_and_unit_and_keeps_an_existing_config(tmp_path):
    root = tmp_path / "root"
    _install(root)
    binary = root / "usr/bin/wagate"
    assert binary.is_file() and os.access(binary, os.X_OK)
    config = root / "etc/wagate/sip.conf"
    text = config.read_text()
    assert "database = /var/lib/wagate/wagate.sqlite" in text
    assert oct(config.stat().st_mode & 0o777) == "0o640"
    assert (root / "usr/share/doc/wagate/sip.conf.example").is_file()
    assert (root / "usr/lib/sysusers.d/wagate.conf").read_text().startswith("# The unprivileged user")
    unit = (root / "usr/lib/systemd/system/wagate.service").read_text()
    for line in ["User=wagate", "ExecStart=/usr/bin/wagate run --config /etc/wagate/sip.conf",
                 "ExecReload=/bin/kill -HUP $MAINPID", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                 "NoNewPrivileges=yes", "StateDirectory=wagate", "CapabilityBoundingSet=\n", "AmbientCapabilities=\n",
                 "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK"]:
        assert line in unit, line
    assert "@" not in re.sub(r"SystemCallFilter=@\S+", "", unit), "a template placeholder was left in the unit"
    # The installed binary accepts the installed starting config.
    check = subprocess.run([str(binary), "check-config", str(config)], capture_output=True, text=True)
    assert check.returncode == 0 and "OK" in check.stdout, check.stdout + check.stderr

    # A second install keeps the operator's edits.
    config.write_text(text + "\n; edited by the operator\n")
    out = _install(root)
    assert "keeping the existing" in out
    assert config.read_text().endswith("; edited by the operator\n")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_unit_passes_systemd_analyze_verify(tmp_path):
    root = tmp_path / "root"
    _install(root)
    # verify resolves ExecStart= on the host: point it at the staged binary.
    unit = tmp_path / "wagate.service"
    text = (root / "usr/lib/systemd/system/wagate.service").read_text()
    unit.write_text(text.replace("/usr/bin/wagate", str(root / "usr/bin/wagate")))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if "wagate.service" in line and "Documentation" not in line]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr
    security = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--threshold=30", str(unit)],
                              capture_output=True, text=True)
    assert security.returncode == 0, security.stdout + security.stderr


def test_systemd_dropin_grants_the_capability_only_below_port_1024(tmp_path):
    low = tmp_path / "low.conf"
    low.write_text("[general]\nlisten = udp:127.0.0.1:5060\n[http]\nlisten = 127.0.0.1:443\n")
    high = tmp_path / "high.conf"
    high.write_text("[general]\nlisten = udp:127.0.0.1:5060\n[http]\nlisten = 127.0.0.1:8080\n")
    out = subprocess.run([str(WAGATE), "check-config", "--systemd-dropin", str(low)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "[Service]\nAmbientCapabilities=CAP_NET_BIND_SERVICE\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n" in out.stdout
    assert "HTTP 127.0.0.1:443" in out.stdout
    out = subprocess.run([str(WAGATE), "check-config", "--systemd-dropin", str(high)], capture_output=True, text=True)
    assert out.returncode == 0 and "CAP_NET_BIND_SERVICE\n" not in out.stdout and "[Service]" not in out.stdout
    bad = tmp_path / "bad.conf"
    bad.write_text("[general]\nlisten = nonsense\n")
    out = subprocess.run([str(WAGATE), "check-config", "--systemd-dropin", str(bad)], capture_output=True, text=True)
    assert out.returncode == 1 and "bad.conf:2:" in out.stderr


def test_deb_contents_metadata_lintian_and_scratch_root(tmp_path):
    # The debug build links the Swift runtime from the toolchain; `make deb` of a
    # release build links it statically. DEB_ALLOW_UNPACKAGED lets the test reuse
    # the debug binary; gzip -1 keeps packing 100+ MB fast.
    out = _make("deb", f"WAGATE_BIN={WAGATE}",
                env={"DEB_ALLOW_UNPACKAGED": "1", "DEB_COMPRESSION": "gzip", "DEB_OUT": str(tmp_path)}, timeout=600)
    debs = list(tmp_path.glob("wagate_*.deb"))
    assert len(debs) == 1, out
    deb = debs[0]
    info = subprocess.run(["dpkg-deb", "--info", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "Package: wagate" in info and "Architecture: " in info
    depends = re.search(r"Depends: (.*)", info).group(1)
    for package in ["adduser", "libsofia-sip-ua0", "libopus0", "libssl3"]:
        assert package in depends, depends
    assert "libsrtp2" not in depends, "libsrtp is built into the binary (Sources/CSRTP): " + depends
    for script in ["postinst", "prerm", "postrm", "conffiles"]:
        assert script in info, info
    contents = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ["./usr/bin/wagate", "./etc/wagate/sip.conf", "./lib/systemd/system/wagate.service",
                 "./usr/share/doc/wagate/copyright", "./usr/share/doc/wagate/changelog.gz"]:
        assert path in contents, path
    assert all(" root/root " in line for line in contents.splitlines()), contents
    conffiles = subprocess.run(["dpkg-deb", "--ctrl-tarfile", str(deb)], capture_output=True, check=True).stdout
    assert b"/etc/wagate/sip.conf" in conffiles

    scratch = tmp_path / "scratch"
    subprocess.run(["dpkg", "-x", str(deb), str(scratch)], check=True)
    check = subprocess.run([str(scratch / "usr/bin/wagate"), "check-config", str(scratch / "etc/wagate/sip.conf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "--control", str(deb), str(control)], check=True)
    for script in ["postinst", "prerm", "postrm"]:
        subprocess.run(["sh", "-n", str(control / script)], check=True)

    if shutil.which("lintian"):
        result = subprocess.run(["lintian", "--no-tag-display-limit", str(deb)], capture_output=True, text=True)
        # E: lines are errors; the debug binary's unstripped symbols and RPATH are
        # what a release build does not have.
        allowed = ("unstripped-binary-or-object", "custom-library-search-path", "embedded-library",
                   "binary-without-manpage", "statically-linked-binary", "no-manual-page",
                   "shared-library-lacks-prerequisites", "hardening-no-")
        errors = [line for line in result.stdout.splitlines()
                  if line.startswith("E:") and not any(tag in line for tag in allowed)]
        assert not errors, result.stdout
