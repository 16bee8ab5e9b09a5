#!/usr/bin/env bash
# Runs a PostgreSQL test binary (*_pgtest.cpp, e.g. simexit_store_postgres_pgtests:
# the Store contract suite on PostgreSQL) against a PostgreSQL 15 server it
# starts for the run (tests/support/postgres.sh: initdb in a temp dir,
# 127.0.0.1 on a free port, fsync on) and stops again, whatever happens.
#
#   usage: tests/support/run_pg_tests.sh [TEST_BINARY [gtest args...]]
#   default TEST_BINARY: build/dev/simexit_store_postgres_pgtests
#
# The binary gets SIMEXIT_TEST_PG_URL=postgresql://postgres@127.0.0.1:PORT/simexit_test.
# env: KEEP_RUN_DIR=1 keeps the run dir (server log, data) for inspection.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BINARY="${1:-$ROOT/build/dev/simexit_store_postgres_pgtests}"
[[ -x "$BINARY" ]] || { echo "run_pg_tests.sh: no test binary at $BINARY" >&2; exit 2; }
shift || true

RUN_DIR="$(mktemp -d /tmp/simexit-pg.XXXXXX)"
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  "$HERE/postgres.sh" stop "$RUN_DIR" || true
  if [[ "${KEEP_RUN_DIR:-0}" == 1 ]]; then
    echo "run_pg_tests.sh: kept $RUN_DIR" >&2
  else
    rm -rf "$RUN_DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$HERE/postgres.sh" start "$RUN_DIR"
url="$(sed -n 's/^PG_URL=//p' "$RUN_DIR/pg.env")"
SIMEXIT_TEST_PG_URL="$url" "$BINARY" "$@"
