#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# libvirt's x86_64 domain inputs kept beside the repository (../shared/testdata/libvirt/domain):
# the share sepvirt accepts, and that no accepted input loses an element on the way to QEMU
# (tests/xml/argv-coverage.py). LIBVIRT_QEMUXML2ARGV=DIR measures another set of inputs too
# (tests/qemuxml2argvdata of a libvirt source tree) and prints the figures without judging them.
set -euo pipefail
dump=${abs_top_builddir:-.}/tests/xml/argv-dump
D="${SHARED_TESTDATA:-${abs_top_srcdir:-.}/../shared/testdata}/libvirt/domain"
[ -d "$D" ] || { echo "SKIP: no libvirt test inputs at $D"; exit 77; }
py=$(dirname "$0")/argv-coverage.py
if [ -n "${LIBVIRT_QEMUXML2ARGV:-}" ]; then
	python3 "$py" "$dump" "$LIBVIRT_QEMUXML2ARGV" -v || true
fi
python3 "$py" "$dump" "$D" -v --min-accepted "${ARGV_MIN_ACCEPTED:-24}" --max-dropping "${ARGV_MAX_DROPPING:-1}"
