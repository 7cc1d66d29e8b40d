#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Directory pools: define, build (directory, mode and owner), start, list, info (statvfs), dumpxml,
# autostart, refresh, destroy, undefine; definitions and state survive kill -9 of storaged.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
trap suite_stop EXIT
storage_start

f=$(pool_xml p1 "$POOLS/p1" "<permissions><mode>0750</mode></permissions>")
out=$("$SEPVIRSH" pool-define "$f")
[ "$out" = "Pool p1 defined from $f" ] || die "pool-define said: $out"
"$SEPVIRSH" pool-list --all | grep -Eq '^ p1 +inactive +no$' || die "p1 not listed inactive"
[ -z "$("$SEPVIRSH" pool-list | sed -n '3,$p' | tr -d ' \n')" ] || die "pool-list without --all lists an inactive pool"
"$SEPVIRSH" pool-info p1 | grep -Eq '^State: +inactive$' || die "pool-info of an inactive pool"
expect_fail "vol-list of an inactive pool" "storage pool 'p1' is not active" "$SEPVIRSH" vol-list p1

"$SEPVIRSH" pool-build p1 | grep -q "Pool p1 built" || die "pool-build"
[ "$(stat -c '%a %U' "$POOLS/p1")" = "750 $SUITE_STORAGE_USER" ] || die "pool dir: $(stat -c '%a %U' "$POOLS/p1")"
"$SEPVIRSH" pool-start p1 | grep -q "Pool p1 started" || die "pool-start"
expect_fail "second pool-start" "is already active" "$SEPVIRSH" pool-start p1
"$SEPVIRSH" pool-list | grep -Eq '^ p1 +active +no$' || die "p1 not active"

# Capacity and free space are the filesystem's, as statvfs reports them.
info=$("$SEPVIRSH" pool-info p1 --bytes)
cap=$(awk '$1 == "Capacity:" { print $2 }' <<<"$info")
avail=$(awk '$1 == "Available:" { print $2 }' <<<"$info")
[ "$cap" = "$(($(stat -f -c '%b * %S' "$POOLS/p1")))" ] || die "capacity $cap differs from statvfs"
df_avail=$(($(stat -f -c '%a * %S' "$POOLS/p1")))
diff=$((avail - df_avail)); diff=${diff#-}
[ "$diff" -lt $((64 * 1024 * 1024)) ] || die "available $avail far from statvfs $df_avail"
"$SEPVIRSH" pool-info p1 | grep -Eq '^Capacity: +[0-9.]+ (GiB|TiB|MiB)$' || die "pool-info human sizes"

xml=$("$SEPVIRSH" pool-dumpxml p1)
grep -q "<path>$POOLS/p1</path>" <<<"$xml" || die "dumpxml: $xml"
grep -q "<mode>0750</mode>" <<<"$xml" || die "dumpxml lost the mode: $xml"
uuid=$("$SEPVIRSH" pool-info p1 | awk '$1 == "UUID:" { print $2 }')
"$SEPVIRSH" pool-info "$uuid" | grep -Eq '^Name: +p1$' || die "lookup by uuid"

"$SEPVIRSH" pool-autostart p1 | grep -q "Pool p1 marked as autostarted" || die "pool-autostart"
"$SEPVIRSH" pool-list | grep -Eq '^ p1 +active +yes$' || die "autostart not shown"
"$SEPVIRSH" pool-refresh p1 | grep -q "Pool p1 refreshed" || die "pool-refresh"

# A second pool on the same directory is refused; so is a second one with p1's uuid.
expect_fail "same path" "Storage source conflict with pool: 'p1'" "$SEPVIRSH" pool-define "$(pool_xml p2 "$POOLS/p1")"
printf "<pool type='dir'><name>p3</name><uuid>%s</uuid><target><path>%s</path></target></pool>\n" "$uuid" "$POOLS/p3" >"$SEPVIRT_ROOT/p3.xml"
expect_fail "same uuid" "already exists with uuid $uuid" "$SEPVIRSH" pool-define "$SEPVIRT_ROOT/p3.xml"

# kill -9: the definition, the active state and autostart come back.
pool_up p4
"$SEPVIRSH" pool-destroy p1 >/dev/null
storaged_restart
"$SEPVIRSH" pool-list --all | grep -Eq '^ p1 +active +yes$' || die "autostart pool not started after restart"
"$SEPVIRSH" pool-list | grep -Eq '^ p4 +active +no$' || die "active pool p4 not active after restart"

expect_fail "undefine an active pool" "storage pool 'p4' is active" "$SEPVIRSH" pool-undefine p4
"$SEPVIRSH" pool-destroy p4 | grep -q "Pool p4 destroyed" || die "pool-destroy"
[ -d "$POOLS/p4" ] || die "pool-destroy removed the directory"
"$SEPVIRSH" pool-undefine p4 | grep -q "Pool p4 has been undefined" || die "pool-undefine"
expect_fail "undefined pool" "Storage pool not found: no storage pool with matching name 'p4'" "$SEPVIRSH" pool-info p4
"$SEPVIRSH" pool-autostart --disable p1 | grep -q "unmarked" || die "autostart --disable"
echo "PASS: pool lifecycle"
