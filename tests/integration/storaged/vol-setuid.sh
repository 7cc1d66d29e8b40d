#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The attack of issue 18: a volume XML asking for a root-owned, setuid, world-writable file
# (-rwsrwsrwx root) made storaged a root primitive. Now every mode with setuid, setgid, sticky
# or o+w and every owner or group outside the policy (storaged's own ids, SEPVIRT_STORAGE_OWNERS,
# never 0) is refused by name, at vol-create, pool-define, vol-clone and vol-upload, and
# nothing is created.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
trap suite_stop EXIT
storage_start
pool_up p1
P="$POOLS/p1"
uid=$(storaged_uid)
gid=$(storaged_gid)

# vol_xml NAME MODE OWNER GROUP: a 1 MiB raw volume asking for these permissions.
vol_xml() {
	printf "<volume><name>%s</name><capacity>1048576</capacity><target><permissions><mode>%s</mode><owner>%s</owner><group>%s</group></permissions></target></volume>\n" \
		"$1" "$2" "$3" "$4" >"$SEPVIRT_ROOT/v.xml"
	echo "$SEPVIRT_ROOT/v.xml"
}

# The attack itself, then each bit alone and each owner the policy does not list.
expect_fail "setuid root volume" \
	"volume 'evil': mode '4777' is not allowed: setuid, setgid, sticky and world-writable bits are refused" \
	"$SEPVIRSH" vol-create p1 "$(vol_xml evil 4777 0 0)"
for m in 4700 2770 1600 0606 0777; do
	expect_fail "mode $m" "volume 'evil': mode '$m' is not allowed" "$SEPVIRSH" vol-create p1 "$(vol_xml evil "$m" "$uid" "$gid")"
done
expect_fail "owner root" "volume 'evil': owner '0' is not allowed" "$SEPVIRSH" vol-create p1 "$(vol_xml evil 0600 0 -1)"
expect_fail "group root" "volume 'evil': group '0' is not allowed" "$SEPVIRSH" vol-create p1 "$(vol_xml evil 0660 -1 0)"
expect_fail "another owner" "volume 'evil': owner '4242' is not allowed" \
	"$SEPVIRSH" vol-create p1 "$(vol_xml evil 0600 4242 -1)"
expect_fail "another group" "volume 'evil': group '4242' is not allowed" \
	"$SEPVIRSH" vol-create p1 "$(vol_xml evil 0660 -1 4242)"
[ -z "$(ls -A "$P")" ] || die "a refused volume left something in the pool: $(ls -A "$P")"

# What the policy allows is created as asked: storaged's own ids, or -1 for them.
"$SEPVIRSH" vol-create p1 "$(vol_xml ok 0640 "$uid" "$gid")" >/dev/null || die "vol-create with storaged's own ids"
[ "$(stat -c '%a %u %g' "$P/ok")" = "640 $uid $gid" ] || die "ok: $(stat -c '%a %u %g' "$P/ok")"
"$SEPVIRSH" vol-create p1 "$(vol_xml dflt 0600 -1 -1)" >/dev/null || die "vol-create with -1"
[ "$(stat -c '%a %u' "$P/dflt")" = "600 $uid" ] || die "dflt: $(stat -c '%a %u' "$P/dflt")"

# Pools: the directory pool-build would create is checked at define already.
expect_fail "world-writable pool" "storage pool 'bad': mode '0777' is not allowed" \
	"$SEPVIRSH" pool-define "$(pool_xml bad "$POOLS/bad" "<permissions><mode>0777</mode></permissions>")"
expect_fail "setgid pool" "storage pool 'bad': mode '2755' is not allowed" \
	"$SEPVIRSH" pool-define "$(pool_xml bad "$POOLS/bad" "<permissions><mode>2755</mode></permissions>")"
expect_fail "root pool" "storage pool 'bad': owner '0' is not allowed" \
	"$SEPVIRSH" pool-define "$(pool_xml bad "$POOLS/bad" "<permissions><mode>0755</mode><owner>0</owner></permissions>")"
if "$SEPVIRSH" pool-list --all | grep -q ' bad '; then die "a refused pool was defined"; fi
[ ! -e "$POOLS/bad" ] || die "a refused pool left its directory"

# A setuid or root-owned file already in the pool (put there by hand) is not copied nor
# taken over: vol-clone and vol-upload, which give the new file its mode and owner, refuse.
head -c 1M /dev/zero >"$P/legacy"
chown "$uid:$gid" "$P/legacy"
chmod 4755 "$P/legacy"
expect_fail "clone of a setuid volume" "clone 'copy' of volume 'legacy': mode '4755' is not allowed" \
	"$SEPVIRSH" vol-clone --pool p1 legacy copy
[ ! -e "$P/copy" ] || die "vol-clone copied a setuid volume"
chmod 0644 "$P/legacy"
chown 0:0 "$P/legacy"
printf 'PAYLOAD' >"$SEPVIRT_ROOT/payload"
expect_fail "upload to a root volume" "upload to volume 'legacy': owner '0' is not allowed" \
	"$SEPVIRSH" vol-upload --pool p1 legacy "$SEPVIRT_ROOT/payload"
[ "$(stat -c '%s %u' "$P/legacy")" = "1048576 0" ] || die "legacy changed: $(stat -c '%s %u' "$P/legacy")"
[ -z "$(find "$P" -name '.sepvirt-tmp-*')" ] || die "a refused upload left a temp file"

# Nothing storaged made is setuid, setgid, sticky or world-writable.
bad=$(find "$POOLS" -perm /7002)
[ -z "$bad" ] || die "setuid/setgid/sticky/world-writable files: $bad"

# Even the administrator cannot list root in the policy: storaged refuses to start.
out=$(SEPVIRT_ROOT="$SEPVIRT_ROOT/other" SEPVIRT_STORAGE_OWNERS=root "$abs_top_builddir/sepvirt-storaged" 2>&1) &&
	die "storaged started with root in SEPVIRT_STORAGE_OWNERS: $out"
case $out in *"SEPVIRT_STORAGE_OWNERS: 'root' is uid 0"*) ;; *) die "root in the policy: $out" ;; esac
echo "PASS: setuid, setgid, sticky, world-writable modes and owners outside the policy are refused by name"
