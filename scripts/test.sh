#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine:
#   1. installs the Debian packages it needs (scripts/install-deps.sh),
#   2. checks the C++ sources are clang-formatted (scripts/lint.sh --format-only)
#      and that docs/architecture.md's rule table names files and functions
#      that exist (scripts/check_rule_table.py),
#   3. builds everything with warnings as errors (CMake preset "dev"): every
#      target is run below (unit and peer tests, the simexit binary for the
#      integration tests, the sctp2tcp shim for osmo-msc),
#   4. runs the unit tests (ctest: *_test.cpp, need nothing outside the process),
#   5. runs the peer tests (*_peertest.cpp: the osmocom (HLR, MSC) and SMPP
#      adapters against a real osmo-hlr and osmo-msc; not part of ctest),
#   5b. runs the Store contract suites on PostgreSQL 15 (*_pgtest.cpp; a server
#      tests/support/run_pg_tests.sh starts and stops itself: initdb in a temp dir,
#      127.0.0.1, fsync on; not part of ctest),
#   6. runs the integration tests: real osmo-hlr and osmo-msc (with a phone
#      test peer on SGs), `simexit serve` over HTTP, on SQLite and, at the same
#      time in another network namespace, on PostgreSQL (SIMEXIT_TEST_PG=1: a
#      fresh database per test),
#   7. runs the browser tests: Debian's chromium driven by playwright-core
#      against `simexit serve` (tests/browser, docs/web.md),
#   8. builds the "asan" preset (clang, AddressSanitizer + UndefinedBehaviorSanitizer,
#      warnings as errors, and the libFuzzer targets in fuzz/) and runs steps
#      4-6 again against it (the integration tests on SQLite only); any sanitizer report (memory error, undefined
#      behaviour, leak) fails: the unit and peer tests abort on it, and for the
#      integration tests, whose simexit processes are not all checked for their
#      exit status, every report is written to a directory that must stay empty,
#   9. runs every fuzz target for SIMEXIT_FUZZ_SECONDS (default 30) seconds
#      (scripts/fuzz.sh; a crash or report fails and prints the reproducer).
# Steps 5 and 6 each run in their own network namespace (unshare -n), so they
# never clash with an osmo-hlr already running on this machine.
# docs/testing.md says more, including the ThreadSanitizer preset (not run here)
# and longer fuzzing runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh
scripts/lint.sh --format-only
/usr/bin/python3 scripts/check_rule_table.py
cmake --preset dev >/dev/null
cmake --build --preset dev -- -j2
ctest --preset dev -j2 --timeout 300
tests/support/run_msc_tests.sh build/dev/simexit_osmocom_peertests
tests/support/run_msc_tests.sh build/dev/simexit_smpp_peertests
tests/support/run_pg_tests.sh build/dev/simexit_store_postgres_pgtests
# The integration suite on SQLite and on PostgreSQL at the same time, each in
# its own network namespace: most of their time is spent waiting on peers, so
# together they take little longer than the slower one alone. SQLite's output
# is printed once both have ended.
sqlite_log="$(mktemp "${TMPDIR:-/tmp}/simexit-integration-sqlite.XXXXXX")"
SIMEXIT_BIN=build/dev/simexit tests/integration/run.sh >"$sqlite_log" 2>&1 &
sqlite_suite=$!
pg_status=0
SIMEXIT_TEST_PG=1 SIMEXIT_BIN=build/dev/simexit tests/integration/run.sh || pg_status=$?
sqlite_status=0
wait "$sqlite_suite" || sqlite_status=$?
echo "=== the integration suite on SQLite (exit $sqlite_status)"
cat "$sqlite_log"
rm -f "$sqlite_log"
if [ "$pg_status" -ne 0 ] || [ "$sqlite_status" -ne 0 ]; then
  echo "test.sh: integration suite failed (PostgreSQL: exit $pg_status, SQLite: exit $sqlite_status)" >&2
  exit 1
fi

# ---- 7. browser tests of the web pages ----------------------------------------
# Debian's chromium driven by playwright-core against `simexit serve` on demo
# data with a real osmo-hlr, in its own network namespace (docs/web.md).
SIMEXIT_BIN=build/dev/simexit tests/browser/run.sh
# ---- end of the browser tests' block -----------------------------------------

# ---- 8. the same suites under ASan+UBSan
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
# fontconfig's process-lifetime caches (reached when a PDF is drawn) are not
# leaks of simexit's: tests/support/lsan.supp says why.
export LSAN_OPTIONS="suppressions=$PWD/tests/support/lsan.supp:print_suppressions=0"
cmake --preset asan >/dev/null
cmake --build --preset asan -- -j2
ctest --preset asan -j2 --timeout 600
tests/support/run_msc_tests.sh build/asan/simexit_osmocom_peertests
tests/support/run_msc_tests.sh build/asan/simexit_smpp_peertests
tests/support/run_pg_tests.sh build/asan/simexit_store_postgres_pgtests
reports="$(mktemp -d "${TMPDIR:-/tmp}/simexit-sanitizer-reports.XXXXXX")"
ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$reports/asan" \
  UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$reports/ubsan" \
  SIMEXIT_BIN=build/asan/simexit tests/integration/run.sh
if [ -n "$(ls -A "$reports")" ]; then
  for report in "$reports"/*; do
    echo "=== $report"
    cat "$report"
  done
  echo "test.sh: sanitizer reports from the integration tests (kept in $reports)" >&2
  exit 1
fi
rm -rf "$reports"

# ---- 9. fuzzing, bounded
scripts/fuzz.sh all "${SIMEXIT_FUZZ_SECONDS:-30}"
