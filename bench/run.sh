#!/usr/bin/env bash
# Every benchmark of the project in one run: one table of ratios, each against
# a baseline measured in the same run (bench/README.md says what each means).
#
#   usage: bench/run.sh [--full] [--only NAME[,NAME...]] [--list]
#   env:   BENCH_FULL=1        full sizes (longer rounds, more of them; ~15 min)
#          BENCH_ROUNDS        rounds per benchmark (default 3, full 5)
#          BENCH_ONLY          as --only
#          SIMEXIT_BUILD_DIR   where the binaries are (default build/release when it
#                              has simexit, else build/dev)
#          SIMEXIT_BIN         the simexit binary (default $SIMEXIT_BUILD_DIR/simexit)
#          BENCH_OUT           the JSON report (default bench/results.json)
#          BENCH_DIR           where durable databases go (default /tmp: a real disk)
#
# Each benchmark is one entry (a function bench_<name> below) that writes one
# JSON file; a binary that is not built gives the row "not built", a benchmark
# that fails "failed": neither stops the others. Exit status 0 unless the
# script itself breaks. Not part of CI.
#
# Runs in a private network namespace (osmo-hlr/osmo-msc ports are fixed),
# with its daemons and scratch files in a fresh dir on /dev/shm, removed at exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

ENTRIES=(get_line durable_post sms hlr_bulk dormancy_sweep certificate_signing certificate_pdf
         number_recycling)

ONLY="${BENCH_ONLY:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --full) export BENCH_FULL=1 ;;
    --only) ONLY="$2"; shift ;;
    --list) printf '%s\n' "${ENTRIES[@]}"; exit 0 ;;
    *) echo "usage: bench/run.sh [--full] [--only NAME[,NAME...]] [--list]" >&2; exit 2 ;;
  esac
  shift
done

if [[ "${SIMEXIT_IN_NETNS:-}" != 1 ]]; then
  exec env SIMEXIT_IN_NETNS=1 BENCH_ONLY="$ONLY" unshare -n -- "$0"
fi
ip link set lo up

FULL="${BENCH_FULL:-0}"
ROUNDS="${BENCH_ROUNDS:-$([[ $FULL == 1 ]] && echo 5 || echo 3)}"
if [[ -z "${SIMEXIT_BUILD_DIR:-}" ]]; then
  SIMEXIT_BUILD_DIR="$ROOT/build/release"
  [[ -x "$SIMEXIT_BUILD_DIR/simexit" ]] || SIMEXIT_BUILD_DIR="$ROOT/build/dev"
fi
SIMEXIT_BUILD_DIR="$(cd "$SIMEXIT_BUILD_DIR" 2>/dev/null && pwd || echo "$SIMEXIT_BUILD_DIR")"
SIMEXIT_BIN="$(realpath -m "${SIMEXIT_BIN:-$SIMEXIT_BUILD_DIR/simexit}")"
OUT_JSON="${BENCH_OUT:-$HERE/results.json}"
PY=/usr/bin/python3  # Debian's interpreter: the bench scripts use the stdlib only

RUN_DIR="$(mktemp -d /dev/shm/simexit-bench.XXXXXX)"
ENTRY_DIR="$RUN_DIR/entries"
mkdir -p "$ENTRY_DIR"
MSC_STARTED=0
cleanup() {
  if [[ $MSC_STARTED == 1 ]]; then
    "$ROOT/tests/support/osmo_msc.sh" stop "$RUN_DIR/msc" || true
  fi
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# mark FILE NAME STATUS DETAIL WHAT [TARGET]: an entry that did not run.
mark() { "$PY" "$HERE/benchlib.py" status "$@"; }

# ---- the entries: bench_<name> ENTRY_JSON -------------------------------------------

bench_get_line() {
  local what="GET /v1/lines/{msisdn} vs nginx serving the same body as a static file"
  if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      echo "installing Debian's nginx and wrk (apt-get)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk >/dev/null ||
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk >/dev/null || true
    fi
  fi
  if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
    mark "$1" get_line "not built" "nginx or wrk missing (apt-get install nginx-light wrk)" \
      "$what" 0.5
    return
  fi
  "$PY" "$HERE/get_line.py" --simexit "$SIMEXIT_BIN" --work-dir "$RUN_DIR/get_line" \
    --entry "$1" --rounds "$ROUNDS" --seconds "$([[ $FULL == 1 ]] && echo 10 || echo 3)"
}

bench_durable_post() {
  # Until POST /v1/terminations itself is measured: the store's durable
  # one-row transaction through group commit, 16 concurrent writers.
  "$PY" "$HERE/gbench_entry.py" --out "$1" --name durable_post \
    --what "durable one-row store transaction through group commit, 16 writers (SqliteStore::Transact) vs bare SQLite FULL one-row txn; POST /v1/terminations itself not measured yet" \
    --target 1.0 --binary "$SIMEXIT_BUILD_DIR/simexit_durable_commits" \
    --measured "group_commit/min_time:2.000/real_time/threads:16" \
    --baseline "bare_full/min_time:2.000/real_time/threads:16" \
    --rounds "$ROUNDS" --unit "commits"
}

bench_sms() {
  local what="SMS outbox -> submit_sm_resp (simexit worker) vs bare windowed submit_sm loop"
  if [[ ! -x "$SIMEXIT_BIN" ]]; then
    mark "$1" sms "not built" "$SIMEXIT_BIN is missing" "$what" 0.9
    return
  fi
  mkdir -p "$RUN_DIR/msc"
  MSC_STARTED=1
  OSMO_MSC_START_TIMEOUT="${OSMO_MSC_START_TIMEOUT:-20}" \
    "$ROOT/tests/support/osmo_msc.sh" start "$RUN_DIR/msc" >/dev/null
  SIMEXIT_BIN="$SIMEXIT_BIN" timeout --kill-after=10 "${BENCH_TOTAL_TIMEOUT:-1800}" \
    "$PY" "$HERE/sms_throughput.py" --msc-run-dir "$RUN_DIR/msc" \
    --messages "${BENCH_MESSAGES:-$([[ $FULL == 1 ]] && echo 20000 || echo 5000)}" \
    --rounds "$ROUNDS" --out "$RUN_DIR/sms_phases.json" --entry "$1" || true
  "$ROOT/tests/support/osmo_msc.sh" stop "$RUN_DIR/msc" || true
  MSC_STARTED=0
}

bench_hlr_bulk() {
  local what="HLR part of a bulk closure vs a bare pipelined CTRL loop of the same operations, same osmo-hlr"
  local bin="$SIMEXIT_BUILD_DIR/simexit_hlr_bulk"
  if [[ ! -x "$bin" ]]; then
    mark "$1" hlr_bulk "not built" "$bin is missing" "$what" 0.9
    return
  fi
  local lines
  lines="$([[ $FULL == 1 ]] && echo 20000 || echo 3000)"
  # Its own network namespace and osmo-hlr (bench/hlr_bulk.sh); one line per round.
  SIMEXIT_BENCH_BIN="$bin" "$HERE/hlr_bulk.sh" --lines "$lines" --rounds "$ROUNDS" \
    >"$RUN_DIR/hlr_bulk.txt" 2>&1 ||
    { mark "$1" hlr_bulk failed "$(tail -1 "$RUN_DIR/hlr_bulk.txt")" "$what" 0.9; return; }
  "$PY" -c '
import re, sys
sys.path.insert(0, sys.argv[1])
import benchlib
entry, what, lines, text = sys.argv[2], sys.argv[3], int(sys.argv[4]), open(sys.argv[5]).read()
rows = re.findall(r"(?m)^\s*\d+\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+[\d.]+\s*$", text)
rates = [{"measured": float(s), "baseline": float(b)} for b, s, _ in rows]
benchlib.write_entry(entry, "hlr_bulk", what, 0.9, n=lines, unit="subscribers",
                     ratios=[float(r) for _, _, r in rows], rates=rates)
' "$HERE" "$1" "$what" "$lines" "$RUN_DIR/hlr_bulk.txt"
}

# The sweep's wall time against the issue's budget of 10 s for 10 M lines,
# scaled to the lines of the run: ratio = budget / time, so >= 1 meets it. One
# round (generating the lines is most of the time); full: 10 M lines.
bench_dormancy_sweep() {
  local what="dormancy sweep (SQLite, 1 line in 1000 due): the 10 s per 10 M lines budget / its wall time"
  local bin="$SIMEXIT_BUILD_DIR/simexit_dormancy_sweep"
  if [[ ! -x "$bin" ]]; then
    mark "$1" dormancy_sweep "not built" "$bin is missing" "$what" 1.0
    return
  fi
  local lines
  lines="$([[ $FULL == 1 ]] && echo 10000000 || echo 1000000)"
  (cd "$RUN_DIR" && SIMEXIT_BENCH_DIR="$RUN_DIR" "$bin" "$lines" 1) \
    >"$RUN_DIR/dormancy_sweep.txt" 2>&1 ||
    { mark "$1" dormancy_sweep failed "$(tail -1 "$RUN_DIR/dormancy_sweep.txt")" "$what" 1.0; return; }
  "$PY" -c '
import re, sys
sys.path.insert(0, sys.argv[1])
import benchlib
entry, what, lines, text = sys.argv[2], sys.argv[3], int(sys.argv[4]), open(sys.argv[5]).read()
wall = float(re.search(r"(?m)^sweep: .*?\s([\d.]+)\s+[\d.]+\s*$", text).group(1))
budget = 10.0 * lines / 10_000_000
benchlib.write_entry(entry, "dormancy_sweep", what, 1.0, n=lines, unit="lines",
                     ratios=[budget / wall if wall else 0.0],
                     rates=[{"measured": lines / wall if wall else 0.0,
                             "baseline": 1_000_000.0}],
                     extra={"sweep_seconds": wall})
' "$HERE" "$1" "$what" "$lines" "$RUN_DIR/dormancy_sweep.txt"
}

bench_certificate_signing() {
  "$PY" "$HERE/gbench_entry.py" --out "$1" --name certificate_signing \
    --what "CertificateSigner::Sign (validate, canonical JSON, Ed25519, base64) vs libsodium crypto_sign_detached of the same bytes" \
    --target 0.9 --binary "$SIMEXIT_BUILD_DIR/simexit_certificate_signing" \
    --measured BM_SignCertificate --baseline BM_LibsodiumSign --rounds "$ROUNDS" \
    --min-time "$([[ $FULL == 1 ]] && echo 2 || echo 0.5)" --unit "signatures"
}

bench_certificate_pdf() {
  "$PY" "$HERE/gbench_entry.py" --out "$1" --name certificate_pdf \
    --what "certificate PDF (English) vs an A4 PDF with one line of text, same canvas" \
    --binary "$SIMEXIT_BUILD_DIR/simexit_certificate_pdf_bench" \
    --measured BM_CertificatePdf/3 --baseline BM_BaselineOnePage --rounds "$ROUNDS" \
    --min-time "$([[ $FULL == 1 ]] && echo 2 || echo 0.5)" --unit "PDFs"
}

bench_number_recycling() {
  local what="number recycling check-batch of 1,000 over HTTP vs bare SQLite primary-key lookup"
  local bin="$SIMEXIT_BUILD_DIR/simexit_number_recycling"
  if [[ ! -x "$bin" ]]; then
    mark "$1" number_recycling "not built" "$bin is missing" "$what" ""
    return
  fi
  local lines seconds i
  lines="$([[ $FULL == 1 ]] && echo 100000 || echo 20000)"
  seconds="$([[ $FULL == 1 ]] && echo 3 || echo 1)"
  for ((i = 1; i <= ROUNDS; i++)); do
    (cd "$RUN_DIR" && "$bin" "$lines" "$seconds") >"$RUN_DIR/number_recycling.$i.txt" 2>&1 ||
      { mark "$1" number_recycling failed "$(tail -1 "$RUN_DIR/number_recycling.$i.txt")" \
          "$what" ""; return; }
  done
  "$PY" -c '
import re, sys
sys.path.insert(0, sys.argv[1])
import benchlib
entry, what, files = sys.argv[2], sys.argv[3], sys.argv[4:]
ratios, rates = [], []
for f in files:
    text = open(f).read()
    bare = float(re.search(r"bare SQLite primary-key lookup\s+([\d.]+)", text).group(1))
    batch = float(re.search(r"batch checks \(1,000\), HTTP\s+([\d.]+)", text).group(1))
    ratios.append(batch / bare if bare else 0.0)
    rates.append({"measured": batch, "baseline": bare})
lines = int(re.search(r"lines in the database\s+(\d+)", text).group(1))
benchlib.write_entry(entry, "number_recycling", what, None, n=lines, unit="lines",
                     ratios=ratios, rates=rates)
' "$HERE" "$1" "$what" "$RUN_DIR"/number_recycling.*.txt
}

# ---- run them -------------------------------------------------------------------------

echo "bench/run.sh: $([[ $FULL == 1 ]] && echo full || echo short) sizes, $ROUNDS rounds," \
  "binaries from $SIMEXIT_BUILD_DIR"
files=()
for name in "${ENTRIES[@]}"; do
  if [[ -n "$ONLY" && ",$ONLY," != *",$name,"* ]]; then
    continue
  fi
  file="$ENTRY_DIR/$name.json"
  echo "== $name"
  start=$SECONDS
  if ! "bench_$name" "$file"; then
    [[ -f "$file" ]] || mark "$file" "$name" failed "bench_$name exited non-zero" "$name" ""
  fi
  [[ -f "$file" ]] || mark "$file" "$name" failed "bench_$name wrote no result" "$name" ""
  echo "   ($((SECONDS - start)) s)"
  files+=("$file")
done
"$PY" "$HERE/report.py" --out "$OUT_JSON" \
  --meta "{\"full\": $([[ $FULL == 1 ]] && echo true || echo false), \"rounds\": $ROUNDS, \"build_dir\": \"$SIMEXIT_BUILD_DIR\"}" \
  "${files[@]}"
