#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Hotplug on a running TCG guest (pc machine: ACPI hotplug on bus 0), seen by the guest's own
# shell through sepvirsh console: attach-disk of an image (opened by the spawner) and
# attach-device of a storage volume (opened by storaged) appear in the guest's /sys/block with
# the content written on the host, and go again with detach-disk/detach-device; attach-interface
# of a pre-created tap (managed='no', left untouched) gives the guest a virtio NIC that answers
# ping, and detach-interface takes it away. The live definition (dumpxml) and the persistent
# one (dumpxml --inactive, on disk) follow the flags: --config only changes the persistent one,
# --persistent both. Refused by name: a target already in use, an unknown target, a bus hotplug
# cannot serve, and any of these calls on a read-only connection. A failed attach leaves nothing in
# QEMU; a q35 guest gets the disk on its empty pcie-root-port, and a second is refused by name.
# change-media inserts a cdrom's medium (QEMU holds the image the spawner opened) and ejects it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

tap_create svhp0
ip addr add 10.79.0.1/24 dev svhp0
before=$(tap_facts svhp0)

trap 'rc=$?; exec 7>&- 2>/dev/null || true; kill ${cpid:-} ${epid:-} 2>/dev/null || true; qemud_stop $rc' EXIT
suite_start
qemud_vmdir

# guest_sees NAME CMD PATTERN [ABSENT]: CMD's output in the guest matches PATTERN (or, with
# ABSENT, no longer does) within about 60 s: the guest's ACPI hotplug takes its time.
guest_sees() {
	local i
	for i in $(seq 20); do
		guest_shell "$1" 30 "$2" || die "$1: the guest's shell does not answer"
		if tr -d '\r' <"$SEPVIRT_ROOT/out" | grep -Eq "$3"; then
			[ -z "${4:-}" ] && return 0
		else
			[ -n "${4:-}" ] && return 0
		fi
		sleep 2
	done
	tr -d '\r' <"$SEPVIRT_ROOT/out" | tail -n 5 >&2
	suite_logs
	die "$1: '$2' ${4:+still }${4:-never} matched /$3/"
}

# an image under the image directory (root owns it: the spawner opens it) with a marker
images=$SEPVIRT_ROOT/lib/images
mkdir -p "$images"
marker="hotplug-image-$RANDOM$RANDOM"
truncate -s 1M "$images/extra.img"
printf '%s\n' "$marker" | dd of="$images/extra.img" conv=notrunc status=none
truncate -s 1M "$images/other.img" # a second writer of extra.img would be refused by QEMU's lock
# a volume of a pool, with its own marker
qemud_dir_pool hp
"$SEPVIRSH" vol-create-as hp data 1M >/dev/null || die "vol-create-as"
vmarker="hotplug-volume-$RANDOM$RANDOM"
printf '%s\n' "$vmarker" >"$SEPVIRT_ROOT/vol.data"
"$SEPVIRSH" vol-upload data "$SEPVIRT_ROOT/vol.data" --pool hp >/dev/null || die "vol-upload"

guest_pty_xml hp | sed -e "s|</devices>|<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk></devices>|" \
	>"$SEPVIRT_ROOT/hp.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/hp.xml" >/dev/null || die "define"

# --config on a domain that does not run: only the persistent definition; --live refused
out=$("$SEPVIRSH" attach-disk hp "$images/extra.img" vdc --config) || die "attach-disk --config: $out"
[ "$out" = "Disk attached successfully" ] || die "attach-disk --config printed: $out"
"$SEPVIRSH" dumpxml --inactive hp | grep -q "<target dev='vdc'" || die "vdc not in the persistent definition"
expect_fail "live attach on a shut-off domain" "domain is not running" \
	"$SEPVIRSH" attach-disk hp "$images/extra.img" vdd --live
"$SEPVIRSH" detach-disk hp vdc --config >/dev/null || die "detach-disk --config"
! "$SEPVIRSH" dumpxml --inactive hp | grep -q "<target dev='vdc'" || die "vdc still in the persistent definition"

"$SEPVIRSH" start hp >/dev/null || { suite_logs; die "start"; }
# a q35 guest with one pcie-root-port: hotplug goes there, and only there
guest_pty_xml q1 | sed -e "s|machine='pc'|machine='q35'|" \
	-e "s|</devices>|<controller type='pci' index='0' model='pcie-root'/><controller type='pci' index='1' model='pcie-root-port'/></devices>|" \
	>"$SEPVIRT_ROOT/q1.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/q1.xml" >/dev/null || die "define q1"
"$SEPVIRSH" start q1 >/dev/null || { suite_logs; die "start q1"; }
guest_shell hp 90 true || { suite_logs; die "the guest's shell never answered"; }
# the guest names its disks in the order it finds them: each is known by what it holds
# shellcheck disable=SC2016 # expanded by the guest's shell
blocks='for b in /sys/block/vd*; do [ -e "$b" ] && echo "BLK ${b##*/} $(head -c 40 /dev/${b##*/} | head -n 1)"; done'

# read-only connections are refused, naming the API
expect_fail "attach on a read-only connection" "read only access prevents virDomainAttachDeviceFlags" \
	"$SEPVIRSH" -r attach-disk hp "$images/extra.img" vdb
expect_fail "detach on a read-only connection" "read only access prevents virDomainDetachDeviceFlags" \
	"$SEPVIRSH" -r detach-disk hp vdb
expect_fail "change-media on a read-only connection" "read only access prevents virDomainUpdateDeviceFlags" \
	"$SEPVIRSH" -r change-media hp hdc --eject

# the device-added and device-removed events of what follows, as virsh event prints them
"$SEPVIRSH" event --domain hp --all --loop --timeout 600 >"$SEPVIRT_ROOT/hp-events" 2>&1 &
epid=$!
for _ in $(seq 30); do "$SEPVIRSH" domstate hp >/dev/null; sleep 0.1; done # it subscribes meanwhile

# attach-disk of an image: live only (the default for a running domain)
out=$("$SEPVIRSH" attach-disk hp "$images/extra.img" vdb --targetbus virtio) || { suite_logs; die "attach-disk: $out"; }
[ "$out" = "Disk attached successfully" ] || die "attach-disk printed: $out"
guest_sees hp "$blocks" "^BLK vd[a-z]+ $marker"
"$SEPVIRSH" dumpxml hp | grep -q "<target dev='vdb' bus='virtio'/>" || die "vdb not in the live definition"
"$SEPVIRSH" dumpxml hp | grep -A8 "<target dev='vdb'" | grep -q "<address type='pci'" || die "vdb has no PCI address in the live XML"
! "$SEPVIRSH" dumpxml --inactive hp | grep -q "<target dev='vdb'" || die "a live attach changed the persistent definition"
"$SEPVIRSH" domblklist hp | grep -q "vdb" || die "domblklist has no vdb"

# a failed attach undoes what it did: at the slot QEMU's balloon holds (the definition gives it
# no address), device_add fails after the image's fd set and block nodes were added; the same
# target then attaches, which it could not with a block node of its name left in QEMU
guest_pci_devices hp 30 || die "the guest's shell did not list its PCI devices"
bslot=$(tr -d '\r' <"$SEPVIRT_ROOT/out" | sed -n 's/^PCI 0000:00:\([0-9a-f][0-9a-f]\)\.0 0x1af4:0x1002$/\1/p' | head -n1)
[ -n "$bslot" ] || die "no virtio balloon in the guest: $(cat "$SEPVIRT_ROOT/out")"
cat >"$SEPVIRT_ROOT/taken.xml" <<XML
<disk type='file' device='disk'><source file='$images/other.img'/><target dev='vde' bus='virtio'/><address type='pci' domain='0x0000' bus='0x00' slot='0x$bslot' function='0x0'/></disk>
XML
expect_fail "a PCI slot QEMU holds" "not available" "$SEPVIRSH" attach-device hp "$SEPVIRT_ROOT/taken.xml"
! "$SEPVIRSH" dumpxml hp | grep -q "<target dev='vde'" || die "a failed attach left vde in the live definition"
"$SEPVIRSH" attach-disk hp "$images/other.img" vde >/dev/null || { suite_logs; die "attach-disk vde after a failed attach"; }
"$SEPVIRSH" detach-disk hp vde >/dev/null || die "detach-disk vde"

# the same target again, and an unknown one, are refused by name
expect_fail "a target in use" "target 'vdb' already exists" "$SEPVIRSH" attach-disk hp "$images/other.img" vdb
expect_fail "an unknown target" "no disk with target 'vdz'" "$SEPVIRSH" detach-disk hp vdz
expect_fail "a bus hotplug cannot serve" "hotplug on bus 'ide' is not supported" \
	"$SEPVIRSH" attach-disk hp "$images/other.img" hdb --targetbus ide

# attach-device of a volume, --persistent: live and persistent definitions both
cat >"$SEPVIRT_ROOT/vol-disk.xml" <<XML
<disk type='volume' device='disk'><driver name='qemu' type='raw'/><source pool='hp' volume='data'/><target dev='vdd' bus='virtio'/></disk>
XML
out=$("$SEPVIRSH" attach-device hp "$SEPVIRT_ROOT/vol-disk.xml" --persistent) || { suite_logs; die "attach-device: $out"; }
[ "$out" = "Device attached successfully" ] || die "attach-device printed: $out"
guest_sees hp "$blocks" "^BLK vd[a-z]+ $vmarker"
"$SEPVIRSH" dumpxml hp | grep -q "volume='data'" || die "vdd not in the live definition"
"$SEPVIRSH" dumpxml --inactive hp | grep -q "volume='data'" || die "vdd not in the persistent definition"
grep -q "volume='data'" "$SEPVIRT_ROOT/etc/qemu/hp.xml" || die "the persistent definition on disk has no vdd"

# detach: the guest loses the disks; the backend goes from QEMU too (the same target attaches again)
out=$("$SEPVIRSH" detach-disk hp vdb) || { suite_logs; die "detach-disk: $out"; }
[ "$out" = "Disk detached successfully" ] || die "detach-disk printed: $out"
guest_sees hp "$blocks" "^BLK vd[a-z]+ $marker" absent
for _ in $(seq 50); do "$SEPVIRSH" dumpxml hp | grep -q "<target dev='vdb'" || break; sleep 0.2; done
! "$SEPVIRSH" dumpxml hp | grep -q "<target dev='vdb'" || die "vdb still in the live definition"
for e in "device-added for domain 'hp': virtio-disk1" "device-removed for domain 'hp': virtio-disk1"; do
	grep -qxF "event '${e%% *}' ${e#* }" "$SEPVIRT_ROOT/hp-events" || die "no event '$e': $(cat "$SEPVIRT_ROOT/hp-events")"
done
"$SEPVIRSH" attach-disk hp "$images/extra.img" vdb >/dev/null || { suite_logs; die "attach-disk vdb again"; }
guest_sees hp "$blocks" "^BLK vd[a-z]+ $marker"
"$SEPVIRSH" detach-disk hp vdb >/dev/null || die "detach-disk vdb again"
"$SEPVIRSH" detach-device hp "$SEPVIRT_ROOT/vol-disk.xml" --persistent >/dev/null || { suite_logs; die "detach-device"; }
guest_sees hp "$blocks" "^BLK vd" absent
! "$SEPVIRSH" dumpxml --inactive hp | grep -q "volume='data'" || die "vdd still in the persistent definition"

# QEMU holds no fd of the image once its disks are gone
qpid=$(qemu_pid hp)
for _ in $(seq 50); do ls -l "/proc/$qpid/fd" | grep -Eq "extra.img|other.img" || break; sleep 0.2; done
! ls -l "/proc/$qpid/fd" | grep -Eq "extra.img|other.img" || die "QEMU still holds the image after its disks were detached"

# q35: the disk goes to the empty root port, and the guest sees it; a second finds none free
"$SEPVIRSH" attach-disk q1 "$images/extra.img" vdb >/dev/null || { suite_logs; die "attach-disk on q35"; }
"$SEPVIRSH" dumpxml q1 | grep -A8 "<target dev='vdb'" | grep -q "<address type='pci' domain='0x0000' bus='0x01' slot='0x00'" ||
	die "q35: vdb is not on the root port (bus 1): $("$SEPVIRSH" dumpxml q1 | grep -A8 "<target dev='vdb'")"
guest_sees q1 "$blocks" "^BLK vd[a-z]+ $marker"
expect_fail "q35 without a free root port" "no free pcie-root-port" "$SEPVIRSH" attach-disk q1 "$images/other.img" vdc
"$SEPVIRSH" destroy q1 >/dev/null || die "destroy q1"

# change-media: the cdrom's medium is a file QEMU holds while it is inserted (the test guest has no
# IDE driver: QEMU's fds tell)
truncate -s 1M "$images/disc.iso"
out=$("$SEPVIRSH" change-media hp hdc "$images/disc.iso" --insert) || { suite_logs; die "change-media --insert: $out"; }
[ "$out" = "Successfully inserted media." ] || die "change-media --insert printed: $out"
"$SEPVIRSH" dumpxml hp | grep -q "<source file='$images/disc.iso'/>" || die "the live XML has no medium"
! "$SEPVIRSH" dumpxml --inactive hp | grep -q "disc.iso" || die "a live change-media changed the persistent definition"
ls -l "/proc/$qpid/fd" | grep -q disc.iso || die "QEMU does not hold the inserted medium"
expect_fail "insert into a full tray" "The disk device 'hdc' already has media" \
	"$SEPVIRSH" change-media hp hdc "$images/other.img" --insert
expect_fail "a disk that is not there" "No disk found whose source path or target is hdz" \
	"$SEPVIRSH" change-media hp hdz --eject
out=$("$SEPVIRSH" change-media hp hdc --eject) || { suite_logs; die "change-media --eject: $out"; }
[ "$out" = "Successfully ejected media." ] || die "change-media --eject printed: $out"
for _ in $(seq 50); do ls -l "/proc/$qpid/fd" | grep -q disc.iso || break; sleep 0.2; done
! ls -l "/proc/$qpid/fd" | grep -q disc.iso || die "QEMU still holds the ejected medium"
! "$SEPVIRSH" dumpxml hp | grep -q "disc.iso" || die "the live XML still names the ejected medium"
"$SEPVIRSH" change-media hp hdc "$images/disc.iso" --config >/dev/null || die "change-media --config"
"$SEPVIRSH" dumpxml --inactive hp | grep -q "disc.iso" || die "change-media --config: the persistent definition has no medium"
! "$SEPVIRSH" dumpxml hp | grep -q "disc.iso" || die "change-media --config changed the live definition"

# attach-interface: a pre-created tap the suite must not touch, a virtio NIC in the guest
out=$("$SEPVIRSH" attach-interface hp ethernet --target svhp0 --managed no --model virtio --mac 52:54:00:79:00:02) ||
	{ suite_logs; die "attach-interface: $out"; }
[ "$out" = "Interface attached successfully" ] || die "attach-interface printed: $out"
"$SEPVIRSH" domiflist hp | grep -Eq "svhp0 +ethernet +- +virtio +52:54:00:79:00:02" || die "domiflist: $("$SEPVIRSH" domiflist hp)"
"$SEPVIRSH" dumpxml hp | grep -q "<alias name='net0'/>" || die "the new interface has no alias net0 in the live XML"
guest_sees hp 'cat /sys/class/net/eth0/address' '52:54:00:79:00:02'
guest_shell hp 30 'ip addr add 10.79.0.2/24 dev eth0; ip link set eth0 up' || die "configuring eth0"
ping_guest 10.79.0.2
expect_fail "detach of an unknown MAC" "no interface of type 'ethernet' with MAC address '52:54:00:79:00:99'" \
	"$SEPVIRSH" detach-interface hp ethernet --mac 52:54:00:79:00:99
out=$("$SEPVIRSH" detach-interface hp ethernet --mac 52:54:00:79:00:02) || { suite_logs; die "detach-interface: $out"; }
[ "$out" = "Interface detached successfully" ] || die "detach-interface printed: $out"
guest_sees hp 'ls /sys/class/net' 'eth0' absent
for _ in $(seq 50); do "$SEPVIRSH" dumpxml hp | grep -q "svhp0" || break; sleep 0.2; done
! "$SEPVIRSH" dumpxml hp | grep -q "svhp0" || die "svhp0 still in the live definition"
ip link show svhp0 >/dev/null 2>&1 || die "the unmanaged tap is gone after detach"
[ "$(tap_facts svhp0)" = "$before" ] || die "the tap changed: $(tap_facts svhp0) vs $before"

"$SEPVIRSH" destroy hp >/dev/null || die "destroy"
log "ok: disk (image, volume) and interface hot-added and removed, seen by the guest"
