#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/container: the suite under a temporary SEPVIRT_ROOT in a private network namespace, a
# busybox container, N start/destroy cycles. Run from the build directory, as root:
#   ../bench/container/run.sh [CYCLES]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${abs_top_builddir:=$PWD}"
: "${abs_top_srcdir:=$(cd "$here/../.." && pwd)}"
export abs_top_builddir abs_top_srcdir
SV_TEST_NAME=bench-container
. "$abs_top_srcdir/tests/integration/lib/common.sh"
. "$abs_top_srcdir/tests/integration/lib/suite.sh"
. "$abs_top_srcdir/tests/integration/lxcd/lib.sh"
in_netns "$@"
trap suite_stop EXIT
lxc_suite_start
lxc_define bench "$ROOTFS" 'while :; do sleep 1; done'
"$abs_top_builddir/bench/container/bench-container" bench "${1:-100}"
