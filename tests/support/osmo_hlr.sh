#!/usr/bin/env bash
# Start/stop a private osmo-hlr (Debian's /usr/bin/osmo-hlr) for tests.
#
#   osmo_hlr.sh start RUN_DIR   config + DB + log + pid file in RUN_DIR; returns once
#                               CTRL 127.0.0.1:4259 accepts connections
#   osmo_hlr.sh stop RUN_DIR    SIGTERM, then SIGKILL after 5 s, to the pid in
#                               RUN_DIR/osmo-hlr.pid only (and only if it is still osmo-hlr)
#
# Put RUN_DIR on tmpfs (/dev/shm): osmo-hlr fsyncs every write.
# CTRL (4259) and GSUP (4222) ports are fixed, so only one instance per network
# namespace; run it inside `unshare -n` (see run_msc_tests.sh).
# env: OSMO_HLR_START_TIMEOUT (seconds, default 15)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CMD="${1:-}"
RUN_DIR="${2:-}"
die() { echo "osmo_hlr.sh: $*" >&2; exit 1; }
[[ -n "$CMD" && -n "$RUN_DIR" ]] || die "usage: osmo_hlr.sh start|stop RUN_DIR"
PID_FILE="$RUN_DIR/osmo-hlr.pid"
CTRL_PORT=4259

alive() {  # running and not a zombie
  kill -0 "$1" 2>/dev/null || return 1
  ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

is_our_hlr() {  # pid -> 0 if that pid is still the osmo-hlr using our RUN_DIR's DB
  local cmdline
  alive "$1" || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == osmo-hlr\ * && "$cmdline" == *" $RUN_DIR/hlr.db"* ]]
}

ctrl_accepts() {  # 0 if something accepts TCP on 127.0.0.1:4259
  (exec 3<>"/dev/tcp/127.0.0.1/$CTRL_PORT") 2>/dev/null
}

start() {
  command -v osmo-hlr >/dev/null || die "osmo-hlr is not installed (apt-get install osmo-hlr)"
  mkdir -p "$RUN_DIR"
  RUN_DIR="$(cd "$RUN_DIR" && pwd)"
  PID_FILE="$RUN_DIR/osmo-hlr.pid"
  if [[ -f "$PID_FILE" ]] && is_our_hlr "$(cat "$PID_FILE")"; then
    die "already running in $RUN_DIR (pid $(cat "$PID_FILE"))"
  fi
  if ctrl_accepts; then
    die "127.0.0.1:$CTRL_PORT is already in use in this network namespace (use unshare -n)"
  fi
  cp "$HERE/osmo-hlr.cfg" "$RUN_DIR/osmo-hlr.cfg"
  osmo-hlr -c "$RUN_DIR/osmo-hlr.cfg" -l "$RUN_DIR/hlr.db" \
    >"$RUN_DIR/osmo-hlr.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  local deadline=$((SECONDS + ${OSMO_HLR_START_TIMEOUT:-15}))
  until ctrl_accepts; do
    if ! alive "$pid"; then
      tail -n 20 "$RUN_DIR/osmo-hlr.log" >&2 || true
      rm -f "$PID_FILE"
      die "osmo-hlr exited during start-up (log: $RUN_DIR/osmo-hlr.log)"
    fi
    if ((SECONDS >= deadline)); then
      stop
      die "CTRL 127.0.0.1:$CTRL_PORT did not come up (log: $RUN_DIR/osmo-hlr.log)"
    fi
    sleep 0.05
  done
  echo "osmo-hlr pid $pid ready: CTRL 127.0.0.1:$CTRL_PORT, DB $RUN_DIR/hlr.db"
}

stop() {
  [[ -f "$PID_FILE" ]] || return 0
  local pid
  pid="$(cat "$PID_FILE")"
  if is_our_hlr "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      echo "osmo_hlr.sh: osmo-hlr ($pid) ignored SIGTERM for 5 s, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    # Reap it if it is our child (same shell); otherwise init does.
    wait "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
}

case "$CMD" in
  start) start ;;
  stop)
    RUN_DIR="$(cd "$RUN_DIR" 2>/dev/null && pwd || echo "$RUN_DIR")"
    PID_FILE="$RUN_DIR/osmo-hlr.pid"
    stop
    ;;
  *) die "usage: osmo_hlr.sh start|stop RUN_DIR" ;;
esac
