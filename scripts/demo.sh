#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The demo: the whole suite under a private SEPVIRT_ROOT in a private network namespace
# boots a small Linux VM on a tap an administrator pre-created (managed='no'), shows
# `sepvirsh list`, each process's own identity (the QEMU under a uid of its own), the guest's
# serial console and a ping, then destroys it and stops.
#   scripts/demo.sh [BUILDDIR]        (as root)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/_build}
[ -x "$build/sepvirtd" ] || build=$src   # an in-tree build
. "$src/tests/integration/lib/common.sh"
abs_top_builddir=$build
abs_top_srcdir=$src
. "$src/tests/integration/lib/suite.sh"
. "$src/tests/integration/qemud/lib.sh"
SV_TEST_NAME=demo
in_netns "$@"   # from here on, taps and addresses vanish with the demo

run() { echo "\$ $*"; "$@"; }

g=$(guest_dir)   # Debian's kernel + a busybox initramfs, built once and cached
kernel=$(guest_kernel "$g")

trap qemud_stop EXIT   # the suite, and the demo's QEMU
suite_start
echo "== sepvirt suite running under SEPVIRT_ROOT=$SEPVIRT_ROOT (private network namespace)"
run "$SEPVIRSH" version --daemon

echo "== an administrator pre-creates the tap (the suite never changes it)"
run ip tuntap add dev demotap0 mode tap
run ip addr add 10.77.0.1/24 dev demotap0
run ip link set demotap0 up
mkdir -p "$SEPVIRT_ROOT/vm" && chown "$SUITE_QEMU_USER" "$SEPVIRT_ROOT/vm"  # qemud opens the serial file for QEMU
serial=$SEPVIRT_ROOT/vm/demo.serial
cat >"$SEPVIRT_ROOT/demo.xml" <<EOF
<domain type='qemu'>
  <name>demo</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$kernel</kernel>
    <initrd>$g/initramfs.cpio.gz</initrd>
    <cmdline>console=ttyS0 quiet sv.ip=10.77.0.2/24</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <interface type='ethernet'>
      <mac address='52:54:00:12:34:56'/>
      <target dev='demotap0' managed='no'/>
      <model type='virtio'/>
    </interface>
    <serial type='file'><source path='$serial'/><target port='0'/></serial>
    <console type='file'><source path='$serial'/><target type='serial' port='0'/></console>
  </devices>
</domain>
EOF
echo "== the domain XML (libvirt's format)"
sed -n '/<interface/,/<\/interface>/p' "$SEPVIRT_ROOT/demo.xml"
run "$SEPVIRSH" define "$SEPVIRT_ROOT/demo.xml"
run "$SEPVIRSH" start demo
run "$SEPVIRSH" list
run "$SEPVIRSH" domiflist demo
echo "== each daemon and the QEMU under an identity of its own (the QEMU's uid is from SEPVIRT_VM_UIDS)"
run ps -o pid,user:16,group:16,supgrp,comm -p "$(for d in proxyd qemud storaged; do daemon_pid "$d"; done | paste -sd,),$(qemu_pid demo)"
echo "== the guest's serial console"
wait_for_file_pattern "$serial" SEPVIRT-NET-UP 60 || die "the guest did not bring up its network"
tr -d '\r' <"$serial"
echo
for i in 1 2 3 4 5; do ping -c 1 -W 2 10.77.0.2 >/dev/null 2>&1 && break; sleep 0.5; done
run ping -c 3 10.77.0.2
run "$SEPVIRSH" destroy demo
run "$SEPVIRSH" domstate --reason demo
run ip -br link show demotap0
echo "== stopping the suite"
