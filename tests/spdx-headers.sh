#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every source file of the tree names its licence in an SPDX header within its first lines
# (COPYING: LGPL-2.1-or-later); a new file without one fails here.
set -euo pipefail
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
cd "$abs_top_srcdir"
missing=$(find . -path './_*' -prune -o -path ./debian -prune -o -path ./tests/xml -prune -o \
	-path ./tests/qemuxml2argv -prune -o -path ./tests/fuzz/corpus -prune -o -path ./autom4te.cache -prune -o \
	-path ./build-aux -prune -o -path ./m4 -prune -o -name .git -prune -o -type f \
	\( -name '*.c' -o -name '*.h' -o -name '*.x' -o -name '*.proto' -o -name '*.sh' -o -name '*.py' \
	-o -name '*.mk' -o -name Makefile.am -o -name configure.ac -o -path ./.ci/run \) -print |
	grep -v -E '\.pb-c\.[ch]$|libvirt_protocol(-xdr\.c|\.h)$|/messages\.h$|^\./config\.h$' |
	while read -r f; do head -n 3 "$f" | grep -q 'SPDX-License-Identifier: LGPL-2.1-or-later' || echo "$f"; done)
if [ -n "$missing" ]; then
	echo "FAIL: no SPDX-License-Identifier header in:" >&2
	echo "$missing" >&2
	exit 1
fi
echo "PASS: every source file has its SPDX header"
