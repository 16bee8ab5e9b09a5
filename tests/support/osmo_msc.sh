#!/usr/bin/env bash
# Start/stop a private osmo-msc (Debian's /usr/bin/osmo-msc 1.9.0), with its
# osmo-hlr, for tests. Everything listens on 127.0.0.1 only.
#
#   osmo_msc.sh start RUN_DIR [--no-hlr]
#       Starts osmo-hlr (tests/support/osmo_hlr.sh, DB RUN_DIR/hlr.db) unless
#       --no-hlr is given (then an osmo-hlr must already serve GSUP on
#       127.0.0.1:4222 in this network namespace), then osmo-msc with the
#       sctp2tcp LD_PRELOAD shim. Returns once SMPP 2775, VTY 4254, CTRL 4255
#       and SGs 29118 accept connections and osmo-msc's GSUP link to the HLR is
#       up. Writes RUN_DIR/osmo-msc.{cfg,log,pid}, RUN_DIR/sms.db and
#       RUN_DIR/msc.env (KEY=VALUE lines: ports, ESME credentials, paths).
#   osmo_msc.sh stop RUN_DIR
#       SIGTERM (SIGKILL after 5 s) to the osmo-msc whose pid is in
#       RUN_DIR/osmo-msc.pid, and to the osmo-hlr in RUN_DIR/osmo-hlr.pid if this
#       script started one; only while those pids are still our daemons.
#
# Put RUN_DIR on tmpfs (/dev/shm). CTRL (4255 MSC, 4259 HLR) and GSUP (4222)
# ports are fixed, so run one instance per network namespace (`unshare -n`,
# see run_msc_tests.sh and docs/testing.md).
#
# env:
#   SIMEXIT_MSC_SMPP_SYSTEM_ID  ESME system_id allowed to bind   (default simexit)
#   SIMEXIT_MSC_SMPP_PASSWORD   its password                      (default secret)
#   SIMEXIT_SCTP2TCP            path of the shim (default: build/dev/libsctp2tcp.so,
#                               build/dev/sctp2tcp.so, else compiled with gcc
#                               into RUN_DIR)
#   OSMO_MSC_START_TIMEOUT      seconds to wait for each step (default 15)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CMD="${1:-}"
RUN_DIR="${2:-}"
OPT="${3:-}"
die() { echo "osmo_msc.sh: $*" >&2; exit 1; }
usage="usage: osmo_msc.sh start RUN_DIR [--no-hlr] | stop RUN_DIR"
[[ -n "$CMD" && -n "$RUN_DIR" ]] || die "$usage"

SYSTEM_ID="${SIMEXIT_MSC_SMPP_SYSTEM_ID:-simexit}"
PASSWORD="${SIMEXIT_MSC_SMPP_PASSWORD:-secret}"
TIMEOUT="${OSMO_MSC_START_TIMEOUT:-15}"
MSC_PORTS=(2775 4254 4255 29118)  # SMPP, VTY, CTRL, SGs
HLR_GSUP_PORT=4222

alive() {  # running and not a zombie
  kill -0 "$1" 2>/dev/null || return 1
  ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

is_our_msc() {  # pid -> 0 if it is still the osmo-msc running RUN_DIR's config
  local cmdline
  alive "$1" || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == osmo-msc\ * && "$cmdline" == *" $RUN_DIR/osmo-msc.cfg"* ]]
}

accepts() {  # port -> 0 if something accepts TCP on 127.0.0.1:port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints the path of the shim to preload, building it into RUN_DIR when no
# up-to-date build is found.
find_shim() {
  local src="$HERE/sctp2tcp.c" candidate
  if [[ -n "${SIMEXIT_SCTP2TCP:-}" ]]; then
    [[ -f "$SIMEXIT_SCTP2TCP" ]] || die "SIMEXIT_SCTP2TCP=$SIMEXIT_SCTP2TCP does not exist"
    echo "$SIMEXIT_SCTP2TCP"
    return
  fi
  for candidate in "$ROOT/build/dev/libsctp2tcp.so" "$ROOT/build/dev/sctp2tcp.so"; do
    if [[ -f "$candidate" && ! "$src" -nt "$candidate" ]]; then
      echo "$candidate"
      return
    fi
  done
  local cc
  cc="${CC:-$(command -v gcc || command -v cc || true)}"
  [[ -n "$cc" ]] || die "no built sctp2tcp shim and no C compiler (apt-get install gcc libc6-dev)"
  "$cc" -shared -fPIC -O2 -Wall -Wextra -o "$RUN_DIR/sctp2tcp.so" "$src" -ldl >&2 ||
    die "building $RUN_DIR/sctp2tcp.so failed"
  echo "$RUN_DIR/sctp2tcp.so"
}

stop_msc() {
  local pid_file="$RUN_DIR/osmo-msc.pid" pid
  [[ -f "$pid_file" ]] || return 0
  pid="$(cat "$pid_file")"
  if is_our_msc "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      echo "osmo_msc.sh: osmo-msc ($pid) ignored SIGTERM for 5 s, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
}

stop_all() {
  stop_msc
  # Only stops an osmo-hlr that `start` (without --no-hlr) started in RUN_DIR.
  "$HERE/osmo_hlr.sh" stop "$RUN_DIR" || true
}

fail_start() {
  echo "osmo_msc.sh: $*; last osmo-msc log lines:" >&2
  tail -n 20 "$RUN_DIR/osmo-msc.log" >&2 || true
  stop_all
  exit 1
}

start() {
  local with_hlr=1
  case "$OPT" in
    "") ;;
    --no-hlr) with_hlr=0 ;;
    *) die "$usage" ;;
  esac
  command -v osmo-msc >/dev/null || die "osmo-msc is not installed (apt-get install osmo-msc)"
  mkdir -p "$RUN_DIR"
  RUN_DIR="$(cd "$RUN_DIR" && pwd)"
  if [[ -f "$RUN_DIR/osmo-msc.pid" ]] && is_our_msc "$(cat "$RUN_DIR/osmo-msc.pid")"; then
    die "already running in $RUN_DIR (pid $(cat "$RUN_DIR/osmo-msc.pid"))"
  fi
  local port
  for port in "${MSC_PORTS[@]}"; do
    accepts "$port" && die "127.0.0.1:$port is already in use in this network namespace (use unshare -n)"
  done
  local shim
  shim="$(find_shim)"

  if [[ $with_hlr == 1 ]]; then
    "$HERE/osmo_hlr.sh" start "$RUN_DIR"
  fi
  local deadline=$((SECONDS + TIMEOUT))
  until accepts "$HLR_GSUP_PORT"; do
    if ((SECONDS >= deadline)); then
      [[ $with_hlr == 1 ]] && "$HERE/osmo_hlr.sh" stop "$RUN_DIR"
      die "no osmo-hlr GSUP on 127.0.0.1:$HLR_GSUP_PORT"
    fi
    sleep 0.05
  done

  sed -e "s#@RUN_DIR@#$RUN_DIR#g" -e "s#@SMPP_SYSTEM_ID@#$SYSTEM_ID#g" \
    -e "s#@SMPP_PASSWORD@#$PASSWORD#g" "$HERE/osmo-msc.cfg" >"$RUN_DIR/osmo-msc.cfg"
  # From RUN_DIR: osmo-msc may write files relative to its working directory.
  (cd "$RUN_DIR" && exec env LD_PRELOAD="$shim" osmo-msc -c "$RUN_DIR/osmo-msc.cfg" \
    >"$RUN_DIR/osmo-msc.log" 2>&1 </dev/null) &
  local pid=$!
  echo "$pid" >"$RUN_DIR/osmo-msc.pid"

  deadline=$((SECONDS + TIMEOUT))
  local ready
  while :; do
    alive "$pid" || fail_start "osmo-msc exited during start-up"
    ready=1
    for port in "${MSC_PORTS[@]}"; do
      accepts "$port" || { ready=0; break; }
    done
    # GSUP link to the HLR: libosmo-gsup-client logs "... connection done".
    if [[ $ready == 1 ]] && grep -q "127.0.0.1:$HLR_GSUP_PORT connection done" "$RUN_DIR/osmo-msc.log"; then
      break
    fi
    ((SECONDS < deadline)) || fail_start "not ready after ${TIMEOUT}s (ports ${MSC_PORTS[*]}, GSUP link)"
    sleep 0.05
  done

  cat >"$RUN_DIR/msc.env" <<ENV
SMPP_HOST=127.0.0.1
SMPP_PORT=2775
SMPP_SYSTEM_ID=$SYSTEM_ID
SMPP_PASSWORD=$PASSWORD
MSC_CTRL_PORT=4255
MSC_VTY_PORT=4254
SGS_PORT=29118
SGS_FRAMED=1
HLR_CTRL_PORT=4259
SMS_DB=$RUN_DIR/sms.db
SCTP2TCP=$shim
ENV
  echo "osmo-msc pid $pid ready: SMPP 127.0.0.1:2775 ($SYSTEM_ID), CTRL 4255, VTY 4254," \
    "SGs 29118 (framed TCP via $shim), GSUP link up, SMS DB $RUN_DIR/sms.db"
}

case "$CMD" in
  start) start ;;
  stop)
    [[ -z "$OPT" ]] || die "$usage"
    RUN_DIR="$(cd "$RUN_DIR" 2>/dev/null && pwd || echo "$RUN_DIR")"
    stop_all
    ;;
  *) die "$usage" ;;
esac
