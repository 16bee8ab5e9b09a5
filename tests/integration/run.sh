#!/usr/bin/env bash
# Runs the integration tests (tests/integration, pytest) in a private network
# namespace, so osmo-hlr's fixed ports never clash with anything else.
#   usage: tests/integration/run.sh [pytest args...] [test files or file::test ...]
#   env:   SIMEXIT_BIN  the simexit binary (default build/dev/simexit)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ "${SIMEXIT_IN_NETNS:-}" != 1 ]]; then
  exec env SIMEXIT_IN_NETNS=1 unshare -n -- "$0" "$@"
fi
ip link set lo up
# The whole directory, unless the arguments name test files or tests.
targets=("$HERE")
for arg in "$@"; do
  if [[ "$arg" == *.py || "$arg" == *.py::* ]]; then targets=(); fi
done
# Debian's interpreter: it sees python3-pytest (a python3 earlier on PATH may not).
exec /usr/bin/python3 -m pytest -p no:cacheprovider "${targets[@]}" "$@"
