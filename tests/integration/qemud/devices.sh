#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The virtual hardware of the XML reaches a real guest started through the suite: a VNC display
# on 127.0.0.1 with autoport (display 0 in the test's network namespace, as vncdisplay and
# domdisplay print it) answers the RFB handshake (RFB 003.008); the guest's PCI bus holds what
# the XML gives (the VGA card, PIIX3's USB controller, the virtio balloon libvirt adds by
# default, a virtio keyboard at the PCI slot the XML names, an i6300esb watchdog, a virtio-rng
# reading the host's /dev/urandom through the spawner's fd, the virtio-serial bus of a guest
# agent channel), read by the guest's own shell through `sepvirsh console`; the channel's
# socket, bound by qemud, is accepted by QEMU. A UNIX-socket display and a VNC password are
# refused at define, by name.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd timeout socat

trap 'rc=$?; exec 7>&- 2>/dev/null || true; kill ${cpid:-} 2>/dev/null || true; qemud_stop $rc' EXIT
suite_start
qemud_vmdir
devices="<input type='tablet' bus='usb'/>
    <input type='keyboard' bus='virtio'><address type='pci' domain='0x0000' bus='0x00' slot='0x09' function='0x0'/></input>
    <graphics type='vnc' port='-1' autoport='yes'><listen type='address' address='127.0.0.1'/></graphics>
    <video><model type='vga' vram='16384' heads='1'/></video>
    <channel type='unix'><source mode='bind' path='$VMDIR/hw.agent'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <watchdog model='i6300esb' action='reset'/>
    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
    <panic model='isa'/>"
guest_xml hw "" "$devices" | sed -e "s|<serial type='file'>.*</serial>|<serial type='pty'><target port='0'/></serial>|" \
	-e "s|<console type='file'>.*</console>|<console type='pty'><target type='serial' port='0'/></console>|" \
	-e "s|console=ttyS0 quiet|console=ttyS0 quiet sv.shell=1|" >"$SEPVIRT_ROOT/hw.xml"
grep -q "<graphics type='vnc'" "$SEPVIRT_ROOT/hw.xml" || die "test XML has no graphics"

# refused at define, by name
sed "s|<listen type='address' address='127.0.0.1'/>|<listen type='socket' socket='$SEPVIRT_ROOT/vnc.sock'/>|" \
	"$SEPVIRT_ROOT/hw.xml" >"$SEPVIRT_ROOT/sock.xml"
expect_fail "VNC on a UNIX socket" "graphics listen type 'socket' is not supported" "$SEPVIRSH" define "$SEPVIRT_ROOT/sock.xml"
sed "s|<graphics type='vnc'|<graphics type='vnc' passwd='secret'|" "$SEPVIRT_ROOT/hw.xml" >"$SEPVIRT_ROOT/pw.xml"
expect_fail "VNC password" "attribute 'passwd' of element 'graphics' is not supported" "$SEPVIRSH" define "$SEPVIRT_ROOT/pw.xml"

"$SEPVIRSH" define "$SEPVIRT_ROOT/hw.xml" >/dev/null || die "define"
"$SEPVIRSH" start hw >/dev/null || { suite_logs; die "start"; }

# VNC: QEMU took the first free display, 0 (port 5900) in this fresh namespace
[ "$("$SEPVIRSH" vncdisplay hw | head -n1)" = "127.0.0.1:0" ] || die "vncdisplay: $("$SEPVIRSH" vncdisplay hw 2>&1)"
[ "$("$SEPVIRSH" domdisplay hw | head -n1)" = "vnc://127.0.0.1:0" ] || die "domdisplay: $("$SEPVIRSH" domdisplay hw 2>&1)"
expect_fail "domdisplay --type spice" "No graphical display with type 'spice' found" "$SEPVIRSH" domdisplay --type spice hw
greeting=$(vnc_greeting "$SEPVIRSH" vncdisplay hw)
[ "$greeting" = "RFB 003.008" ] || { suite_logs; die "VNC on 127.0.0.1:5900 answered '$greeting', not 'RFB 003.008'"; }
log "VNC answers: $greeting"

# the guest's PCI devices, as vendor:device at slot
guest_pci_devices hw 90 || { cat "$SEPVIRT_ROOT/out" >&2; die "the guest's shell never listed its PCI devices"; }
pci=$(tr -d '\r' <"$SEPVIRT_ROOT/out" | grep '^PCI 0000:')
log "guest PCI: $(echo $pci)"
want() { grep -q "^PCI $1 $2\$" <<<"$pci" || die "guest has no $3 ($2) at $1: $pci"; }
want 0000:00:02.0 0x1234:0x1111 "VGA card (video0, libvirt's slot for the primary video)"
want 0000:00:01.2 0x8086:0x7020 "PIIX3 USB controller (usb)"
want 0000:00:09.0 0x1af4:0x1052 "virtio keyboard (input1, at the slot the XML gives)"
grep -Eq "^PCI 0000:00:0[3-8].0 0x1af4:0x1002$" <<<"$pci" || die "guest has no virtio balloon: $pci"
grep -Eq "^PCI 0000:00:0[3-8].0 0x1af4:0x1003$" <<<"$pci" || die "guest has no virtio-serial bus (channel): $pci"
grep -Eq "^PCI 0000:00:0[3-8].0 0x8086:0x25ab$" <<<"$pci" || die "guest has no i6300esb watchdog: $pci"
grep -Eq "^PCI 0000:00:0[3-8].0 0x1af4:0x1005$" <<<"$pci" || die "guest has no virtio-rng: $pci"
# the agent channel's socket: bound by qemud, its listening end in QEMU, which takes a client
[ -S "$VMDIR/hw.agent" ] || die "no channel socket $VMDIR/hw.agent"
timeout 5 socat -u OPEN:/dev/null "UNIX-CONNECT:$VMDIR/hw.agent" || die "QEMU does not accept on the channel socket"
"$SEPVIRSH" destroy hw >/dev/null || die "destroy"
log "ok: VNC handshake, guest PCI devices"
