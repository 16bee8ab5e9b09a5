#!/usr/bin/env bash
# Runs the libFuzzer targets (fuzz/*_fuzz.cpp, built by the "asan" preset:
# ASan+UBSan) for a bounded time each, starting from the seed corpora in
# fuzz/corpus/<target>/ and the dictionary fuzz/<target>.dict when there is one.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     default: all targets, 30 s each
#   scripts/fuzz.sh http 3600                  one target for an hour
#   SIMEXIT_FUZZ_MERGE=1 scripts/fuzz.sh mrz 600
#       also merges the inputs that found new coverage into fuzz/corpus/mrz/
#       (minimised; review and commit them)
#
# The corpus is copied to a temporary directory, so a run never writes into the
# repository (unless SIMEXIT_FUZZ_MERGE=1). Any crash, sanitizer report, leak,
# timeout (25 s per input) or out-of-memory fails the run: the reproducer's path
# is printed and its directory kept; re-run it with
#   build/asan/fuzz_<target> <reproducer>
# Build first: cmake --preset asan && cmake --build --preset asan
# (SIMEXIT_FUZZ_BUILD picks another build directory).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target="${1:-all}"
seconds="${2:-30}"
build="${SIMEXIT_FUZZ_BUILD:-build/asan}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

all_targets() {
  for source in fuzz/*_fuzz.cpp; do
    basename "$source" _fuzz.cpp
  done
}

if [ "$target" = "all" ]; then
  mapfile -t targets < <(all_targets)
else
  if [ ! -f "fuzz/${target}_fuzz.cpp" ]; then
    echo "fuzz.sh: no target '$target'; targets: $(all_targets | tr '\n' ' ')" >&2
    exit 2
  fi
  targets=("$target")
fi

# Inputs longer than this are not tried: HTTP requests with a body and CSV
# files need more room than the one-line parsers.
max_len_for() {
  case "$1" in
    http | csv_import | json_body | config | smpp_pdu | ipa_ctrl) echo 16384 ;;
    *) echo 1024 ;;
  esac
}

failed=()
for t in "${targets[@]}"; do
  binary="$build/fuzz_$t"
  if [ ! -x "$binary" ]; then
    echo "fuzz.sh: $binary is missing; build the asan preset first" >&2
    exit 2
  fi
  work="$(mktemp -d "${TMPDIR:-/tmp}/simexit-fuzz-$t.XXXXXX")"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp -r "fuzz/corpus/$t/." "$work/corpus/"
  args=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=3072
        -max_len="$(max_len_for "$t")" -print_final_stats=1
        -artifact_prefix="$work/artifacts/")
  if [ -f "fuzz/$t.dict" ]; then
    args+=(-dict="fuzz/$t.dict")
  fi
  echo "=== fuzz_$t: ${seconds} s from $(find "fuzz/corpus/$t" -type f | wc -l) seed(s)"
  if "$binary" "${args[@]}" "$work/corpus" >"$work/log" 2>&1; then
    grep -E '^(Done|stat::number_of_executed_units|stat::new_units_added)' "$work/log" || true
    if [ "${SIMEXIT_FUZZ_MERGE:-0}" = "1" ]; then
      "$binary" -merge=1 -max_len="$(max_len_for "$t")" "fuzz/corpus/$t" "$work/corpus" \
        >"$work/merge.log" 2>&1
      echo "merged new coverage into fuzz/corpus/$t"
    fi
    rm -rf "$work"
  else
    tail -n 60 "$work/log"
    echo "fuzz.sh: fuzz_$t FAILED; log $work/log" >&2
    for reproducer in "$work"/artifacts/*; do
      [ -e "$reproducer" ] && echo "fuzz.sh: reproducer: $reproducer (run: $binary $reproducer)" >&2
    done
    failed+=("$t")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: all ${#targets[@]} target(s) ran ${seconds} s without a finding"
