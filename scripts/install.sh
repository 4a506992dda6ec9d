#!/bin/bash
# `make install`: the binary, sip.conf.example as the starting /etc/wagate/sip.conf
# (an existing file is never replaced), the systemd unit and the sysusers entry.
# With an empty DESTDIR and run as root it also creates the wagate user, writes
# the port drop-in and reloads systemd; with DESTDIR it only stages files (what
# `make deb` and distribution packagers use).
set -euo pipefail

: "${WAGATE_BIN:?path of the wagate binary}"
PREFIX="${PREFIX:-/usr/local}"
DESTDIR="${DESTDIR:-}"
BINDIR="${BINDIR:-$PREFIX/bin}"
SYSCONFDIR="${SYSCONFDIR:-/etc}"
UNITDIR="${UNITDIR:-$PREFIX/lib/systemd/system}"
SYSUSERSDIR="${SYSUSERSDIR:-$PREFIX/lib/sysusers.d}"
DOCDIR="${DOCDIR:-$PREFIX/share/doc/wagate}"
here="$(cd "$(dirname "$0")/.." && pwd)"

[ -x "$WAGATE_BIN" ] || { echo "install: $WAGATE_BIN is not an executable (run make release first)" >&2; exit 1; }

install -D -m 0755 "$WAGATE_BIN" "$DESTDIR$BINDIR/wagate"
install -D -m 0644 "$here/sip.conf.example" "$DESTDIR$DOCDIR/sip.conf.example"
install -D -m 0644 "$here/docs/operations.md" "$DESTDIR$DOCDIR/operations.md"
install -d -m 0750 "$DESTDIR$SYSCONFDIR/wagate"

# The service's file system is read-only except its state directory, so the
# starting config keeps the CDR database there instead of beside sip.conf.
conf="$DESTDIR$SYSCONFDIR/wagate/sip.conf"
if [ -e "$conf" ]; then
    echo "install: keeping the existing $conf"
else
    sed 's|^database = wagate.sqlite$|database = /var/lib/wagate/wagate.sqlite|' "$here/sip.conf.example" > "$conf.new"
    chmod 0640 "$conf.new"
    mv "$conf.new" "$conf"
fi

unit="$(mktemp)"
trap 'rm -f "$unit"' EXIT
sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@SYSCONFDIR@|$SYSCONFDIR|g" -e "s|@DOCDIR@|$DOCDIR|g" \
    "$here/packaging/wagate.service.in" > "$unit"
install -D -m 0644 "$unit" "$DESTDIR$UNITDIR/wagate.service"
install -D -m 0644 "$here/packaging/wagate.sysusers" "$DESTDIR$SYSUSERSDIR/wagate.conf"

if [ -z "$DESTDIR" ] && [ "$(id -u)" = 0 ]; then
    if command -v systemd-sysusers >/dev/null; then
        systemd-sysusers "$SYSUSERSDIR/wagate.conf"
    elif ! getent passwd wagate >/dev/null; then
        useradd --system --user-group --home-dir /var/lib/wagate --shell /usr/sbin/nologin wagate
    fi
    chown root:wagate "$SYSCONFDIR/wagate" "$SYSCONFDIR/wagate/sip.conf"
    mkdir -p /etc/systemd/system/wagate.service.d
    "$BINDIR/wagate" check-config --systemd-dropin "$SYSCONFDIR/wagate/sip.conf" \
        > /etc/systemd/system/wagate.service.d/ports.conf
    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
    echo "install: done; edit $SYSCONFDIR/wagate/sip.conf, then: systemctl enable --now wagate"
fi
