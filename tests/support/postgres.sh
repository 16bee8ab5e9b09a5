#!/usr/bin/env bash
# Starts and stops a throw-away PostgreSQL 15 server for tests (Debian's
# postgresql-15 binaries; no system service, no cluster of the host's).
#
#   usage: tests/support/postgres.sh start RUN_DIR   # initdb, start, wait, create simexit_test
#          tests/support/postgres.sh stop RUN_DIR    # immediate shutdown (the caller removes RUN_DIR)
#          tests/support/postgres.sh standby RUN_DIR PRIMARY_PORT [APPLICATION_NAME]
#                                                    # pg_basebackup -R of the primary, started
#          tests/support/postgres.sh promote RUN_DIR # pg_ctl promote, waits until read-write
#          tests/support/postgres.sh crash RUN_DIR   # SIGKILL to the server and every backend
#
# start: `initdb` in RUN_DIR/data (trust authentication, UTF-8), then the server
# listening on 127.0.0.1 only, on a free port, with its socket in RUN_DIR and
# fsync on (the server's defaults: synchronous_commit=on, full_page_writes=on);
# waits until it accepts connections and creates the database simexit_test.
# It writes RUN_DIR/pg.env:
#   PG_PORT=54321
#   PG_URL=postgresql://postgres@127.0.0.1:54321/simexit_test
# standby: a streaming standby of the server on 127.0.0.1:PRIMARY_PORT, copied
# with `pg_basebackup -R` as the role `replicator` (which the primary must let
# in for replication), its primary_conninfo carrying APPLICATION_NAME (default
# simexit_standby) for synchronous_standby_names; started like `start` (own
# free port, 127.0.0.1, fsync on), it writes RUN_DIR/pg.env too.
# crash: the machine going away, as far as clients can tell: the postmaster
# and all its children are SIGKILLed at once, no shutdown, no checkpoint.
# As root the server runs as the `postgres` system user (runuser), since
# PostgreSQL refuses to run as root; RUN_DIR is handed to that user.
# env: PG_BIN (default /usr/lib/postgresql/15/bin).
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
cmd="${1:?usage: postgres.sh start|stop|standby|promote|crash RUN_DIR}"
RUN_DIR="${2:?usage: postgres.sh start|stop|standby|promote|crash RUN_DIR}"

as_pg() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

make_run_dir() {
  [[ -x "$PG_BIN/initdb" ]] || {
    echo "postgres.sh: no PostgreSQL 15 in $PG_BIN (apt-get install postgresql-15)" >&2
    exit 2
  }
  mkdir -p "$RUN_DIR"
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres: "$RUN_DIR"
  fi
}

# Starts the server of RUN_DIR/data on 127.0.0.1 and a free port ($port).
listen() {
  # A free port can be taken between the probe and the bind: try a few.
  for _ in 1 2 3 4 5; do
    port="$(free_port)"
    if as_pg "$PG_BIN/pg_ctl" -D "$RUN_DIR/data" -l "$RUN_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $RUN_DIR -c fsync=on" start >/dev/null; then
      return 0
    fi
  done
  echo "postgres.sh: the server did not start; its log:" >&2
  cat "$RUN_DIR/server.log" >&2 || true
  exit 1
}

# The process lives and is no zombie.
alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

write_env() {
  printf 'PG_PORT=%s\nPG_URL=%s\n' "$port" "postgresql://postgres@127.0.0.1:$port/simexit_test" \
    >"$RUN_DIR/pg.env"
}

case "$cmd" in
  start)
    make_run_dir
    as_pg "$PG_BIN/initdb" -D "$RUN_DIR/data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$RUN_DIR/initdb.log" 2>&1 || {
      cat "$RUN_DIR/initdb.log" >&2
      exit 1
    }
    listen
    as_pg "$PG_BIN/psql" -qX -h 127.0.0.1 -p "$port" -U postgres -d postgres \
      -c 'CREATE DATABASE simexit_test' >/dev/null
    write_env
    ;;
  standby)
    primary_port="${3:?usage: postgres.sh standby RUN_DIR PRIMARY_PORT [APPLICATION_NAME]}"
    application_name="${4:-simexit_standby}"
    make_run_dir
    # -R writes standby.signal and primary_conninfo (with the application_name
    # given here); -X stream copies the WAL written during the copy too;
    # --no-sync: a throw-away copy (the standby fsyncs what it streams later).
    as_pg "$PG_BIN/pg_basebackup" -D "$RUN_DIR/data" -R -X stream -c fast --no-sync \
      -d "host=127.0.0.1 port=$primary_port user=replicator application_name=$application_name" \
      >"$RUN_DIR/basebackup.log" 2>&1 || {
      cat "$RUN_DIR/basebackup.log" >&2
      exit 1
    }
    listen
    write_env
    ;;
  promote)
    as_pg "$PG_BIN/pg_ctl" -D "$RUN_DIR/data" -w -t 60 promote >/dev/null
    ;;
  crash)
    pid="$(head -n 1 "$RUN_DIR/data/postmaster.pid")"
    # The children first listed, then everything killed in one call: none is
    # left to notice the postmaster's death and shut down cleanly.
    mapfile -t children < <(pgrep -P "$pid" || true)
    kill -KILL "$pid" "${children[@]}"
    # Gone when the postmaster is dead (a zombie until its parent reaps it):
    # the kernel has closed its sockets by then.
    for _ in $(seq 200); do
      alive "$pid" || exit 0
      sleep 0.01
    done
    echo "postgres.sh: the server $pid outlived SIGKILL" >&2
    exit 1
    ;;
  stop)
    if [[ -f "$RUN_DIR/data/postmaster.pid" ]] && alive "$(head -n 1 "$RUN_DIR/data/postmaster.pid")"; then
      # Immediate: no shutdown checkpoint to fsync, the data is thrown away anyway.
      as_pg "$PG_BIN/pg_ctl" -D "$RUN_DIR/data" -m immediate -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "usage: postgres.sh start|stop|standby|promote|crash RUN_DIR" >&2
    exit 2
    ;;
esac
