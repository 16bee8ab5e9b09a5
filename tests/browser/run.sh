#!/usr/bin/env bash
# Runs the browser tests (tests/browser/*.test.mjs, node's test runner) against
# a real `simexit serve` on demo data with a real osmo-hlr, driving Debian's
# chromium through playwright-core (never a downloaded browser). Everything
# runs in a private network namespace, like tests/integration/run.sh.
#   usage: tests/browser/run.sh [test files...]
#   env:   SIMEXIT_BIN  the simexit binary (default build/dev/simexit; a
#                       relative path is taken from the repository root)
#          CHROMIUM     the browser (default /usr/bin/chromium)
# Screenshots land in tests/browser/artifacts/ (not committed).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

SIMEXIT_BIN="${SIMEXIT_BIN:-build/dev/simexit}"
[[ "$SIMEXIT_BIN" == /* ]] || SIMEXIT_BIN="$ROOT/$SIMEXIT_BIN"
export SIMEXIT_BIN CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[[ -x "$SIMEXIT_BIN" ]] || { echo "browser tests: no simexit binary at $SIMEXIT_BIN" >&2; exit 1; }
[[ -x "$CHROMIUM" ]] || { echo "browser tests: no browser at $CHROMIUM (apt-get install chromium)" >&2; exit 1; }

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if ((node_major < 20)); then
  echo "browser tests: playwright-core needs Node.js 20 or later (found: $(node --version 2>&1))" >&2
  exit 1
fi

if [[ "${SIMEXIT_IN_NETNS:-}" != 1 ]]; then
  # The packages first, while the network is there (package-lock.json pins them).
  if [[ ! -d "$HERE/node_modules/playwright-core" || ! -d "$HERE/node_modules/axe-core" ]]; then
    (cd "$HERE" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
  exec env SIMEXIT_IN_NETNS=1 unshare -n -- "$0" "$@"
fi
ip link set lo up

WORK="$(mktemp -d /dev/shm/simexit-browser.XXXXXX)"
HLR_DIR="$WORK/hlr"
mkdir -p "$HLR_DIR"
SERVE_PID=""
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  if [[ -n "$SERVE_PID" ]]; then
    kill "$SERVE_PID" 2>/dev/null || true
    wait "$SERVE_PID" 2>/dev/null || true
  fi
  "$ROOT/tests/support/osmo_hlr.sh" stop "$HLR_DIR" || true
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then echo "browser tests: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

"$ROOT/tests/support/osmo_hlr.sh" start "$HLR_DIR"

PORT=18080
cat >"$WORK/simexit.toml" <<TOML
[server]
listen = "127.0.0.1"
port = $PORT
requests_per_second_per_address = 0
requests_per_second_per_credential = 0
[store]
path = "$WORK/simexit.db"
[hlr]
kind = "osmo-hlr"
timeout_ms = 2000
[sms]
sink_path = "$WORK/sms.log"
[worker]
enabled = true
poll_interval_ms = 100
backoff_base_seconds = 1
[secrets]
dir = "$WORK/secrets"
[log]
level = "info"
TOML

(cd "$WORK" && "$SIMEXIT_BIN" --config "$WORK/simexit.toml" demo >"$WORK/demo.txt" 2>>"$WORK/serve.log")
(cd "$WORK" && exec "$SIMEXIT_BIN" --config "$WORK/simexit.toml" serve >>"$WORK/serve.log" 2>&1) &
SERVE_PID=$!
for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$PORT/v1/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVE_PID" 2>/dev/null; then
    echo "browser tests: simexit serve exited" >&2
    cat "$WORK/serve.log" >&2
    exit 1
  fi
  sleep 0.1
done

export SIMEXIT_URL="http://127.0.0.1:$PORT" SIMEXIT_SMS_LOG="$WORK/sms.log"
export SIMEXIT_DEMO_TXT="$WORK/demo.txt" SIMEXIT_ARTIFACTS="$HERE/artifacts"
export SIMEXIT_DB="$WORK/simexit.db"
mkdir -p "$SIMEXIT_ARTIFACTS"
cd "$HERE"
tests=("$@")
if [[ ${#tests[@]} == 0 ]]; then
  mapfile -t tests < <(ls ./*.test.mjs)
fi
status=0
node --test "${tests[@]}" || status=$?
if [[ $status != 0 ]]; then
  echo "browser tests: simexit's log follows" >&2
  tail -n 50 "$WORK/serve.log" >&2
fi
exit "$status"
