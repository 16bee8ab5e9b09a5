#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine:
#   1. installs the Debian packages it needs (scripts/install-deps.sh),
#   2. builds everything with warnings as errors (CMake preset "dev"),
#   3. runs the unit tests (ctest),
#   4. runs the osmocom (HLR, MSC) and SMPP adapter tests against a real
#      osmo-hlr and osmo-msc,
#   5. runs the integration tests: real osmo-hlr and osmo-msc (with a phone
#      test peer on SGs), `simexit serve` over HTTP.
# Steps 4 and 5 each run in their own network namespace (unshare -n), so they
# never clash with an osmo-hlr already running on this machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -- -j2
ctest --preset dev -j2 --timeout 300
tests/support/run_msc_tests.sh build/dev/simexit_osmocom_tests
tests/support/run_msc_tests.sh build/dev/simexit_smpp_tests
SIMEXIT_BIN=build/dev/simexit tests/integration/run.sh
