#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The domain XML virt-install 4.1 prints for a typical server (tests/qemuxml2argv/
# virt-install-server.xml: q35, 14 pcie-root-ports without index, qcow2 virtio disk with
# discard, SATA cdrom, qemu-xhci with tablet, VNC, virtio video, guest agent channel without a
# path, virtio-rng, balloon, vmport off, pm, timers) defines and boots, made runnable here: TCG,
# the test kernel instead of the disk, QEMU's user network instead of the bridge, the cdrom empty.
# Checked: the VNC display answers RFB 003.008; the guest's shell answers on the pty console and
# its PCI bus holds the virtio-serial bus, the rng, the balloon, virtio-vga and the XHCI
# controller; the agent's socket was bound by qemud in its own directory and QEMU accepts on it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd timeout socat python3

trap 'rc=$?; exec 7>&- 2>/dev/null || true; kill ${cpid:-} 2>/dev/null || true; qemud_stop $rc' EXIT
suite_start
python3 - "$abs_top_srcdir/tests/qemuxml2argv/virt-install-server.xml" "$GUEST_KERNEL" "$GUEST_INITRD" \
	>"$SEPVIRT_ROOT/server1.xml" <<'PY'
import re, sys
x = open(sys.argv[1]).read()
x = x.replace('<domain type="kvm">', '<domain type="qemu">')
x = x.replace('<cpu mode="host-passthrough"/>\n', '')
x = x.replace('<boot dev="hd"/>', '<kernel>%s</kernel>\n    <initrd>%s</initrd>\n'
              '    <cmdline>console=ttyS0 quiet sv.shell=1</cmdline>' % (sys.argv[2], sys.argv[3]))
x = re.sub(r'\s*<disk type="file" device="disk">.*?</disk>', '', x, flags=re.S)
x = x.replace('<source file="/var/lib/libvirt/images/debian-12-netinst.iso"/>\n', '')
x = re.sub(r'<interface type="bridge">.*?</interface>',
           '<interface type="user"><mac address="52:54:00:6b:3c:1a"/><model type="virtio"/></interface>', x, flags=re.S)
print(x, end="")
PY
grep -q '<channel type="unix">' "$SEPVIRT_ROOT/server1.xml" || die "test XML lost its channel"
"$SEPVIRSH" define "$SEPVIRT_ROOT/server1.xml" >/dev/null || die "define"
"$SEPVIRSH" start server1 >/dev/null || { suite_logs; die "start"; }

greeting=$(vnc_greeting "$SEPVIRSH" vncdisplay server1)
[ "$greeting" = "RFB 003.008" ] || { suite_logs; die "VNC answered '$greeting', not 'RFB 003.008'"; }

guest_pci_devices server1 120 || { cat "$SEPVIRT_ROOT/out" >&2; die "the guest's shell never answered on the console"; }
pci=$(tr -d '\r' <"$SEPVIRT_ROOT/out" | awk '$1 == "PCI" && $3 ~ /^0x/ { print "PCI", $3 }' | sort -u)
for want in "0x1af4:0x1003 virtio-serial" "0x1af4:0x1005 virtio-rng" "0x1af4:0x1002 balloon" \
	"0x1af4:0x1050 virtio-vga" "0x1b36:0x000d qemu-xhci" "0x1b36:0x000c pcie-root-port" "0x1af4:0x1000 virtio-net"; do
	grep -q "^PCI ${want%% *}$" <<<"$pci" || die "guest has no ${want#* } (${want%% *}): $(echo $pci)"
done
sock=$(find "$SEPVIRT_ROOT" -name 'server1.channel0' -type s | head -n1)
[ -n "$sock" ] || die "no socket bound for the agent channel"
timeout 5 socat -u OPEN:/dev/null "UNIX-CONNECT:$sock" || die "QEMU does not accept on the agent channel $sock"
live=$("$SEPVIRSH" dumpxml --xpath '//graphics' server1)
port=$(( 5900 + $("$SEPVIRSH" vncdisplay server1 | head -n1 | cut -d: -f2) ))
grep -q "port=\"$port\" autoport=\"yes\"" <<<"$live" || die "live XML does not show the VNC port $port: $live"
"$SEPVIRSH" dumpxml --inactive --xpath '//graphics' server1 | grep -q "port=\"$port\"" &&
	die "the persistent definition took the live port"
"$SEPVIRSH" destroy server1 >/dev/null || die "destroy"
out=$("$SEPVIRSH" vncdisplay server1 2>&1) && die "vncdisplay of a shut-off domain succeeded: $out"
[ "$out" = "error: Domain is not running" ] || die "vncdisplay of a shut-off domain: $out"
log "ok: virt-install's server XML defines and boots ($sock)"
