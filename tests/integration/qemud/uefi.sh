#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# UEFI: a TCG guest with <os firmware='efi'> on q35 boots the test kernel through Debian's OVMF
# (chosen from /usr/share/qemu/firmware; the kernel's EFI stub is loaded by the firmware), with
# the code and the domain's own NVRAM handed to QEMU as fds. The NVRAM copy is made once, in
# qemud's state directory, from the template, and is not the template; undefine removes it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
[ -r /usr/share/OVMF/OVMF_CODE_4M.fd ] && [ -r /usr/share/qemu/firmware/60-edk2-x86_64.json ] ||
	skip "no OVMF (Debian's ovmf)"

trap 'qemud_stop $?' EXIT
suite_start
qemud_vmdir
guest_xml efi "" "" | sed -e "s|<os>|<os firmware='efi'>|" -e "s|machine='pc'|machine='q35'|" >"$SEPVIRT_ROOT/efi.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/efi.xml" >/dev/null || die "define"
"$SEPVIRSH" dumpxml --inactive efi | grep -q "<os firmware='efi'>" || die "firmware='efi' not kept"
nvram=$SEPVIRT_ROOT/lib/qemu/nvram/efi_VARS.fd
[ ! -e "$nvram" ] || die "an NVRAM exists before the first start"

"$SEPVIRSH" start efi >/dev/null || { suite_logs; die "start"; }
# OVMF under TCG takes a while before it hands over to the kernel's EFI stub
wait_serial efi SEPVIRT-GUEST-UP 1 180
grep -q "EFI" "$VMDIR/efi.serial" || grep -qi "efi" "$SEPVIRT_ROOT/log/qemu/efi.log" 2>/dev/null ||
	die "the serial console shows no EFI boot: $(head -c 600 "$VMDIR/efi.serial")"
live=$("$SEPVIRSH" dumpxml efi)
grep -q "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>" <<<"$live" ||
	die "live XML names no loader: $(grep -A4 '<os' <<<"$live")"
grep -q "<nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>$nvram</nvram>" <<<"$live" ||
	die "live XML names no NVRAM: $(grep -A6 '<os' <<<"$live")"
pid=$(qemu_pid efi)
args=$(tr '\0' ' ' <"/proc/$pid/cmdline")
grep -q "pflash0=libvirt-pflash0-format,pflash1=libvirt-pflash1-format" <<<"$args" || die "no pflash in: $args"
grep -q "OVMF" <<<"$args" && die "QEMU was given a firmware path: $args"
# QEMU holds the flashes as fds: the code read-only, the NVRAM copy read-write
ls -l "/proc/$pid/fd" | grep -q "/usr/share/OVMF/OVMF_CODE_4M.fd" || die "QEMU holds no fd of the code"
ls -l "/proc/$pid/fd" | grep -q "$nvram" || die "QEMU holds no fd of the NVRAM copy"

[ -f "$nvram" ] || die "no NVRAM copy at $nvram"
[ "$(stat -c %U "$nvram")" = "$SUITE_QEMU_USER" ] || die "NVRAM owned by $(stat -c %U "$nvram")"
[ "$(stat -c %s "$nvram")" = "$(stat -c %s /usr/share/OVMF/OVMF_VARS_4M.fd)" ] || die "NVRAM size differs from its template"
[ "$(stat -c %i "$nvram")" != "$(stat -c %i /usr/share/OVMF/OVMF_VARS_4M.fd)" ] || die "the NVRAM is the template itself"
"$SEPVIRSH" destroy efi >/dev/null || die "destroy"
# a second start keeps the copy (the guest's variables), it is not made anew
echo keep >"$SEPVIRT_ROOT/marker"
ino=$(stat -c %i "$nvram")
"$SEPVIRSH" start efi >/dev/null || { suite_logs; die "second start"; }
[ "$(stat -c %i "$nvram")" = "$ino" ] || die "the second start replaced the NVRAM copy"
"$SEPVIRSH" destroy efi >/dev/null || die "destroy"

expect_fail "secure boot" "firmware feature 'secure-boot' is not supported" \
	"$SEPVIRSH" define <(sed -e "s|<os firmware='efi'>|<os firmware='efi'><firmware><feature enabled='yes' name='secure-boot'/></firmware>|" \
		-e "s|<name>efi</name>|<name>sb</name>|" "$SEPVIRT_ROOT/efi.xml")
"$SEPVIRSH" undefine efi >/dev/null || die "undefine"
[ ! -e "$nvram" ] || die "undefine left the NVRAM copy"
log "ok: OVMF boots the guest, per-domain NVRAM copy as an fd, kept across starts, removed by undefine"
