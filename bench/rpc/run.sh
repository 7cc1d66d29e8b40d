#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Starts the suite under a temporary SEPVIRT_ROOT, runs bench-rpc, stops the suite; then the
# libvirt reference when bench-libvirt was built and libvirtd runs.
# Usage (as root, from the build directory after `make bench`): ../bench/rpc/run.sh [-m CALLS]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILDDIR:-$PWD}
[ -x "$build/bench/rpc/bench-rpc" ] || { echo "run from the build directory after 'make bench'" >&2; exit 2; }
. "$top/tests/integration/lib/common.sh"
abs_top_builddir=$build
abs_top_srcdir=$src
. "$top/tests/integration/lib/suite.sh"
SV_TEST_NAME=bench-rpc
trap suite_stop EXIT
suite_start
"$build/bench/rpc/bench-hop"
"$build/bench/rpc/bench-rpc" -s "$SEPVIRT_ROOT/run/proxyd-ro.sock" "$@"
# the same with clients that sleep at once instead of polling briefly for the reply
SEPVIRT_CLIENT_SPIN_US=0 "$build/bench/rpc/bench-rpc" -s "$SEPVIRT_ROOT/run/proxyd-ro.sock" "$@"
if [ -x "$build/bench/rpc/bench-libvirt" ]; then
	# libvirt's client library against sepvirt-proxyd's libvirt-sock-ro, then against libvirtd
	lv="qemu+unix:///system?socket=$SEPVIRT_ROOT/run/libvirt-sock-ro"
	"$build/bench/rpc/bench-libvirt" -u "$lv" "$@"
	"$build/bench/rpc/bench-libvirt" -l -u "$lv" "$@"
	if [ -S /run/libvirt/libvirt-sock-ro ]; then
		"$build/bench/rpc/bench-libvirt" "$@"
		"$build/bench/rpc/bench-libvirt" -l "$@"
	fi
fi
