#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The command lines sepvirt builds for the golden inputs hw-pc.xml and hw-q35.xml
# (and disk-scsi-virtio.xml, misc-pc.xml) run in a real QEMU, and its `info qtree` (through QMP)
# holds the devices the XML asks for: the USB tablet on the USB bus, the balloon, the video cards,
# the SATA cdrom and disk on q35's AHCI, SCSI disk and cdrom on virtio-scsi, a usb hub, the
# watchdog, virtio-rng, the agent's virtio-serial port, pvpanic, the controllers with libvirt's ids. The fds sepvirt passes (monitor,
# images) are replaced by a QMP socket and null block devices; everything else is as built.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
QEMU=${QEMU:-/usr/bin/qemu-system-x86_64}
[ -x "$QEMU" ] || skip "no QEMU (qemu-system-x86)"
need_cmd python3 socat
dump=$abs_top_builddir/tests/xml/argv-dump
[ -x "$dump" ] || die "no $dump (make check builds it)"
work=$(mktemp -d /tmp/sepvirt-qtree.XXXXXX)
trap 'rm -rf "$work"' EXIT

# qtree NAME: QEMU run paused with NAME's command line; prints `info qtree`.
qtree() {
	"$dump" "$abs_top_srcdir/tests/qemuxml2argv/$1.xml" >"$work/$1.argv"
	python3 - "$work/$1.argv" "$work/$1.qmp" "$QEMU" >"$work/$1.cmd" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().rstrip("\n").split("\n")
if lines[1] != "OK":
    sys.exit("not accepted: " + lines[1])
args, out, i = lines[2:], [sys.argv[3]], 1
while i < len(args):
    a, v = args[i], (args[i + 1] if i + 1 < len(args) else "")
    if a in ("-mon", "-sandbox"):
        i += 2; continue
    if a == "-chardev" and v.startswith("socket,id=charmonitor"):
        v = "socket,id=charmonitor,path=%s,server=on,wait=off" % sys.argv[2]
        out += [a, v, "-mon", "chardev=charmonitor,id=monitor,mode=control"]; i += 2; continue
    if a == "-add-fd" or (a == "-chardev" and ",fd=" in v and "charmonitor" not in v):
        if a == "-chardev":
            out += [a, re.sub(r"^socket,id=([^,]+),.*", r"null,id=\1", v)]
        i += 2; continue
    if a == "-object" and v.startswith("rng-random"):
        v = re.sub(r"/dev/fdset/\d+", "/dev/urandom", v)
    if a == "-object" and v.startswith("memory-backend"):
        v = v.replace(",prealloc=on", "")
    if a == "-drive" and "fdset" in v:
        v = "driver=null-co,if=none,id=" + re.search(r"id=([^,]+)", v).group(1)
    out += [a, v] if a.startswith("-") and v and not v.startswith("-") else [a]
    i += 2 if a.startswith("-") and v and not v.startswith("-") else 1
print("\0".join(out))
PY
	local pid
	tr '\0' '\n' <"$work/$1.cmd" | sed 's/^/  /' >&2
	mapfile -d '' -t cmd < <(tr -d '\n' <"$work/$1.cmd")
	"${cmd[@]}" >"$work/$1.log" 2>&1 &
	pid=$!
	for _ in $(seq 50); do [ -S "$work/$1.qmp" ] && break; sleep 0.1; done
	[ -S "$work/$1.qmp" ] || { cat "$work/$1.log" >&2; die "$1: QEMU did not start"; }
	qmp_cmd "$work/$1.qmp" '{"execute":"human-monitor-command","arguments":{"command-line":"info qtree"}}' ||
		{ kill "$pid"; die "$1: no info qtree"; }
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# has NAME QTREE DRIVER ID: QTREE holds the device DRIVER with id ID.
has() { grep -q "dev: $3, id \\\\\"$4\\\\\"" <<<"$2" || die "$1: no $3 with id '$4' in info qtree"; }

pc=$(qtree hw-pc)
has hw-pc "$pc" usb-tablet input0
has hw-pc "$pc" virtio-balloon-pci balloon0
has hw-pc "$pc" piix3-usb-uhci usb
has hw-pc "$pc" VGA video0
has hw-pc "$pc" virtio-keyboard-pci input2
has hw-pc "$pc" pci-bridge pci.1
has hw-pc "$pc" virtio-scsi-pci scsi0
has hw-pc "$pc" virtio-serial-pci virtio-serial0
has hw-pc "$pc" ide-cd ide0-1-0
# the NIC sits behind the bridge, as its address says
grep -q 'bus: pci.1' <<<"$pc" || die "hw-pc: pci.1 has no bus"
q35=$(qtree hw-q35)
has hw-q35 "$q35" usb-tablet input0
has hw-q35 "$q35" usb-kbd input1
has hw-q35 "$q35" qemu-xhci usb
has hw-q35 "$q35" qxl-vga video0
has hw-q35 "$q35" virtio-gpu-pci video1
has hw-q35 "$q35" pcie-root-port pci.1
has hw-q35 "$q35" ide-cd sata0-0-0
has hw-q35 "$q35" ide-hd sata0-0-1
grep -q "virtio-balloon" <<<"$q35" && die "hw-q35: a balloon although <memballoon model='none'/>"
scsi=$(qtree disk-scsi-virtio)
has disk-scsi-virtio "$scsi" virtio-scsi-pci scsi0
has disk-scsi-virtio "$scsi" scsi-hd scsi0-0-0-0
has disk-scsi-virtio "$scsi" scsi-cd scsi0-0-0-1
misc=$(qtree misc-pc)
has misc-pc "$misc" usb-hub hub0
has misc-pc "$misc" i6300esb watchdog0
has misc-pc "$misc" virtio-rng-pci rng0
has misc-pc "$misc" virtserialport channel0
has misc-pc "$misc" pvpanic ""
log "ok: info qtree of hw-pc and hw-q35"
