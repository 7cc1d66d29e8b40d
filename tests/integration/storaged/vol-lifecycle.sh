#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Raw and qcow2 volumes: create (sparse and allocated), list, info, path, dumpxml, resize, clone,
# delete; the format comes from the header, never the name; `qemu-img info` agrees with
# storaged on format, virtual size and backing file, and `qemu-img check` finds no error.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
need_cmd qemu-img qemu-io
trap suite_stop EXIT
storage_start
pool_up p1
P="$POOLS/p1"

# agree VOL FORMAT: storaged's format, capacity and backing equal qemu-img's.
agree() {
	local vol=$1 fmt=$2 xml cap qcap back qback
	[ "$(qimg_field "$P/$vol" format)" = "$fmt" ] || die "$vol: qemu-img says format $(qimg_field "$P/$vol" format), expected $fmt"
	xml=$("$SEPVIRSH" vol-dumpxml --pool p1 "$vol")
	grep -q "<format type='$fmt'/>" <<<"$xml" || die "$vol: storaged's format is not $fmt: $xml"
	cap=$("$SEPVIRSH" vol-info --pool p1 "$vol" --bytes | awk '$1 == "Capacity:" { print $2 }')
	qcap=$(qimg_field "$P/$vol" virtual-size)
	[ "$cap" = "$qcap" ] || die "$vol: storaged capacity $cap, qemu-img $qcap"
	back=$(sed -n '/<backingStore>/,/<\/backingStore>/s/.*<path>\(.*\)<\/path>.*/\1/p' <<<"$xml")
	qback=$(qimg_field "$P/$vol" backing-filename)
	[ "$back" = "$qback" ] || die "$vol: storaged backing '$back', qemu-img '$qback'"
	if [ "$fmt" = qcow2 ]; then
		qemu-img check -U "$P/$vol" >/dev/null || die "$vol: qemu-img check failed"
	fi
}

out=$("$SEPVIRSH" vol-create-as p1 disk.qcow2 10M)
[ "$out" = "Vol disk.qcow2 created" ] || die "vol-create-as: $out"
agree disk.qcow2 raw # a raw volume named .qcow2 stays raw
[ "$(stat -c %b "$P/disk.qcow2")" -eq 0 ] || die "raw volume is not sparse"
"$SEPVIRSH" vol-create-as p1 full.raw 4M --allocation 4M >/dev/null
[ "$(($(stat -c '%b * 512' "$P/full.raw")))" -ge $((4 * 1024 * 1024)) ] || die "--allocation did not allocate"
"$SEPVIRSH" vol-create-as p1 base.img 1G --format qcow2 >/dev/null
agree base.img qcow2 # a qcow2 volume named .img is qcow2
qemu-io -c 'write -P 0x5a 0 1M' -c 'write -P 0x6b 700M 64k' "$P/base.img" >/dev/null
agree base.img qcow2

# vol-create from XML, with a backing volume and a relative size unit.
cat >"$SEPVIRT_ROOT/over.xml" <<XML
<volume><name>over</name><capacity unit='G'>2</capacity>
<target><format type='qcow2'/></target>
<backingStore><path>$P/base.img</path><format type='qcow2'/></backingStore></volume>
XML
"$SEPVIRSH" vol-create p1 "$SEPVIRT_ROOT/over.xml" | grep -q "Vol over created from" || die "vol-create"
agree over qcow2
qemu-io -c 'read -P 0x5a 0 1M' "$P/over" | grep -q "read 1048576/1048576" || die "overlay does not read its backing data"
"$SEPVIRSH" vol-create-as p1 over2 0 --format qcow2 --backing-vol base.img >/dev/null
agree over2 qcow2
[ "$(qimg_field "$P/over2" virtual-size)" = 1073741824 ] || die "capacity 0 with a backing volume takes its size"

# list, info, path, by path too
list=$("$SEPVIRSH" vol-list p1)
for v in base.img disk.qcow2 full.raw over over2; do
	grep -Eq "^ $v +$P/$v\$" <<<"$list" || die "vol-list lacks $v: $list"
done
"$SEPVIRSH" vol-list p1 --details | grep -Eq "^ base.img +$P/base.img +file +1.00 GiB +[0-9.]+ (KiB|MiB)\$" || die "vol-list --details"
[ "$("$SEPVIRSH" vol-path --pool p1 base.img | head -n1)" = "$P/base.img" ] || die "vol-path"
"$SEPVIRSH" vol-info "$P/base.img" | grep -Eq '^Capacity: +1.00 GiB$' || die "vol-info by path"
expect_fail "vol-info of a missing volume" "no storage vol with matching name 'nope'" "$SEPVIRSH" vol-info --pool p1 nope

# resize: raw grow, shrink only with --shrink, --delta, --allocate; qcow2 grow only.
"$SEPVIRSH" vol-resize --pool p1 disk.qcow2 20M | grep -q "successfully changed to 20M" || die "raw grow"
agree disk.qcow2 raw
expect_fail "raw shrink without --shrink" "Can't shrink capacity" "$SEPVIRSH" vol-resize --pool p1 disk.qcow2 5M
"$SEPVIRSH" vol-resize --pool p1 disk.qcow2 5M --shrink >/dev/null
"$SEPVIRSH" vol-resize --pool p1 disk.qcow2 1M --delta --allocate >/dev/null
[ "$(stat -c %s "$P/disk.qcow2")" = $((6 * 1024 * 1024)) ] || die "--delta"
[ "$(($(stat -c '%b * 512' "$P/disk.qcow2")))" -ge $((1024 * 1024)) ] || die "--allocate"
"$SEPVIRSH" vol-resize --pool p1 base.img 3G >/dev/null
agree base.img qcow2
"$SEPVIRSH" vol-resize --pool p1 base.img 1T >/dev/null 2>&1 || true # may exceed free space: either way consistent
agree base.img qcow2
qemu-io -c 'read -P 0x6b 700M 64k' "$P/base.img" | grep -q "read 65536/65536" || die "data lost by the resize"
expect_fail "qcow2 shrink" "cannot shrink a qcow2 volume" "$SEPVIRSH" vol-resize --pool p1 base.img 1G --shrink

# clone: same format, same data, sparse stays sparse
"$SEPVIRSH" vol-clone --pool p1 base.img copy.img | grep -q "Vol copy.img cloned from base.img" || die "vol-clone"
agree copy.img qcow2
qemu-img compare -U "$P/base.img" "$P/copy.img" >/dev/null || die "clone differs"
"$SEPVIRSH" vol-clone --pool p1 disk.qcow2 disk2 >/dev/null
cmp "$P/disk.qcow2" "$P/disk2" || die "raw clone differs"
expect_fail "clone onto an existing name" "storage vol 'copy.img' already exists" "$SEPVIRSH" vol-clone --pool p1 base.img copy.img

# a file put into the directory by hand shows up after pool-refresh, format from its header
qemu-img create -q -f qcow2 "$P/byhand.raw" 64M
chown "$SUITE_STORAGE_USER" "$P/byhand.raw"
"$SEPVIRSH" pool-refresh p1 >/dev/null
agree byhand.raw qcow2
ln -s /etc/passwd "$P/link"
! "$SEPVIRSH" vol-list p1 | grep -q " link " || die "a symlink is listed as a volume"
expect_fail "symlink as a volume" "no storage vol with matching name 'link'" "$SEPVIRSH" vol-info --pool p1 link
rm -f "$P/link"

for v in over over2 copy.img disk2 byhand.raw full.raw; do
	"$SEPVIRSH" vol-delete --pool p1 "$v" | grep -q "Vol $v deleted" || die "vol-delete $v"
	[ ! -e "$P/$v" ] || die "$v still there"
done
"$SEPVIRSH" vol-delete "$P/disk.qcow2" >/dev/null || die "vol-delete by path"
[ "$(ls -A "$P")" = base.img ] || die "left: $(ls -A "$P")"
echo "PASS: volume lifecycle, qemu-img agrees"
