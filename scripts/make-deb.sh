#!/bin/bash
# `make deb`: stages `make install` under /usr, adds the maintainer scripts and
# builds build/wagate_VERSION_ARCH.deb with dpkg-deb (no debhelper needed).
# Depends lists the Debian packages that own the binary's direct shared
# libraries (objdump NEEDED, dpkg -S), plus adduser for the postinst. A library
# no package owns (a Swift runtime from /opt/swift in a debug build) is an error:
# the release binary links the Swift runtime statically. DEB_ALLOW_UNPACKAGED=1
# only warns, for packaging tests that reuse the debug build.
set -euo pipefail

: "${WAGATE_BIN:?path of the wagate binary}"
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${DEB_OUT:-$here/build}"
version="${DEB_VERSION:-$(sed -n 's/.*static let string = "\(.*\)".*/\1/p' "$here/Sources/Gateway/WagateVersion.swift")}"
arch="$(dpkg --print-architecture)"
maintainer="${DEB_MAINTAINER:-wagate maintainers <packaging@wagate.example.org>}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

PREFIX=/usr SYSCONFDIR=/etc UNITDIR=/lib/systemd/system SYSUSERSDIR=/usr/lib/sysusers.d \
    DOCDIR=/usr/share/doc/wagate DESTDIR="$stage" WAGATE_BIN="$WAGATE_BIN" bash "$here/scripts/install.sh"
# Symbols stay in the build tree; the package ships the stripped binary (as dh_strip does).
strip --strip-debug --strip-unneeded "$stage/usr/bin/wagate"

depends="adduser"
for lib in $(objdump -p "$WAGATE_BIN" | awk '/NEEDED/ {print $2}'); do
    # No early exit in awk: ldconfig would die of SIGPIPE, which pipefail turns into a failure.
    path="$(ldconfig -p | awk -v l="$lib" '$1 == l && !found {print $NF; found = 1}')"
    owner=""
    if [ -n "$path" ]; then
        owner="$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null || true)"
    fi
    owner="${owner%%:*}"
    if [ -z "$owner" ]; then
        if [ "${DEB_ALLOW_UNPACKAGED:-0}" = 1 ]; then
            echo "make-deb: warning: no Debian package provides $lib" >&2
            continue
        fi
        echo "make-deb: no Debian package provides $lib (build with make release)" >&2
        exit 1
    fi
    case ",$depends," in *", $owner,"*|*",$owner,"*) ;; *) depends="$depends, $owner" ;; esac
done

mkdir -p "$stage/DEBIAN"
size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@SIZE@|$size|" -e "s|@DEPENDS@|$depends|" \
    -e "s|@MAINTAINER@|$maintainer|" "$here/packaging/debian/control.in" > "$stage/DEBIAN/control"
install -m 0644 "$here/packaging/debian/conffiles" "$stage/DEBIAN/conffiles"
for script in postinst prerm postrm; do
    install -m 0755 "$here/packaging/debian/$script" "$stage/DEBIAN/$script"
done
# A native package (no Debian revision): the changelog is changelog.gz.
sed "s|@MAINTAINER@|$maintainer|" "$here/packaging/debian/changelog" | gzip -9n > "$stage/usr/share/doc/wagate/changelog.gz"
install -m 0644 "$here/packaging/debian/copyright" "$stage/usr/share/doc/wagate/copyright"

mkdir -p "$out"
deb="$out/wagate_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build -Z"${DEB_COMPRESSION:-xz}" "$stage" "$deb" >/dev/null
echo "$deb"
