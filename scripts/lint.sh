#!/usr/bin/env bash
# Lints the C++ sources: clang-format (check only, never rewrites) and
# clang-tidy (the checks in .clang-tidy).
#
#   scripts/lint.sh                 clang-format on all sources, clang-tidy on all .cpp
#   scripts/lint.sh FILE...         both, on these files only (paths from the repo root)
#   scripts/lint.sh --format-only [FILE...]
#   scripts/lint.sh --tidy-only [FILE...]
#
# clang-tidy reads build/dev/compile_commands.json (`cmake --preset dev`);
# set BUILD_DIR to use another build. It is slow (seconds per file): on a
# shared machine, give it the files you changed. JOBS (default 2) runs that
# many clang-tidy processes at once.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BUILD_DIR="${BUILD_DIR:-build/dev}"
JOBS="${JOBS:-2}"
run_format=1
run_tidy=1
case "${1:-}" in
  --format-only) run_tidy=0; shift ;;
  --tidy-only) run_format=0; shift ;;
esac

files=("$@")
if [[ ${#files[@]} == 0 ]]; then
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
fi

status=0
if [[ $run_format == 1 ]]; then
  echo "lint: clang-format --dry-run on ${#files[@]} file(s)" >&2
  clang-format --dry-run -Werror "${files[@]}" || status=1
fi

if [[ $run_tidy == 1 ]]; then
  if [[ ! -f "$BUILD_DIR/compile_commands.json" ]]; then
    echo "lint: no $BUILD_DIR/compile_commands.json; run 'cmake --preset dev' first" >&2
    exit 2
  fi
  # clang-tidy checks translation units; headers are checked through the .cpp
  # files that include them (HeaderFilterRegex in .clang-tidy).
  sources=()
  for f in "${files[@]}"; do
    if [[ $f == *.cpp ]]; then
      sources+=("$f")
    fi
  done
  if [[ ${#sources[@]} -gt 0 ]]; then
    echo "lint: clang-tidy on ${#sources[@]} file(s), $JOBS at a time" >&2
    printf '%s\0' "${sources[@]}" |
      xargs -0 -n 1 -P "$JOBS" clang-tidy --quiet -p "$BUILD_DIR" || status=1
  fi
fi

if [[ $status != 0 ]]; then
  echo "lint: problems found" >&2
fi
exit "$status"
