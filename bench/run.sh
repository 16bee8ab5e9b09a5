#!/usr/bin/env bash
# SMS throughput benchmark: simexit (outbox -> submit_sm_resp) against bare
# submit_sm loops to the same osmo-msc SMSC, in one run (see bench/README.md).
#
#   usage: bench/run.sh [sms_throughput.py args...]
#   env:   BENCH_MESSAGES       messages per phase (default 2000)
#          BENCH_SERVE_THREADS  [worker] threads of the serve phase (default 4, 0 skips it)
#          BENCH_PHASE_TIMEOUT  seconds per phase (default 600)
#          SIMEXIT_BIN          simexit binary (default build/release/simexit, else build/dev/simexit)
#
# Runs in a private network namespace (osmo-hlr/osmo-msc ports are fixed),
# with osmo-hlr + osmo-msc in a fresh run dir on /dev/shm, removed at exit.
# Writes bench/results.json.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
if [[ "${SIMEXIT_IN_NETNS:-}" != 1 ]]; then
  exec env SIMEXIT_IN_NETNS=1 unshare -n -- "$0" "$@"
fi
ip link set lo up

RUN_DIR="$(mktemp -d /dev/shm/simexit-bench.XXXXXX)"
cleanup() {
  "$ROOT/tests/support/osmo_msc.sh" stop "$RUN_DIR" || true
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

OSMO_MSC_START_TIMEOUT="${OSMO_MSC_START_TIMEOUT:-20}" \
  "$ROOT/tests/support/osmo_msc.sh" start "$RUN_DIR"
# Debian's interpreter (stdlib only); bounded as a whole as well as per phase.
timeout --kill-after=10 "${BENCH_TOTAL_TIMEOUT:-3600}" \
  /usr/bin/python3 "$HERE/sms_throughput.py" --msc-run-dir "$RUN_DIR" \
  --messages "${BENCH_MESSAGES:-2000}" "$@"
