#!/usr/bin/env bash
# Starts the suite under a temporary SEPVIRT_ROOT, runs bench-rpc, stops the suite.
# Usage (as root, from the build tree): bench/rpc/run.sh [bench-rpc options]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/integration/lib/common.sh"
abs_top_builddir=$top
. "$top/tests/integration/lib/suite.sh"
trap suite_stop EXIT
suite_start
"$top/bench/rpc/bench-rpc" -s "$SEPVIRT_ROOT/run/proxyd-ro.sock" "$@"
