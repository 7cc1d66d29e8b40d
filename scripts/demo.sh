#!/usr/bin/env bash
# The demo: the whole suite started under a private SEPVIRT_ROOT, every daemon answering
# through sepvirt-proxyd with its own uid, capabilities and seccomp filter.
#   scripts/demo.sh [BUILDDIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/_build}
. "$src/tests/integration/lib/common.sh"
abs_top_builddir=$build
. "$src/tests/integration/lib/suite.sh"
SV_TEST_NAME=demo
trap suite_stop EXIT
suite_start
echo "== sepvirt suite running under SEPVIRT_ROOT=$SEPVIRT_ROOT"
echo "\$ sepvirsh version --daemon"
"$SEPVIRSH" version --daemon
echo "\$ sepvirsh -r define demo.xml   # a mutating call on the read-only socket"
echo "<domain type='qemu'><name>demo</name><memory>65536</memory></domain>" >"$SEPVIRT_ROOT/demo.xml"
"$SEPVIRSH" -r define "$SEPVIRT_ROOT/demo.xml" || true
echo "== stopping the suite"
