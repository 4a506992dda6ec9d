#!/usr/bin/env bash
# make unit-test: the Swift unit suites, the store's against SQLite and against a
# throwaway PostgreSQL (scripts/postgres-test.sh) started here and stopped after;
# the suites that run real media timers on their own, one test at a time.
# WAGATE_TEST_POSTGRES set by the caller names a server to use instead.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
started=""
if [ -z "${WAGATE_TEST_POSTGRES:-}" ]; then
  dir=$(mktemp -d /tmp/wagate-unit-pg-XXXXXX)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  url=$(bash scripts/postgres-test.sh start "$dir" "$port") || { echo "unit-test: PostgreSQL did not start"; exit 1; }
  export WAGATE_TEST_POSTGRES=$url
  started=$dir
fi
stop() {
  if [ -n "$started" ]; then
    bash scripts/postgres-test.sh stop "$started" >/dev/null 2>&1
    rm -rf "$started"
  fi
}
trap stop EXIT
# The media and simulator suites run real media loops, sockets and timers
# (deadlines of a second, tones measured over RTP). Run beside every other suite
# on two cores, they can be starved past their deadlines, so they run on their
# own, one test at a time, after the rest has run in parallel. A caller's
# --filter or --skip runs just what it names.
REALTIME='MediaTests\.|SimulatorTests\.'
case " $* " in
  *" --filter "*|*" --skip "*) "$SWIFT" test "$@"; exit $? ;;
esac
"$SWIFT" test --skip "$REALTIME" "$@" || exit 1
case " $* " in *" --skip-build "*) built=() ;; *) built=(--skip-build) ;; esac
"$SWIFT" test --no-parallel --filter "$REALTIME" "${built[@]}" "$@"
