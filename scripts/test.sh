#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine:
#   1. installs the Debian packages it needs (scripts/install-deps.sh),
#   2. checks the C++ sources are clang-formatted (scripts/lint.sh --format-only),
#   3. builds everything with warnings as errors (CMake preset "dev"): every
#      target is run below (unit and peer tests, the simexit binary for the
#      integration tests, the sctp2tcp shim for osmo-msc),
#   4. runs the unit tests (ctest: *_test.cpp, need nothing outside the process),
#   5. runs the peer tests (*_peertest.cpp: the osmocom (HLR, MSC) and SMPP
#      adapters against a real osmo-hlr and osmo-msc; not part of ctest),
#   6. runs the integration tests: real osmo-hlr and osmo-msc (with a phone
#      test peer on SGs), `simexit serve` over HTTP.
# Steps 5 and 6 each run in their own network namespace (unshare -n), so they
# never clash with an osmo-hlr already running on this machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh
scripts/lint.sh --format-only
cmake --preset dev >/dev/null
cmake --build --preset dev -- -j2
ctest --preset dev -j2 --timeout 300
tests/support/run_msc_tests.sh build/dev/simexit_osmocom_peertests
tests/support/run_msc_tests.sh build/dev/simexit_smpp_peertests
SIMEXIT_BIN=build/dev/simexit tests/integration/run.sh

# ---- browser tests of the web pages ------------------------------------------
# Debian's chromium driven by playwright-core against `simexit serve` on demo
# data with a real osmo-hlr, in its own network namespace (docs/web.md).
SIMEXIT_BIN=build/dev/simexit tests/browser/run.sh
# ---- end of the browser tests' block -----------------------------------------
