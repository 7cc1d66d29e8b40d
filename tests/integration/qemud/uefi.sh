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

# UEFI loads the kernel through its EFI stub: the bzImage, not the bare ELF the other tests boot
GUEST_KERNEL=${GUEST_KERNEL%/vmlinux}
GUEST_KERNEL=${GUEST_KERNEL%/vmlinuz}/vmlinuz
[ -f "$GUEST_KERNEL" ] || skip "no bzImage of the test kernel"

trap 'qemud_stop $?' EXIT
suite_start
qemud_vmdir
guest_xml efi "" "" | sed -e "s|<os>|<os firmware='efi'>|" -e "s|machine='pc'|machine='q35'|" >"$SEPVIRT_ROOT/efi.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/efi.xml" >/dev/null || die "define"
"$SEPVIRSH" dumpxml --inactive efi | grep -q "<os firmware='efi'>" || die "firmware='efi' not kept"
nvram=$SEPVIRT_ROOT/lib/qemu/nvram/efi_VARS.fd
# domxml-to-native, on the read-only socket: what start would run, one line, fds as numbers
native=$("$SEPVIRSH" -r domxml-to-native qemu-argv --domain efi) || die "domxml-to-native --domain"
[ "$(wc -l <<<"$native")" = 1 ] || die "domxml-to-native printed more than one line"
grep -q "^LC_ALL=C PATH=/usr/bin:/bin /usr/bin/qemu-system-x86_64 -name guest=efi,debug-threads=on -S -add-fd fd=3,set=1,opaque=pflash0 " <<<"$native" ||
	die "domxml-to-native: $native"
grep -q " -machine q35,usb=off,dump-guest-core=off,pflash0=libvirt-pflash0-format,pflash1=libvirt-pflash1-format " <<<"$native" ||
	die "domxml-to-native has no pflash machine: $native"
# the file has no <uuid>: each parse makes one
from_file=$("$SEPVIRSH" domxml-to-native qemu-argv "$SEPVIRT_ROOT/efi.xml") || die "domxml-to-native FILE"
[ "$(sed 's/-uuid [^ ]*//' <<<"$from_file")" = "$(sed 's/-uuid [^ ]*//' <<<"$native")" ] ||
	die "domxml-to-native FILE differs from --domain: $from_file"
expect_fail "format" "unsupported config type xen-xm" "$SEPVIRSH" domxml-to-native xen-xm "$SEPVIRT_ROOT/efi.xml"
# libvirt's own virsh through libvirt-sock gets the same line
if command -v virsh >/dev/null; then
	lv=$(virsh -c "qemu+unix:///system?socket=$SEPVIRT_ROOT/run/libvirt-sock" domxml-to-native qemu-argv --domain efi) ||
		die "virsh domxml-to-native through libvirt-sock"
	[ "$lv" = "$native" ] || die "virsh domxml-to-native: $lv"
fi
[ ! -e "$nvram" ] || die "domxml-to-native made an NVRAM"
[ ! -e "$nvram" ] || die "an NVRAM exists before the first start"

"$SEPVIRSH" start efi >/dev/null || { suite_logs; die "start"; }
# OVMF under TCG takes a while before it hands over to the kernel's EFI stub
wait_serial efi SEPVIRT-GUEST-UP 1 180
# OVMF's terminal driver set the serial console up (SeaBIOS sends no such sequence) before the kernel
grep -aq $'\e\\[=3h' "$VMDIR/efi.serial" || die "the serial console shows no UEFI console: $(head -c 300 "$VMDIR/efi.serial" | cat -v)"
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

# a qemud killed and brought back re-attaches to the UEFI guest with its resolved firmware
old=$(daemon_pid qemud)
kill -9 "$old"
wait_qemud_restarted "$old"
[ "$("$SEPVIRSH" domstate efi)" = running ] || die "efi not running after qemud's restart"
"$SEPVIRSH" dumpxml efi | grep -q "<nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>$nvram</nvram>" ||
	die "the re-attached live XML lost its NVRAM"
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

# Secure Boot on q35 (Debian's secboot build, its store without enrolled keys: a directly booted
# kernel is not checked) gets SMM and the SMM-only flash; on pc it is refused at define
sed -e "s|<os firmware='efi'>|<os firmware='efi'><firmware><feature enabled='yes' name='secure-boot'/></firmware>|" \
	-e "s|<name>efi</name>|<name>sb</name>|" -e "s|/efi.serial|/sb.serial|g" "$SEPVIRT_ROOT/efi.xml" >"$SEPVIRT_ROOT/sb.xml"
expect_fail "secure boot on pc" "firmware feature 'secure-boot' needs machine q35" \
	"$SEPVIRSH" define <(sed "s|machine='q35'|machine='pc'|" "$SEPVIRT_ROOT/sb.xml")
"$SEPVIRSH" define "$SEPVIRT_ROOT/sb.xml" >/dev/null || die "define sb"
"$SEPVIRSH" start sb >/dev/null || { suite_logs; die "start sb"; }
wait_serial sb SEPVIRT-GUEST-UP 1 180
"$SEPVIRSH" dumpxml sb | grep -q "<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.secboot.fd</loader>" ||
	die "sb: live XML has no secure loader: $("$SEPVIRSH" dumpxml sb | grep -A6 '<os')"
args=$(tr '\0' ' ' <"/proc/$(qemu_pid sb)/cmdline")
grep -q "q35,usb=off,smm=on," <<<"$args" && grep -q "driver=cfi.pflash01,property=secure,value=on" <<<"$args" ||
	die "sb: no SMM or secure flash: $args"
"$SEPVIRSH" destroy sb >/dev/null || die "destroy sb"
"$SEPVIRSH" undefine sb >/dev/null || die "undefine sb"
"$SEPVIRSH" undefine efi >/dev/null || die "undefine"
[ ! -e "$nvram" ] || die "undefine left the NVRAM copy"
log "ok: OVMF boots the guest (and with Secure Boot and SMM), per-domain NVRAM copy as an fd, kept across starts, removed by undefine"
