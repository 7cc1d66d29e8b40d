#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bad input gets a clear error naming the bad value, and the pool's directory is unchanged:
# names with '/', '..' or a leading '.', sizes of 0 or beyond the free space, allocation beyond
# capacity, unknown formats, a backing file outside every pool, a pool path that is a file.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
trap suite_stop EXIT
storage_start
pool_up p1
P="$POOLS/p1"
"$SEPVIRSH" vol-create-as p1 ok.img 1M >/dev/null
snap() { (cd "$P" && ls -la --time-style=+%s . | sed 1d); }
before=$(snap)

big=$(($(stat -f -c '%a * %S' "$P") + 1024 * 1024 * 1024))
expect_fail "slash" "volume name 'a/b' cannot contain '/'" "$SEPVIRSH" vol-create-as p1 a/b 1M
expect_fail "dotdot" "volume name '..' cannot start with '.'" "$SEPVIRSH" vol-create-as p1 .. 1M
expect_fail "dotdot path" "volume name '../escape' cannot contain '/'" "$SEPVIRSH" vol-create-as p1 ../escape 1M
expect_fail "leading dot" "volume name '.hidden' cannot start with '.'" "$SEPVIRSH" vol-create-as p1 .hidden 1M
expect_fail "size 0" "invalid capacity 0 for volume 'zero'" "$SEPVIRSH" vol-create-as p1 zero 0
expect_fail "size 0 qcow2" "invalid capacity 0 for volume 'zero'" "$SEPVIRSH" vol-create-as p1 zero 0 --format qcow2
expect_fail "too big" "Not enough space for volume 'big'" "$SEPVIRSH" vol-create-as p1 big "$big"
expect_fail "too big qcow2" "Not enough space for volume 'big'" "$SEPVIRSH" vol-create-as p1 big "$big" --format qcow2
expect_fail "malformed size" "Malformed size -5" "$SEPVIRSH" vol-create-as p1 neg -5
expect_fail "allocation > capacity" "allocation 2097152 of volume 'al' is larger than its capacity 1048576" \
	"$SEPVIRSH" vol-create-as p1 al 1M --allocation 2M
expect_fail "unknown format" "volume format 'vmdk' is not supported" "$SEPVIRSH" vol-create-as p1 x 1M --format vmdk
expect_fail "exists" "storage vol 'ok.img' already exists" "$SEPVIRSH" vol-create-as p1 ok.img 1M
expect_fail "resize beyond free space" "Not enough space for volume 'ok.img'" "$SEPVIRSH" vol-resize --pool p1 ok.img "$big"
expect_fail "resize to 0" "capacity 0 for volume 'ok.img'" "$SEPVIRSH" vol-resize --pool p1 ok.img 0 --shrink
expect_fail "clone to a bad name" "volume name '../x' cannot contain '/'" "$SEPVIRSH" vol-clone --pool p1 ok.img ../x
expect_fail "lookup with .." "no storage vol with matching name '../p1/ok.img'" "$SEPVIRSH" vol-info --pool p1 ../p1/ok.img
cat >"$SEPVIRT_ROOT/bk.xml" <<XML
<volume><name>bk</name><capacity>1048576</capacity><target><format type='qcow2'/></target>
<backingStore><path>/etc/passwd</path><format type='raw'/></backingStore></volume>
XML
expect_fail "backing outside the pools" "backing store '/etc/passwd' of volume 'bk' is not a volume of an active storage pool" \
	"$SEPVIRSH" vol-create p1 "$SEPVIRT_ROOT/bk.xml"
expect_fail "missing pool" "no storage pool with matching name 'nope'" "$SEPVIRSH" vol-create-as nope x 1M
[ "$(snap)" = "$before" ] || die "the pool changed: $(snap)"

# A pool whose path is a file: build and start say so; nothing is created.
touch "$POOLS/afile"
"$SEPVIRSH" pool-define "$(pool_xml pf "$POOLS/afile")" >/dev/null
expect_fail "build on a file" "target path '$POOLS/afile' is not a directory" "$SEPVIRSH" pool-build pf
expect_fail "start on a file" "target path '$POOLS/afile' is not a directory" "$SEPVIRSH" pool-start pf
[ -f "$POOLS/afile" ] && [ ! -s "$POOLS/afile" ] || die "the file changed"
"$SEPVIRSH" pool-list --all | grep -Eq '^ pf +inactive' || die "pf should stay inactive"
expect_fail "pool without a path" "missing element 'target/path'" "$SEPVIRSH" pool-define <(echo "<pool type='dir'><name>np</name></pool>")
expect_fail "relative path" "must be an absolute path" "$SEPVIRSH" pool-define <(echo "<pool type='dir'><name>rp</name><target><path>rel</path></target></pool>")
expect_fail "pool name with /" "pool name 'a/b' cannot contain '/'" "$SEPVIRSH" pool-define <(echo "<pool type='dir'><name>a/b</name><target><path>/x</path></target></pool>")
echo "PASS: bad input refused, pool unchanged"
