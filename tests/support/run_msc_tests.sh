#!/usr/bin/env bash
# Runs a peer test binary (*_peertest.cpp, e.g. simexit_osmocom_peertests,
# simexit_smpp_peertests) against a real osmo-hlr + osmo-msc (SMSC over SMPP,
# CTRL, SGs), in a private network namespace (their CTRL/GSUP ports are fixed,
# so parallel runs would clash). Peer tests fail without these peers.
#
#   usage: tests/support/run_msc_tests.sh [TEST_BINARY [gtest args...]]
#   default TEST_BINARY: build/dev/simexit_smpp_peertests
#
# Inside `unshare -n` (needs root or user namespaces): brings lo up, starts
# osmo-hlr and osmo-msc (tests/support/osmo_msc.sh) in a fresh /dev/shm run
# dir, runs the binary with
#   SIMEXIT_TEST_SMPP=127.0.0.1:2775
#   SIMEXIT_TEST_SMPP_SYSTEM_ID / SIMEXIT_TEST_SMPP_PASSWORD  (the ESME osmo-msc accepts)
#   SIMEXIT_TEST_MSC_CTRL=127.0.0.1:4255
#   SIMEXIT_TEST_OSMO_HLR_CTRL=127.0.0.1:4259
#   SIMEXIT_TEST_MSC_SMS_DB=RUN_DIR/sms.db   (read it with mode=ro; WAL)
#   SIMEXIT_TEST_MSC_SGS=127.0.0.1:29118     (framed TCP, see docs/testing.md)
# then stops both (trap) and exits with the binary's exit code.
# env: SIMEXIT_MSC_SMPP_SYSTEM_ID, SIMEXIT_MSC_SMPP_PASSWORD (see osmo_msc.sh),
#      KEEP_RUN_DIR=1 keeps the run dir (logs, DBs) for inspection.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

if [[ "${SIMEXIT_IN_MSC_NETNS:-}" != 1 ]]; then
  BINARY="${1:-$ROOT/build/dev/simexit_smpp_peertests}"
  [[ -x "$BINARY" ]] || { echo "run_msc_tests.sh: no test binary at $BINARY" >&2; exit 2; }
  BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
  shift || true
  exec env SIMEXIT_IN_MSC_NETNS=1 unshare -n -- "$HERE/run_msc_tests.sh" "$BINARY" "$@"
fi

# ---- inside the private network namespace
BINARY="$1"
shift
ip link set lo up
RUN_DIR="$(mktemp -d /dev/shm/simexit-msc.XXXXXX)"
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  "$HERE/osmo_msc.sh" stop "$RUN_DIR" || true
  if [[ "${KEEP_RUN_DIR:-0}" == 1 ]]; then
    echo "run_msc_tests.sh: kept $RUN_DIR" >&2
  else
    rm -rf "$RUN_DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$HERE/osmo_msc.sh" start "$RUN_DIR"
# msc.env: KEY=VALUE lines written by osmo_msc.sh.
smpp_system_id="$(sed -n 's/^SMPP_SYSTEM_ID=//p' "$RUN_DIR/msc.env")"
smpp_password="$(sed -n 's/^SMPP_PASSWORD=//p' "$RUN_DIR/msc.env")"

rc=0
SIMEXIT_TEST_SMPP=127.0.0.1:2775 \
  SIMEXIT_TEST_SMPP_SYSTEM_ID="$smpp_system_id" \
  SIMEXIT_TEST_SMPP_PASSWORD="$smpp_password" \
  SIMEXIT_TEST_MSC_CTRL=127.0.0.1:4255 \
  SIMEXIT_TEST_OSMO_HLR_CTRL=127.0.0.1:4259 \
  SIMEXIT_TEST_MSC_SMS_DB="$RUN_DIR/sms.db" \
  SIMEXIT_TEST_MSC_SGS=127.0.0.1:29118 \
  "$BINARY" "$@" || rc=$?
if [[ $rc != 0 ]]; then
  echo "run_msc_tests.sh: tests failed (exit $rc); osmo-msc log tail:" >&2
  grep -v -e 'DLSS7' -e 'DLM3UA' "$RUN_DIR/osmo-msc.log" | tail -n 20 >&2 || true
fi
exit "$rc"
