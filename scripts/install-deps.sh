#!/usr/bin/env bash
# Installs every Debian 12 package that simexit's build, tests and demo need.
# Idempotent and non-interactive; run as root (or through sudo).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config git clang-format
  # the sanitizer and fuzzing build (preset "asan"): clang 14, its sanitizer and
  # libFuzzer runtimes, llvm-symbolizer for readable reports
  clang libclang-rt-14-dev llvm
  # libraries
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libsodium-dev libexpected-dev
  # the PostgreSQL store (libpq) and the PostgreSQL 15 server its tests start
  # themselves (tests/support/postgres.sh; binaries in /usr/lib/postgresql/15/bin)
  libpq-dev postgresql-15
  libtomlplusplus-dev libfmt-dev libcli11-dev libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  # printed documents (PDF): Cairo, Pango, libqrencode, and fonts for Latin,
  # Cyrillic with the Kazakh letters (DejaVu) and Chinese (Noto CJK)
  libcairo2-dev libpango1.0-dev libqrencode-dev fonts-dejavu-core fonts-noto-cjk
  # real network elements and test runners
  osmo-hlr iproute2 sqlite3 python3 python3-pytest curl
  # the integration tests on PostgreSQL read the store with psycopg2
  python3-psycopg2
  # checking the PDFs: pdftotext/pdfdetach, zbarimg for the QR code, qpdf --check;
  # openssl for the independent Ed25519 checks of certificates and audit exports
  # (tests/integration/test_certificate_pdf.py, test_audit_chain.py)
  poppler-utils zbar-tools qpdf openssl
  # osmo-msc (SMSC over SMPP, SGs) for the SMS/MSC tests; gcc builds its sctp2tcp shim
  osmo-msc gcc libc6-dev
)

# ---- browser tests of the web pages (tests/browser/run.sh) ------------------
# Debian's chromium (never a downloaded browser); node's test runner and npm
# for playwright-core and axe-core (tests/browser/package-lock.json). A node
# that already brings its own npm is kept (playwright-core needs Node.js 20 or
# later: the project's machines have it; Debian 12's own nodejs is 18).
# A CJK font, so pages in Chinese render (and their screenshots read) in it.
packages+=(chromium fonts-wqy-microhei)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
# ---- end of the browser tests' block ---------------------------------------

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
