#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Configures and builds sepvirt in BUILDDIR (default: _build) from this source tree.
#   scripts/build.sh [BUILDDIR] [configure options...]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/_build}
shift || true
[ -x "$src/configure" ] || (cd "$src" && ./autogen.sh >/dev/null)
mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ] || [ "$src/configure" -nt Makefile ]; then
	"$src/configure" -q "$@"
fi
make -j"$(nproc)" >/dev/null
echo "built in $build"
