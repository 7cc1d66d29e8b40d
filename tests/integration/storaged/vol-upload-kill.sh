#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kill -9 storaged in the middle of a vol-upload: the volume keeps its old content, the partial
# data never appears under the volume's name, and the restarted storaged removes the temp file.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
trap 'rc=$?; kill "${up:-}" 2>/dev/null || true; suite_stop $rc' EXIT
storage_start
pool_up p1
P="$POOLS/p1"

"$SEPVIRSH" vol-create-as p1 v 1M >/dev/null
head -c 1048576 /dev/urandom >"$SEPVIRT_ROOT/orig"
"$SEPVIRSH" vol-upload --pool p1 v "$SEPVIRT_ROOT/orig" >/dev/null
"$STORAGED_PROBE" upload "$SEPVIRT_ROOT/run/proxyd.sock" p1 v $((64 * 1024 * 1024)) $((8 * 1024 * 1024)) hang \
	>"$SEPVIRT_ROOT/up.out" &
up=$!
wait_for_file_pattern "$SEPVIRT_ROOT/up.out" hanging 20 "$up" || die "upload did not start: $(cat "$SEPVIRT_ROOT/up.out")"
tmp=$(ls -A "$P" | grep '^\.sepvirt-tmp-upload-' || true)
[ -n "$tmp" ] || die "no temp file during the upload: $(ls -A "$P")"
[ "$(stat -c %s "$P/$tmp")" = $((8 * 1024 * 1024)) ] || die "temp file size $(stat -c %s "$P/$tmp")"
storaged_restart
cmp "$SEPVIRT_ROOT/orig" "$P/v" || die "the volume changed"
[ "$(ls -A "$P")" = v ] || die "left after restart: $(ls -A "$P")"
"$SEPVIRSH" vol-list p1 | grep -q '^ v ' || die "v not listed"
grep -q "removed '$tmp' left by an unfinished call" "$SEPVIRT_ROOT"/log/sepvirt-storaged.log || die "cleanup not logged"
echo "PASS: kill -9 during vol-upload leaves no partial volume"
