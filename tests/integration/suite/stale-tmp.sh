#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Leftover temp files of a crash (issue 18): a daemon killed between writing NAME.tmp.PID and
# renaming it leaves the temp file behind. Each daemon that writes files atomically (qemud, lxcd
# through the domain store, storaged, netd's journal) removes the temp files of its own
# directories when it starts again, and touches nothing else: not the definitions, not a file
# that only looks alike, not a symlink or directory named like a temp file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
need_root
in_netns "$@"

suite_start
trap 'rc=$?; [ "$rc" = 0 ] || suite_logs; suite_stop "$rc"' EXIT

R=$SEPVIRT_ROOT
xml=$R/d1.xml
echo "<domain type='qemu'><name>d1</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os></domain>" >"$xml"
"$SEPVIRSH" define "$xml" >/dev/null
mkdir -p "$R/pools"
chown "$SUITE_STORAGE_USER" "$R/pools"
echo "<pool type='dir'><name>p1</name><target><path>$R/pools/p1</path></target></pool>" >"$R/p1.xml"
"$SEPVIRSH" pool-define "$R/p1.xml" >/dev/null
before_d1=$("$SEPVIRSH" dumpxml d1)
before_p1=$("$SEPVIRSH" pool-dumpxml p1)

# What a crash leaves: a half-written temp file beside each kind of file the daemons write.
stale="$R/etc/qemu/d1.xml.tmp.4242 $R/etc/qemu/new.xml.tmp.1 $R/etc/qemu/autostart/d1.tmp.77
$R/run/qemu/d1.status.tmp.31337 $R/etc/lxc/c1.xml.tmp.9 $R/etc/storage/p1.xml.tmp.5
$R/etc/storage/autostart/p1.tmp.6 $R/lib/storage/p1.active.tmp.7 $R/lib/netd/devices.tmp"
for f in $stale; do
	[ -d "$(dirname "$f")" ] || die "no directory $(dirname "$f") in the suite's layout"
	printf '<domain type=' >"$f" # torn XML
done
# What must stay: look-alikes that are no temp files of an atomic write.
mkdir "$R/etc/qemu/dir.xml.tmp.8"
touch "$R/etc/qemu/notes.tmp.x1" "$R/etc/qemu/README" "$R/pools/keep.tmp.3"
target=$R/precious
echo precious >"$target"
ln -s "$target" "$R/etc/storage/link.xml.tmp.12"
keep="$R/etc/qemu/dir.xml.tmp.8 $R/etc/qemu/notes.tmp.x1 $R/etc/qemu/README $R/pools/keep.tmp.3
$R/etc/storage/link.xml.tmp.12 $target $R/etc/qemu/d1.xml $R/etc/storage/p1.xml"

# Each writer crashes (SIGKILL) and sepvirtd starts it again.
for d in qemud lxcd storaged netd; do
	old=$(daemon_pid "$d")
	kill -9 "$old"
	wait_pid_exit "$old" 10 || die "$d did not die"
done
deadline=$(( $(now_ms) + 60000 ))
declare -A prog=([qemud]=2 [lxcd]=3 [netd]=4 [storaged]=5)
for d in qemud lxcd storaged netd; do
	until p=$(daemon_pid "$d") && [ -n "$p" ] && "$SV_PROBE" ping "$R/run/proxyd.sock" "${prog[$d]}" >/dev/null 2>&1; do
		[ "$(now_ms)" -lt "$deadline" ] || die "$d did not come back"
		sleep 0.2
	done
done

for f in $stale; do
	[ ! -e "$f" ] || die "stale temp file $f is still there after its daemon restarted"
done
for f in $keep; do
	[ -e "$f" ] || [ -L "$f" ] || die "$f was removed: only temp files of atomic writes may go"
done
[ "$(cat "$target")" = precious ] || die "the symlink's target was changed"
after_d1=$("$SEPVIRSH" dumpxml d1)
[ "$after_d1" = "$before_d1" ] || die "d1's definition changed: $(diff <(echo "$before_d1") <(echo "$after_d1"))"
[ "$("$SEPVIRSH" pool-dumpxml p1)" = "$before_p1" ] || die "p1's definition changed"
"$SEPVIRSH" dominfo d1 | grep -Eq '^State: +shut off' || die "d1 is not as it was: $("$SEPVIRSH" dominfo d1)"
grep -q "removed .* temp file" "$R"/log/*.log || die "no daemon said what it removed"
log "stale temp files removed at restart; definitions and look-alikes untouched"
