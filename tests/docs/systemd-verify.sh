#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The installed systemd units pass `systemd-analyze verify`: installed with `make install
# DESTDIR=` into a scratch tree, each unit's ExecStart= must name a binary of that tree and each
# Documentation=man: page must be one the tree installs (man finds them through MANPATH).
# Skips (77) without systemd-analyze or without the man pages (configure found no scdoc).
set -uo pipefail
: "${abs_top_builddir:?}"
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze is not installed"; exit 77; }
grep -q '^man1_MANS = ' "$abs_top_builddir/Makefile" ||
	{ echo "SKIP: built without man pages (no scdoc): Documentation= cannot be checked"; exit 77; }
dest=$(mktemp -d /tmp/sepvirt-verify.XXXXXX)
trap 'rm -rf "$dest"' EXIT
make -s -C "$abs_top_builddir" install DESTDIR="$dest" >"$dest.log" 2>&1 ||
	{ cat "$dest.log" >&2; rm -f "$dest.log"; echo "FAIL: make install DESTDIR=$dest"; exit 1; }
rm -f "$dest.log"
units=$(find "$dest" -path '*/systemd/system/*' \( -name '*.service' -o -name '*.target' \) | sort)
[ "$(echo "$units" | grep -c '\.service$')" -eq 5 ] || { echo "FAIL: expected 5 services, got: $units"; exit 1; }
echo "$units" | grep -q '/sepvirt\.target$' || { echo "FAIL: sepvirt.target is not installed"; exit 1; }
mandir=$(dirname "$(find "$dest" -path '*/man1/sepvirsh.1' | head -n1)")
[ -n "$mandir" ] && [ "$mandir" != . ] || { echo "FAIL: sepvirsh(1) is not installed"; exit 1; }

# The units name their binaries by the installed path; verify a copy pointing into the tree.
check=$dest/verify
mkdir -p "$check"
for u in $units; do
	exe=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$u")
	if [ -n "$exe" ]; then
		[ -x "$dest$exe" ] || { echo "FAIL: $(basename "$u"): ExecStart=$exe is not installed"; exit 1; }
		grep -q '^Documentation=.*man:' "$u" || { echo "FAIL: $(basename "$u") has no man page"; exit 1; }
	fi
	sed "s|^ExecStart=/|ExecStart=$dest/|" "$u" >"$check/$(basename "$u")"
done
out=$(MANPATH=$(dirname "$mandir") systemd-analyze verify "$check"/* 2>&1)
rc=$?
echo "$out"
if [ $rc -ne 0 ] || [ -n "$out" ]; then
	echo "FAIL: systemd-analyze verify (exit $rc) says the above"
	exit 1
fi
echo "systemd-analyze verify: $(echo "$units" | wc -l) units clean, every Documentation= page installed"
