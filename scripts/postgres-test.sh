#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests of wagate nodes sharing one database.
#
#   postgres-test.sh start DIR PORT   a fresh cluster in DIR on 127.0.0.1:PORT;
#                                     prints postgres://wagate:wagate@127.0.0.1:PORT/wagate
#   postgres-test.sh restart DIR      stops the server and starts it again on the
#                                     same data and port (clients are disconnected)
#   postgres-test.sh stop DIR         stops the server; DIR stays (postgres.log is in it)
#
# The server listens on TCP 127.0.0.1 only, with its unix socket in DIR/socket.
# Role `wagate` (password `wagate`, SCRAM over TCP, may create databases: the
# store's unit tests take one each) owns database `wagate`; the
# superuser `postgres` connects over the socket without a password. fsync is
# off: the data does not outlive the test.
#
# PostgreSQL refuses to run as root, so as root every server command runs as the
# `postgres` system user (the Debian package creates it) and DIR belongs to it:
# DIR and each directory above it must be reachable by that user (not under a
# 0700 directory such as /tmp/pytest-of-root).
#
# `start` on a DIR left by an earlier run (a crashed test) stops whatever server
# still runs there and starts afresh; it refuses a DIR that holds anything else.
# PG_BIN overrides the PostgreSQL binaries' directory (default: the newest
# /usr/lib/postgresql/*/bin, version 15 on Debian 12).
set -euo pipefail

MARKER=.wagate-postgres-test

usage() {
  echo "usage: $0 start DIR PORT | restart DIR | stop DIR" >&2
  exit 2
}

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    echo "$PG_BIN"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/pg_ctl" ]; then
    echo "postgres-test: PostgreSQL server binaries not found (Debian package postgresql: make deps)" >&2
    exit 1
  fi
  echo "$dir"
}

BIN=$(pg_bin)

# Runs a command as the server's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

server_running() {
  [ -f "$1/data/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

stop_server() {
  local dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1 ||
      as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
  fi
  if server_running "$dir"; then
    echo "postgres-test: the server in $dir did not stop" >&2
    exit 1
  fi
}

# Starts the server of DIR and waits until it accepts connections on its TCP port.
start_server() {
  local dir=$1 port
  port=$(cat "$dir/port")
  if ! as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start >/dev/null; then
    echo "postgres-test: the server did not start; $dir/postgres.log:" >&2
    tail -n 20 "$dir/postgres.log" >&2 || true
    exit 1
  fi
  for _ in $(seq 1 300); do
    if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; then
      return
    fi
    sleep 0.1
  done
  echo "postgres-test: 127.0.0.1:$port does not accept connections" >&2
  exit 1
}

url() {
  echo "postgres://wagate:wagate@127.0.0.1:$(cat "$1/port")/wagate"
}

cmd_start() {
  local dir=$1 port=$2
  case "$port" in '' | *[!0-9]*) usage ;; esac
  if [ -e "$dir" ]; then
    if [ -n "$(ls -A "$dir")" ] && [ ! -e "$dir/$MARKER" ]; then
      echo "postgres-test: $dir exists and is not a test cluster's directory; refusing to reuse it" >&2
      exit 1
    fi
    stop_server "$dir"
    find "$dir" -mindepth 1 -delete
  fi
  mkdir -p "$dir"
  chmod 0700 "$dir"
  touch "$dir/$MARKER"
  echo "$port" >"$dir/port"
  mkdir "$dir/socket"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres: "$dir"
    if ! runuser -u postgres -- test -w "$dir"; then
      echo "postgres-test: user postgres cannot reach $dir (a directory above it is closed to it)" >&2
      exit 1
    fi
  fi
  as_owner "$BIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || {
    echo "postgres-test: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    exit 1
  }
  as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# postgres-test.sh: loopback only, socket inside the test directory, no durability
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  start_server "$dir"
  as_owner "$BIN/psql" -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE wagate LOGIN CREATEDB PASSWORD 'wagate'" -c "CREATE DATABASE wagate OWNER wagate" >/dev/null
  url "$dir"
}

cmd_restart() {
  local dir=$1
  [ -f "$dir/$MARKER" ] && [ -f "$dir/port" ] || {
    echo "postgres-test: $dir is not a test cluster's directory (start one first)" >&2
    exit 1
  }
  stop_server "$dir"
  start_server "$dir"
  url "$dir"
}

cmd_stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  [ -f "$dir/$MARKER" ] || {
    echo "postgres-test: $dir is not a test cluster's directory" >&2
    exit 1
  }
  stop_server "$dir"
}

[ "$#" -ge 2 ] || usage
case "$1" in
  start) [ "$#" = 3 ] || usage; cmd_start "$(realpath -m "$2")" "$3" ;;
  restart) [ "$#" = 2 ] || usage; cmd_restart "$(realpath -m "$2")" ;;
  stop) [ "$#" = 2 ] || usage; cmd_stop "$(realpath -m "$2")" ;;
  *) usage ;;
esac
