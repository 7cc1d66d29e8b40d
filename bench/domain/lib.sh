# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# What the scripts of bench/domain share: src, build (their BUILDDIR argument, default _build;
# the source tree when it holds the binaries) and the integration tests' helpers.
#   . "$(dirname "$0")/lib.sh" "$@"
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$src/_build}
[ -x "$build/sepvirtd" ] || build=$src
. "$src/tests/integration/lib/common.sh"
abs_top_builddir=$build
abs_top_srcdir=$src
. "$src/tests/integration/lib/suite.sh"
