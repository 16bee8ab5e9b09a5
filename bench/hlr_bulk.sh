#!/usr/bin/env bash
# HLR bulk closure benchmark: the HLR part of a bulk termination against a bare
# pipelined CTRL loop of the same operations on the same osmo-hlr, in one run
# (bench/README.md, "HLR bulk closure benchmark").
#
#   usage: bench/hlr_bulk.sh [--lines N] [--threads T] [--rounds R] [--json FILE]
#          (defaults: 3000 lines, 64 threads, 3 rounds: about a minute here)
#   env:   SIMEXIT_BENCH_BIN  the benchmark binary (default build/release/simexit_hlr_bulk,
#                             else build/dev/simexit_hlr_bulk)
#          SIMEXIT_BENCH_DIR  where simexit's SQLite store goes (default /tmp: a real disk)
#
# Runs in a private network namespace (osmo-hlr's CTRL port is fixed), with
# osmo-hlr in a fresh run dir on /dev/shm, removed at exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
if [[ "${SIMEXIT_IN_NETNS:-}" != 1 ]]; then
  exec env SIMEXIT_IN_NETNS=1 unshare -n -- "$0" "$@"
fi
ip link set lo up

BIN="${SIMEXIT_BENCH_BIN:-}"
if [[ -z "$BIN" ]]; then
  BIN="$ROOT/build/release/simexit_hlr_bulk"
  [[ -x "$BIN" ]] || BIN="$ROOT/build/dev/simexit_hlr_bulk"
fi
[[ -x "$BIN" ]] || { echo "hlr_bulk.sh: no $BIN (cmake --build --preset release --target simexit_hlr_bulk)" >&2; exit 2; }

RUN_DIR="$(mktemp -d /dev/shm/simexit-hlr-bench.XXXXXX)"
cleanup() {
  "$ROOT/tests/support/osmo_hlr.sh" stop "$RUN_DIR" || true
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$ROOT/tests/support/osmo_hlr.sh" start "$RUN_DIR"
timeout --kill-after=10 "${BENCH_TOTAL_TIMEOUT:-3600}" "$BIN" "$@"
