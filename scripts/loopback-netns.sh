#!/usr/bin/env bash
# Runs a command in a fresh network namespace whose only interface is `lo`
# (brought up, 127.0.0.1 and ::1). The web phone tests need it: Chromium
# gathers ICE candidates on every interface and would send checks to wagate's
# 127.0.0.1 from the machine's other addresses, so wagate's answers would leave
# loopback. As root `unshare --net` is enough; otherwise an unprivileged user
# namespace (`--map-root-user`) is tried. Fails with a clear message when
# neither works (a container without CAP_SYS_ADMIN, user namespaces disabled).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi
for tool in unshare ip; do
  if ! command -v "$tool" >/dev/null; then
    echo "loopback-netns: '$tool' is missing (util-linux, iproute2: make deps)" >&2
    exit 1
  fi
done

inner='ip link set lo up && exec "$@"'
if [ "$(id -u)" = 0 ] && unshare --net -- true 2>/dev/null; then
  exec unshare --net -- sh -c "$inner" sh "$@"
elif unshare --net --map-root-user -- true 2>/dev/null; then
  exec unshare --net --map-root-user -- sh -c "$inner" sh "$@"
fi
echo "loopback-netns: cannot create a network namespace (unshare --net needs root, or user" >&2
echo "namespaces: sysctl kernel.unprivileged_userns_clone=1). The web phone tests must not run" >&2
echo "outside one: Chromium would send ICE checks from non-loopback addresses." >&2
exit 1
