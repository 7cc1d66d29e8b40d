#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Internal snapshots of a real TCG guest on a qcow2 volume: the guest writes a marker to its
# disk, a snapshot is taken, the guest overwrites it, and snapshot-revert brings the first marker
# back (in the guest, and on the image itself once QEMU is gone); snapshot-list, -info, -current,
# -dumpxml and -delete print virsh's shapes; the metadata survives qemud being killed and
# restarted by sepvirtd, and a revert still works after it. Refused by name: a domain without a
# qcow2 disk, a shut-off domain, an unknown snapshot, writes on a read-only connection.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd qemu-img
trap 'qemud_stop $?' EXIT
suite_start
qemud_vmdir
qemud_dir_pool vp
"$SEPVIRSH" vol-create-as vp disk 16M --format qcow2 >/dev/null || die "vol-create-as"
disk="<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/><source pool='vp' volume='disk'/><target dev='vda' bus='virtio'/></disk>"
guest_pty_xml sn "$disk" >"$SEPVIRT_ROOT/sn.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/sn.xml" >/dev/null || die "define"
"$SEPVIRSH" start sn >/dev/null || { suite_logs; die "start"; }

# write_marker TEXT: the guest writes TEXT at the start of its disk and syncs it.
write_marker() {
	guest_run sn "${2:-90}" "printf '$1\\n' >/dev/vda; sync" >/dev/null || { suite_logs; die "no shell to write $1"; }
}
# read_marker: the first line of the disk as the guest reads it.
read_marker() {
	local out
	out=$(guest_run sn 30 'echo DISK $(head -n1 /dev/vda)') || { echo "$out" >&2; suite_logs; die "no shell to read the disk"; }
	echo "$out" | grep "^DISK " | tail -n1 | cut -d' ' -f2
}

write_marker MARK-A
expect_fail "snapshot-create-as on a read-only connection" "read only access prevents virDomainSnapshotCreateXML" \
	"$SEPVIRSH" -r snapshot-create-as sn s1
expect_fail "a bad name" "invalid snapshot name '../x'" "$SEPVIRSH" snapshot-create-as sn ../x
printf "<domainsnapshot><name>x</name><disks/></domainsnapshot>\n" >"$SEPVIRT_ROOT/bad.xml"
expect_fail "external disks in the XML" "snapshot element 'disks' is not supported" "$SEPVIRSH" snapshot-create sn "$SEPVIRT_ROOT/bad.xml"
out=$("$SEPVIRSH" snapshot-create-as sn s1 --description "first <one>") || { suite_logs; die "snapshot-create-as: $out"; }
[ "$(echo "$out" | head -n1)" = "Domain snapshot s1 created" ] || die "snapshot-create-as printed: $out"
expect_fail "the same name again" "already has a snapshot 's1'" "$SEPVIRSH" snapshot-create-as sn s1
domstate_is sn "running (booted)"

write_marker MARK-B 5
[ "$(read_marker)" = MARK-B ] || die "the guest did not write MARK-B"
printf "<domainsnapshot><name>s2</name></domainsnapshot>\n" >"$SEPVIRT_ROOT/s2.xml"
out=$("$SEPVIRSH" snapshot-create sn "$SEPVIRT_ROOT/s2.xml") || { suite_logs; die "snapshot-create: $out"; }
[ "$(echo "$out" | head -n1)" = "Domain snapshot s2 created from '$SEPVIRT_ROOT/s2.xml'" ] || die "snapshot-create printed: $out"

# list, info, current, dumpxml (the read ones also on a read-only connection)
list=$("$SEPVIRSH" -r snapshot-list sn)
echo "$list"
[ "$(echo "$list" | sed -n 1p)" = " Name   Creation Time               State" ] || die "snapshot-list header: $list"
echo "$list" | sed -n 3p | grep -Eq '^ s1     [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [+-][0-9]{4}   running$' || die "snapshot-list row: $list"
echo "$list" | sed -n 4p | grep -q '^ s2 ' || die "snapshot-list s2: $list"
[ "$("$SEPVIRSH" snapshot-list sn --name | head -n2 | tr '\n' ' ')" = "s1 s2 " ] || die "snapshot-list --name"
[ "$("$SEPVIRSH" list --with-snapshot --name | head -n1)" = sn ] || die "list --with-snapshot"
info=$("$SEPVIRSH" -r snapshot-info sn s1)
expected="Name:           s1
Domain:         sn
Current:        no
State:          running
Location:       internal
Parent:         -
Children:       1
Descendants:    1
Metadata:       yes"
[ "$(echo "$info" | head -n9)" = "$expected" ] || die "snapshot-info: $info"
[ "$("$SEPVIRSH" snapshot-current --name sn | head -n1)" = s2 ] || die "snapshot-current --name"
"$SEPVIRSH" snapshot-info --current sn | grep -q "^Parent:         s1$" || die "s2's parent"
"$SEPVIRSH" snapshot-dumpxml sn s1 | grep -q "<description>first &lt;one&gt;</description>" || die "dumpxml description"
"$SEPVIRSH" snapshot-dumpxml sn s1 | grep -q "<memory snapshot='internal'/>" || die "dumpxml memory"
"$SEPVIRSH" snapshot-current sn | grep -q "<name>s2</name>" || die "snapshot-current XML"
expect_fail "an unknown snapshot" "no domain snapshot with matching name 'nope'" "$SEPVIRSH" snapshot-dumpxml sn nope
expect_fail "revert to an unknown snapshot" "no domain snapshot with matching name 'nope'" "$SEPVIRSH" snapshot-revert sn nope

# The metadata outlives qemud: killed, restarted by sepvirtd.
old=$(daemon_pid qemud)
kill -9 "$old"
wait_qemud_restarted "$old"
[ "$("$SEPVIRSH" snapshot-list sn --name | head -n2 | tr '\n' ' ')" = "s1 s2 " ] || die "snapshots lost in the restart"
[ "$("$SEPVIRSH" snapshot-current --name sn | head -n1)" = s2 ] || die "current lost in the restart"

# revert: the guest's disk holds MARK-A again, and it runs on.
write_marker MARK-C 5
"$SEPVIRSH" snapshot-revert sn s1 >/dev/null || { suite_logs; die "snapshot-revert"; }
domstate_is sn "running (from snapshot)"
[ "$(read_marker)" = MARK-A ] || die "after revert the guest reads $(read_marker)"
[ "$("$SEPVIRSH" snapshot-current --name sn | head -n1)" = s1 ] || die "current after revert"

# delete: s2 goes, its parent s1 stays current.
[ "$("$SEPVIRSH" snapshot-delete sn s2 | head -n1)" = "Domain snapshot s2 deleted" ] || die "snapshot-delete"
[ "$("$SEPVIRSH" snapshot-list sn --name | head -n1)" = s1 ] || die "list after delete"
"$SEPVIRSH" snapshot-list sn --name | grep -qx s2 && die "s2 still listed"

# On the image itself, once QEMU is gone: MARK-A, and the snapshot s1 only.
"$SEPVIRSH" destroy sn >/dev/null
img=$SEPVIRT_ROOT/pools/vp/disk
qemu-img snapshot -l "$img" | grep -qw s1 || die "s1 not in the image: $(qemu-img snapshot -l "$img")"
qemu-img snapshot -l "$img" | grep -qw s2 && die "s2 still in the image"
qemu-img convert -O raw "$img" "$SEPVIRT_ROOT/disk.raw"
[ "$(head -n1 "$SEPVIRT_ROOT/disk.raw")" = MARK-A ] || die "the image holds $(head -c 16 "$SEPVIRT_ROOT/disk.raw")"

expect_fail "snapshot of a shut-off domain" "is not running" "$SEPVIRSH" snapshot-create-as sn s3
guest_pty_xml nodisk >"$SEPVIRT_ROOT/nodisk.xml"
"$SEPVIRSH" create "$SEPVIRT_ROOT/nodisk.xml" >/dev/null || die "create nodisk"
expect_fail "a domain without a qcow2 disk" "needs a writable qcow2 disk" "$SEPVIRSH" snapshot-create-as nodisk s1
"$SEPVIRSH" destroy nodisk >/dev/null
echo "PASS: internal snapshots: create, list, info, current, dumpxml, revert, delete, across a qemud restart"
