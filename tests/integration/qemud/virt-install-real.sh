#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Debian 12's virt-install 4.1, talking to sepvirt through libvirt-sock, prints the XML of a
# q35 guest with its own defaults for devices (USB XHCI with a tablet, VNC, virtio video, guest
# agent channel, virtio-rng, balloon, pcie root ports; none turned off), booting the test kernel
# under TCG: virsh defines it, starts it, and the guest boots; the VNC display answers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd virsh virt-install timeout

trap qemud_stop EXIT
suite_start
qemud_vmdir
chmod 755 "$VMDIR"
LV="qemu+unix:///system?socket=$SEPVIRT_ROOT/run/libvirt-sock"
virt-install --connect "$LV" --print-xml --name vi2 --memory 256 --vcpus 1 --import --disk none \
	--boot "kernel=$GUEST_KERNEL,initrd=$GUEST_INITRD,kernel_args=console=ttyS0" --virt-type qemu --machine q35 \
	--os-variant linux2022 --network user,model=virtio --graphics vnc --serial "file,path=$VMDIR/vi2.serial" \
	>"$SEPVIRT_ROOT/vi2.xml" 2>"$SEPVIRT_ROOT/vi2.err" || die "virt-install --print-xml: $(cat "$SEPVIRT_ROOT/vi2.err")"
for e in "<channel type=\"unix\">" "<rng model=\"virtio\">" "<input type=\"tablet\" bus=\"usb\"/>" \
	"<graphics type=\"vnc\"" "<controller type=\"pci\" model=\"pcie-root-port\"/>"; do
	grep -qF "$e" "$SEPVIRT_ROOT/vi2.xml" || die "virt-install wrote no $e: $(cat "$SEPVIRT_ROOT/vi2.xml")"
done
out=$(virsh -c "$LV" define "$SEPVIRT_ROOT/vi2.xml" 2>&1) || die "define virt-install's XML: $out"
out=$(virsh -c "$LV" start vi2 2>&1) || { suite_logs; die "start vi2: $out"; }
wait_serial vi2 SEPVIRT-GUEST-UP
# virsh's vncdisplay and domdisplay read the live XML: the port QEMU took, as libvirt shows it
greeting=$(vnc_greeting virsh -c "$LV" vncdisplay vi2)
[ "$greeting" = "RFB 003.008" ] || die "VNC answered '$greeting'"
display=$(virsh -c "$LV" domdisplay vi2 | head -n1)
[ "$display" = "vnc://127.0.0.1:$(virsh -c "$LV" vncdisplay vi2 | head -n1 | cut -d: -f2)" ] ||
	die "virsh domdisplay printed '$display'"
[ "$(virsh -c "$LV" domdisplay vi2)" = "$("$SEPVIRSH" domdisplay vi2)" ] || die "sepvirsh domdisplay differs from virsh's"
virsh -q -c "$LV" destroy vi2 >/dev/null || die "destroy vi2"
log "ok: virt-install's own q35 guest defined, started and booted"
