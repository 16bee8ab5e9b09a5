#!/usr/bin/env bash
# Try simexit on this machine, from a fresh Debian 12 install:
#   installs the Debian packages, builds simexit, starts a real osmo-hlr on
#   127.0.0.1 (data on /dev/shm), creates demo operators and lines in an
#   embedded SQLite database (var/demo/simexit.db), and serves the API on
#   http://127.0.0.1:8080 until Ctrl-C. Prints a sample journey to paste.
# Run again at any time: the demo data is kept (delete var/demo to start over).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

"$ROOT/scripts/install-deps.sh"
cmake --preset release >/dev/null
# Only the binary this script runs, not the tests.
cmake --build --preset release --target simexit -- -j2
SIMEXIT="$ROOT/build/release/simexit"
HLR_SCRIPT="$ROOT/tests/support/osmo_hlr.sh"

DATA="${SIMEXIT_DEMO_DIR:-$ROOT/var/demo}"
mkdir -p "$DATA"

# Every path below is absolute: the script changes into $DATA before serving,
# and the cleanup must still find the HLR script then (it once did not, and
# osmo-hlr outlived the demo).
started_hlr=0
HLR_DIR=""
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  if [[ $started_hlr == 1 ]]; then
    "$HLR_SCRIPT" stop "$HLR_DIR" || true
  fi
  if [[ -n "$HLR_DIR" ]]; then
    rm -rf "$HLR_DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if (exec 3<>/dev/tcp/127.0.0.1/4259) 2>/dev/null; then
  echo "demo: an HLR already answers on 127.0.0.1:4259; using it"
else
  # Each run has its own HLR directory, so runs never share a pid file or DB.
  HLR_DIR="$(mktemp -d /dev/shm/simexit-demo-hlr.XXXXXX)"
  started_hlr=1  # before start: a half-started osmo-hlr is stopped too
  "$HLR_SCRIPT" start "$HLR_DIR"
fi

cd "$DATA"
"$SIMEXIT" demo 2>>simexit.log | tee demo.txt
MSISDN=+77011000001
cat <<JOURNEY

Self-service pages (sign in as a holder with a demo line; the code is in the SMS log below):
  http://127.0.0.1:8080/my
Operator console (sign in with a staff account printed above):
  http://127.0.0.1:8080/console
API description: http://127.0.0.1:8080/v1/openapi.yaml
SMS are not sent in this demo: they are appended to $DATA/simexit-sms.log.
A sample journey (paste into another terminal):

  cd $DATA
  curl -sw '\n' -XPOST localhost:8080/v1/auth/otp -d '{"msisdn":"8 701 100 0001"}'
  sleep 1; CODE=\$(tail -n1 simexit-sms.log | grep -o '[0-9]\{6\}\.' | tr -d .)
  TOKEN=\$(curl -s -XPOST localhost:8080/v1/auth/otp/verify \\
      -d "{\"msisdn\":\"$MSISDN\",\"code\":\"\$CODE\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/')
  curl -sw '\n' localhost:8080/v1/lines/$MSISDN -H "Authorization: Bearer \$TOKEN"
  curl -sw '\n' localhost:8080/v1/lines/$MSISDN/termination-quote -H "Authorization: Bearer \$TOKEN"
  ID=\$(curl -s -XPOST localhost:8080/v1/terminations -H "Authorization: Bearer \$TOKEN" \\
      -H 'Idempotency-Key: demo-1' \\
      -d '{"msisdn":"$MSISDN","refund":{"method":"iban","destination":"KZ86125KZT5004100100"}}' \\
      | sed 's/^{"id":"\([^"]*\)".*/\1/')
  sleep 2; curl -sw '\n' localhost:8080/v1/terminations/\$ID -H "Authorization: Bearer \$TOKEN"
  curl -sw '\n' localhost:8080/v1/terminations/\$ID/certificate -H "Authorization: Bearer \$TOKEN" > cert.json
  $SIMEXIT certificate verify cert.json --public-key \\
      \$(curl -s localhost:8080/v1/certificates/public-key | sed 's/.*"public_key_hex":"\([^"]*\)".*/\1/')

Logs (JSON lines): $DATA/simexit.log. Stop with Ctrl-C.
JOURNEY
"$SIMEXIT" serve 2>>simexit.log
