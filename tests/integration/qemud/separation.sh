#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Two VMs, each QEMU under a uid and gid of its own, booting a plain <disk type='file'> image
# owned by root (mode 0600) that the spawner opened for it. Then, with one QEMU's exact
# credentials (what a guest that escaped into QEMU has), every attack of issue 11 fails: no
# socket of the suite but the read-only one, no signal to the other QEMU or to a daemon, no
# definition or state file, no disk image (not even its own, by path).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd setpriv socat
trap qemud_stop EXIT
suite_start
qemud_vmdir
IMAGES=$SEPVIRT_ROOT/lib/images # the image directory under SEPVIRT_ROOT (SEPVIRT_IMAGE_DIRS)
# A stranger already runs as the first uid of the range: no QEMU may share it.
first=${SEPVIRT_VM_UIDS%-*}
setpriv --reuid "$first" --regid "$first" --clear-groups sleep 600 &
squatter=$!
trap 'rc=$?; kill $squatter 2>/dev/null; qemud_stop $rc' EXIT
mkdir -p "$IMAGES"
for vm in va vb; do
	printf 'image-of-%s-%s\n' "$vm" "$RANDOM" >"$IMAGES/$vm.img"
	truncate -s 1M "$IMAGES/$vm.img"
	chown root:root "$IMAGES/$vm.img"
	chmod 0600 "$IMAGES/$vm.img"
	guest_xml "$vm" "" "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$IMAGES/$vm.img'/><target dev='vda' bus='virtio'/></disk>" |
		sed -e "s|console=ttyS0 quiet|console=ttyS0 quiet sv.disk=/dev/vda|" >"$SEPVIRT_ROOT/$vm.xml"
	"$SEPVIRSH" define "$SEPVIRT_ROOT/$vm.xml" >/dev/null || die "define $vm"
	"$SEPVIRSH" start "$vm" >/dev/null || { suite_logs; die "start $vm"; }
done
for vm in va vb; do
	wait_serial "$vm" "SEPVIRT-DISK: $(head -n1 "$IMAGES/$vm.img")"
done
pa=$(qemu_pid va) pb=$(qemu_pid vb)
[ -n "$pa" ] && [ -n "$pb" ] || die "no QEMU processes"

# The privilege table, read from /proc: each QEMU's uid differs from root's, every daemon's and
# the other QEMU's; gid = uid; no group but kvm; no capability.
kvm_gid=$(getent group kvm | cut -d: -f3)
daemon_uids=""
for d in proxyd qemud lxcd netd storaged; do
	daemon_uids="$daemon_uids $(proc_status "$(daemon_pid "$d")" Uid)"
done
for p in "$pa" "$pb"; do
	uid=$(proc_status "$p" Uid) gid=$(proc_status "$p" Gid)
	[ "$uid" != 0 ] || die "QEMU $p runs as root"
	for du in $daemon_uids; do [ "$uid" != "$du" ] || die "QEMU $p shares uid $uid with a daemon"; done
	[ "$(grep '^Uid:' "/proc/$p/status" | awk '{print $2$3$4$5}')" = "$uid$uid$uid$uid" ] || die "QEMU $p: mixed uids"
	[ "$gid" = "$uid" ] || die "QEMU $p: gid $gid, not its own"
	[ "$(proc_status "$p" Groups)" = "$kvm_gid" ] || die "QEMU $p: groups '$(proc_status "$p" Groups)', expected kvm only"
	[ "$(proc_status "$p" CapEff)" = 0000000000000000 ] || die "QEMU $p holds capabilities"
	[ "$(proc_status "$p" Seccomp)" = 2 ] || die "QEMU $p runs without its -sandbox filter"
	# The image came as an fd: its command line names no host path of it.
	tr '\0' ' ' <"/proc/$p/cmdline" | grep -q "$IMAGES" && die "QEMU $p was given an image path"
done
[ "$(proc_status "$pa" Uid)" != "$(proc_status "$pb" Uid)" ] || die "both QEMUs run as uid $(proc_status "$pa" Uid)"
for p in "$pa" "$pb"; do
	[ "$(proc_status "$p" Uid)" != "$first" ] || die "QEMU $p shares uid $first with another process"
done
echo "QEMU va: uid $(proc_status "$pa" Uid), vb: uid $(proc_status "$pb" Uid); daemons:$daemon_uids"

# The compromised QEMU: va's exact uid, gid and groups.
uid=$(proc_status "$pa" Uid)
attacker() { setpriv --reuid "$uid" --regid "$uid" --groups "$kvm_gid" --inh-caps=-all "$@"; }
attacker true || die "setpriv cannot take QEMU's credentials"
n=0
while read -r sock; do
	# the read-only sockets (proxyd's own protocol, libvirt's) are open to anyone: below
	[ "$sock" = "$SEPVIRT_ROOT/run/proxyd-ro.sock" ] && continue
	[ "$sock" = "$SEPVIRT_ROOT/run/libvirt-sock-ro" ] && continue
	n=$((n + 1))
	if attacker socat -u /dev/null "UNIX-CONNECT:$sock" 2>/dev/null; then
		die "QEMU's credentials connect to $sock"
	fi
done < <(find "$SEPVIRT_ROOT" -type s)
[ "$n" -ge 8 ] || die "only $n sockets found: $(find "$SEPVIRT_ROOT" -type s)"
# ...the read-only socket is open to anyone, and reads only.
attacker "$SEPVIRSH" -r list --all | grep -q va || die "the read-only socket refused QEMU's credentials"
attacker "$SEPVIRSH" destroy vb 2>/dev/null && die "QEMU's credentials destroyed vb"
# Signals: not the other QEMU, not a daemon, not sepvirtd.
for p in "$pb" $(for d in proxyd qemud lxcd netd storaged; do daemon_pid "$d"; done) "$SUITE_PID"; do
	attacker kill -0 "$p" 2>/dev/null && die "QEMU's credentials may signal pid $p"
done
# Definitions, state, logs: nothing to read, list or write.
for f in "$SEPVIRT_ROOT/etc/qemu/vb.xml" "$SEPVIRT_ROOT/run/qemu/vb.status" "$SEPVIRT_ROOT/log/qemu/vb.log"; do
	[ -e "$f" ] || die "expected $f to exist"
	attacker cat "$f" >/dev/null 2>&1 && die "QEMU's credentials read $f"
done
for d in "$SEPVIRT_ROOT/etc/qemu" "$SEPVIRT_ROOT/run/qemu" "$SEPVIRT_ROOT/lib/storage" "$SEPVIRT_ROOT/etc/storage"; do
	[ -d "$d" ] || continue
	attacker ls "$d" >/dev/null 2>&1 && die "QEMU's credentials list $d"
	attacker touch "$d/x" 2>/dev/null && die "QEMU's credentials write into $d"
done
# Disk images: the other VM's and its own, by path.
for img in "$IMAGES/vb.img" "$IMAGES/va.img"; do
	attacker cat "$img" >/dev/null 2>&1 && die "QEMU's credentials read $img"
	attacker sh -c ": >>'$img'" 2>/dev/null && die "QEMU's credentials write $img"
done
# The other VM's monitor is a socket in qemud's own directory: covered above; and both VMs run on.
"$SEPVIRSH" domstate va | grep -q running || die "va stopped"
"$SEPVIRSH" domstate vb | grep -q running || die "vb stopped"
# An image outside the image directories is refused at start, by name, and nothing runs.
cp "$IMAGES/va.img" "$SEPVIRT_ROOT/outside.img"
sed -e "s|$IMAGES/va.img|$SEPVIRT_ROOT/outside.img|" -e "s|<name>va</name>|<name>vc</name>|" \
	-e "/<uuid>/d" "$SEPVIRT_ROOT/va.xml" >"$SEPVIRT_ROOT/vc.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/vc.xml" >/dev/null || die "define vc"
expect_fail "an image outside the image directories" "image '$SEPVIRT_ROOT/outside.img' is not inside an image directory" \
	"$SEPVIRSH" start vc
"$SEPVIRSH" destroy va >/dev/null && "$SEPVIRSH" destroy vb >/dev/null || die "destroy"
echo "PASS: each QEMU under its own uid/gid with root-owned images as fds; with a QEMU's credentials no socket, signal, definition, state or image is reachable ($n sockets tried)"
