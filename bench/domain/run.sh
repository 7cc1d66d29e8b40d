#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/domain: starts the suite under a private SEPVIRT_ROOT (as root), then
#   1. define+undefine of 1,000 domains through proxyd;
#   2. start -> first byte on the guest's serial console, against the bare QEMU command line.
#   bench/domain/run.sh [BUILDDIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$@"
SV_TEST_NAME=bench-domain
make -C "$build" bench >/dev/null
g=$(guest_dir)
trap suite_stop EXIT
suite_start
"$build/bench/domain/bench-domain" define -n "${N:-1000}"
mkdir -p "$SEPVIRT_ROOT/vm" && chown "$SUITE_QEMU_USER" "$SEPVIRT_ROOT/vm"  # qemud opens the serial file for QEMU
serial=$SEPVIRT_ROOT/vm/bench.serial
# No "quiet": the kernel writes to ttyS0 as soon as it runs.
cat >"$SEPVIRT_ROOT/bench.xml" <<EOF
<domain type='qemu'>
  <name>bench</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$(guest_kernel "$g")</kernel><initrd>$g/initramfs.cpio.gz</initrd>
    <cmdline>console=ttyS0 earlyprintk=serial</cmdline></os>
  <features><acpi/></features>
  <devices><serial type='file'><source path='$serial'/><target port='0'/></serial></devices>
</domain>
EOF
chmod 644 "$SEPVIRT_ROOT/bench.xml"
"$build/bench/domain/bench-domain" start -r "${RUNS:-7}" "$SEPVIRT_ROOT/bench.xml" "$serial"
