#!/usr/bin/env bash
# Runs the osmo-hlr adapter tests against a real osmo-hlr, in a private network
# namespace (osmo-hlr's CTRL port 4259 is fixed, so parallel runs would clash).
#
#   usage: tests/support/run_hlr_tests.sh [TEST_BINARY [gtest args...]]
#   default TEST_BINARY: build/dev/simexit_osmocom_tests
#
# Inside `unshare -n` (needs root or user namespaces): brings lo up, starts
# osmo-hlr with a fresh DB in a /dev/shm run dir, runs the binary with
# SIMEXIT_TEST_OSMO_HLR_CTRL=127.0.0.1:4259, stops osmo-hlr (trap) and exits
# with the test binary's exit code.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

if [[ "${SIMEXIT_IN_HLR_NETNS:-}" != 1 ]]; then
  BINARY="${1:-$ROOT/build/dev/simexit_osmocom_tests}"
  [[ -x "$BINARY" ]] || { echo "run_hlr_tests.sh: no test binary at $BINARY" >&2; exit 2; }
  BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"
  shift || true
  exec env SIMEXIT_IN_HLR_NETNS=1 unshare -n -- "$HERE/run_hlr_tests.sh" "$BINARY" "$@"
fi

# ---- inside the private network namespace
BINARY="$1"
shift
ip link set lo up
RUN_DIR="$(mktemp -d /dev/shm/simexit-hlr.XXXXXX)"
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  "$HERE/osmo_hlr.sh" stop "$RUN_DIR" || true
  if [[ "${KEEP_RUN_DIR:-0}" == 1 ]]; then
    echo "run_hlr_tests.sh: kept $RUN_DIR" >&2
  else
    rm -rf "$RUN_DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$HERE/osmo_hlr.sh" start "$RUN_DIR"
rc=0
SIMEXIT_TEST_OSMO_HLR_CTRL=127.0.0.1:4259 "$BINARY" "$@" || rc=$?
if [[ $rc != 0 ]]; then
  echo "run_hlr_tests.sh: tests failed (exit $rc); osmo-hlr log tail:" >&2
  tail -n 20 "$RUN_DIR/osmo-hlr.log" >&2 || true
fi
exit "$rc"
