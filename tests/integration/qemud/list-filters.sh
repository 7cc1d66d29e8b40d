#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirsh list as virsh lists: running domains by id, then the others by name with case
# ignored; the filters of virConnectListAllDomains as virsh sets them (--state-*, --persistent,
# --transient, --autostart, --no-autostart, --with/--without-managed-save, -snapshot); --id,
# --uuid, --name alone or together; --title; -q without the header; --table is exclusive.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
trap qemud_stop EXIT
suite_start
qemud_vmdir

for n in b A c; do
	guest_xml "$n" "" "" >"$SEPVIRT_ROOT/$n.xml"
done
sed -i "s|<name>A</name>|<name>A</name><title>Alpha guest</title>|" "$SEPVIRT_ROOT/A.xml"
for n in b A c; do "$SEPVIRSH" define "$SEPVIRT_ROOT/$n.xml" >/dev/null || die "define $n"; done
"$SEPVIRSH" autostart b >/dev/null || die "autostart b"
"$SEPVIRSH" start c >/dev/null || { suite_logs; die "start c"; }
id=$("$SEPVIRSH" domid c | head -n1)
uuid=$("$SEPVIRSH" domuuid c | head -n1)

check() { # EXPECTED ARGS...
	local want=$1 got
	shift
	got=$("$SEPVIRSH" "$@") || die "sepvirsh $*"
	[ "$got" = "$want" ] || die "sepvirsh $*: expected [$want] got [$got]"
}
check "$(printf 'c\nA\nb')" list --all --name
check "$(printf 'A\nb')" list --state-shutoff --name
check "c" list --state-running --name
check "" list --state-paused --name
check "b" list --all --autostart --name
check "$(printf 'c\nA')" list --all --no-autostart --name
check "" list --all --transient --name
check "$(printf 'c\nA\nb')" list --all --persistent --without-managed-save --without-snapshot --name
check "" list --all --with-snapshot --name
check "$id" list --id
check "$uuid $id c" list --uuid --id --name
out=$("$SEPVIRSH" -q list --all)
[ "$(echo "$out" | wc -l)" = 3 ] && echo "$out" | head -n1 | grep -Eq "^ $id +c +running$" &&
	! echo "$out" | grep -q "Name" || die "-q list --all: [$out]"
out=$("$SEPVIRSH" list --all --title)
echo "$out" | grep -Eq "^ -  +A +shut off +Alpha guest$" || die "list --title: $out"
echo "$out" | head -n1 | grep -Eq "^ Id +Name +State +Title$" || die "list --title header: $out"
expect_fail "--table with --name" "error: Options --table and --name are mutually exclusive" "$SEPVIRSH" list --table --name
"$SEPVIRSH" destroy c >/dev/null
echo "PASS: list's order, filters and columns as virsh's"
