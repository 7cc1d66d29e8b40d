#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The attack of issue 18: pool-build on an existing root-owned directory chowned it to the
# suite user with the mode of the XML (pointed at /etc, that is root). Now pool-build never
# chowns nor chmods a directory it did not create: it checks it (a directory, no symlink, not
# world-writable, writable by storaged) and says what is wrong; a directory it creates gets the
# XML's mode and storaged's uid. (Run on throwaway directories, never on /etc itself.)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
trap suite_stop EXIT
storage_start
uid=$(storaged_uid)
gid=$(storaged_gid)
st() { stat -c '%u %g %a' "$1"; }
perms="<permissions><mode>0700</mode></permissions>"

# A root-owned directory, as /etc is: refused by name, owner and mode unchanged.
victim=$(mktemp -d "$SEPVIRT_ROOT/victim.XXXXXX")
chmod 0755 "$victim"
touch "$victim/passwd"
before=$(st "$victim")
"$SEPVIRSH" pool-define "$(pool_xml takeover "$victim" "$perms")" >/dev/null || die "pool-define takeover"
expect_fail "root-owned directory" \
	"cannot build storage pool 'takeover': directory '$victim' already exists, owned by uid 0 gid 0 with mode 0755, and sepvirt-storaged (uid $uid gid $gid) cannot write it; pool-build does not take over existing directories" \
	"$SEPVIRSH" pool-build takeover
[ "$(st "$victim")" = "$before" ] || die "pool-build changed $victim: $before -> $(st "$victim")"
[ "$(st "$victim/passwd")" = "0 0 644" ] || die "pool-build touched $victim/passwd: $(st "$victim/passwd")"

# A world-writable directory (a /tmp) is refused even when storaged could write it.
tmpdir=$(mktemp -d "$SEPVIRT_ROOT/tmp.XXXXXX")
chmod 1777 "$tmpdir"
"$SEPVIRSH" pool-define "$(pool_xml worldw "$tmpdir")" >/dev/null || die "pool-define worldw"
expect_fail "world-writable directory" "directory '$tmpdir' already exists and is world-writable (mode 1777)" \
	"$SEPVIRSH" pool-build worldw
[ "$(st "$tmpdir")" = "0 0 1777" ] || die "pool-build changed $tmpdir: $(st "$tmpdir")"

# A symlink to a root-owned directory is not followed.
ln -s "$victim" "$POOLS/link"
"$SEPVIRSH" pool-define "$(pool_xml link "$POOLS/link" "$perms")" >/dev/null || die "pool-define link"
expect_fail "symlink" "target path '$POOLS/link' is a symbolic link, which sepvirt-storaged does not follow" \
	"$SEPVIRSH" pool-build link
[ "$(st "$victim")" = "$before" ] || die "pool-build through a symlink changed $victim: $(st "$victim")"

# An existing directory storaged may use is accepted as it is: not chmodded to the XML's 0700.
mine=$(mktemp -d "$SEPVIRT_ROOT/mine.XXXXXX")
chown "$uid:$gid" "$mine"
chmod 0750 "$mine"
"$SEPVIRSH" pool-define "$(pool_xml mine "$mine" "$perms")" >/dev/null || die "pool-define mine"
"$SEPVIRSH" pool-build mine | grep -q "Pool mine built" || die "pool-build on storaged's own directory"
[ "$(st "$mine")" = "$uid $gid 750" ] || die "pool-build changed $mine: $(st "$mine")"
# so is a root-owned one that gives storaged's group rwx, and it stays root's
shared=$(mktemp -d "$SEPVIRT_ROOT/shared.XXXXXX")
chown "0:$gid" "$shared"
chmod 0770 "$shared"
"$SEPVIRSH" pool-define "$(pool_xml shared "$shared")" >/dev/null || die "pool-define shared"
"$SEPVIRSH" pool-build shared | grep -q "Pool shared built" || die "pool-build on a group-writable directory"
[ "$(st "$shared")" = "0 $gid 770" ] || die "pool-build changed $shared: $(st "$shared")"

# A directory pool-build creates gets the XML's mode and storaged's uid.
"$SEPVIRSH" pool-define "$(pool_xml fresh "$POOLS/fresh" "<permissions><mode>0750</mode></permissions>")" >/dev/null ||
	die "pool-define fresh"
"$SEPVIRSH" pool-build fresh | grep -q "Pool fresh built" || die "pool-build fresh"
[ "$(st "$POOLS/fresh")" = "$uid $gid 750" ] || die "fresh: $(st "$POOLS/fresh")"
echo "PASS: pool-build checks an existing directory and never takes it over"
