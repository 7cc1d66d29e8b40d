#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# mkguest.sh OUTDIR: build the tiny sepvirt test guest.
#   OUTDIR/vmlinuz           newest /boot/vmlinuz-* (copied 0644: Debian ships it 0600
#                            root, and QEMU runs as an unprivileged user)
#   OUTDIR/vmlinux           the same kernel uncompressed, when it has CONFIG_PVH=y:
#                            QEMU enters it directly (PVH), which halves boot time
#                            under TCG (~2.5 s instead of ~5 s); optional
#   OUTDIR/initramfs.cpio.gz busybox-static + ./init + virtio_net/virtio_blk/virtio_balloon/ACPI/i6300esb
#                            button modules (and their dependencies)
# Cached: nothing is rebuilt while the inputs are unchanged.
# Environment: SV_KERNEL=/path/vmlinuz-VERSION to pick a kernel, SV_BUSYBOX=/path.
# Exit: 0 ok, 77 cannot build here (no kernel, modules or static busybox), 1 error.
set -euo pipefail

die() { echo "mkguest: $*" >&2; exit 1; }
skip() { echo "mkguest: SKIP: $*" >&2; exit 77; }

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 1; }
out=$1
here=$(cd "$(dirname "$0")" && pwd)
init_src=$here/init

# Modules the guest wants, in the order they should come up; dependencies are
# added in front of each. virtio_pci is the bus driver for virtio-*-pci devices;
# button turns the ACPI power button into an input device that evdev exposes;
# i6300esb drives the watchdog a test arms and leaves unfed.
want_mods="virtio_pci virtio_net virtio_blk virtio_balloon button evdev i6300esb"

# Newest kernel by version order, unless one is forced.
kernel=${SV_KERNEL:-}
if [ -z "$kernel" ]; then
    kernel=$(find /boot -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null | sort -V | tail -n 1)
fi
{ [ -n "$kernel" ] && [ -e "$kernel" ]; } || skip "no /boot/vmlinuz-* (apt-get install linux-image-amd64)"
[ -r "$kernel" ] || skip "$kernel is not readable (needs root once; then it is cached)"
kver=${kernel##*/vmlinuz-}
moddir=/lib/modules/$kver
[ -d "$moddir" ] || skip "no $moddir for kernel $kver"

busybox=${SV_BUSYBOX:-}
if [ -z "$busybox" ]; then
    for b in /bin/busybox /usr/bin/busybox; do [ -x "$b" ] && { busybox=$b; break; }; done
fi
[ -n "$busybox" ] || skip "no busybox (apt-get install busybox-static)"
# A dynamically linked busybox would not run in an initramfs without libc.
lddout=$(LC_ALL=C ldd "$busybox" 2>&1 || true)
case "$lddout" in
    *"not a dynamic executable"*) ;;
    *) skip "$busybox is not statically linked (apt-get install busybox-static)" ;;
esac

# Cache key: every input's identity, plus this script and the init script.
stamp_of() {
    local f
    for f in "$kernel" "$busybox" "$moddir/modules.dep" "/boot/config-$kver"; do
        stat -Lc '%n %s %Y' "$f" 2>/dev/null || echo "$f missing"
    done
    cat "$init_src" "$0" | sha256sum   # contents, not the path used to call us
    echo "$want_mods"
}
key=$(stamp_of | sha256sum | cut -d' ' -f1)

mkdir -p "$out"
chmod 0755 "$out"
# Serialise concurrent builds (parallel test runs share OUTDIR).
exec 9>"$out/.lock"
flock 9
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$key" ] &&
   [ -f "$out/vmlinuz" ] && [ -f "$out/initramfs.cpio.gz" ]; then
    echo "mkguest: $out up to date (kernel $kver)" >&2
    exit 0
fi

# Unstamp first: an interrupted build is simply redone next time.
rm -f "$out/.stamp"
stage=$(mktemp -d "$out/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/root
mkdir -p "$root/bin" "$root/lib/modules" "$root/dev" "$root/proc" "$root/sys"

# Resolve dependencies depth-first; emit each module after its dependencies.
declare -A seen=()
order=()
add_mod() {
    local m=$1 d deps
    [ -z "${seen[$m]:-}" ] || return 0
    seen[$m]=1
    # Built-in modules need no file (and modinfo may not know them).
    if grep -Eq "/${m//_/[-_]}\.ko\$" "$moddir/modules.builtin" 2>/dev/null; then
        return 0
    fi
    deps=$(modinfo -k "$kver" -F depends "$m") || die "module $m not found for $kver"
    for d in ${deps//,/ }; do add_mod "$d"; done
    order+=("$m")
}
for m in $want_mods; do add_mod "$m"; done

# Copy modules, decompressing whatever the distribution compressed them with
# (.xz/.zst/.gz), so the guest needs neither insmod nor kernel decompression.
for m in "${order[@]}"; do
    f=$(modinfo -k "$kver" -F filename "$m")
    dst=$root/lib/modules/$m.ko
    case "$f" in
        *.ko)     cp "$f" "$dst" ;;
        *.ko.xz)  xz -dc "$f" >"$dst" ;;
        *.ko.zst) zstd -qdc "$f" >"$dst" ;;
        *.ko.gz)  gzip -dc "$f" >"$dst" ;;
        *) die "unknown module format: $f" ;;
    esac
    echo "$m" >>"$root/lib/modules/order"
done
touch "$root/lib/modules/order"

cp "$busybox" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
install -m 0755 "$init_src" "$root/init"

# newc cpio, owned by root inside the guest whoever builds it.
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
    cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$stage/initramfs.cpio.gz"
install -m 0644 "$kernel" "$stage/vmlinuz"
chmod 0644 "$stage/initramfs.cpio.gz"

# Fast path: under TCG, SeaBIOS + the bzImage decompressor take ~3 s of a ~5 s
# boot. A kernel built with CONFIG_PVH=y can instead be handed to QEMU as an
# uncompressed ELF and entered directly (PVH), so extract vmlinux when we can.
# Like scripts/extract-vmlinux: find the payload's magic, decompress from there,
# keep the first result that is an ELF. Optional: vmlinuz alone still boots.
extract_vmlinux() {
    local img=$1 dst=$2 spec magic cmd off
    for spec in '\xfd7zXZ\x00:xz -dc' '\x28\xb5\x2f\xfd:zstd -qdc' '\x1f\x8b\x08:gzip -dc'; do
        magic=${spec%%:*} cmd=${spec#*:}
        command -v "${cmd%% *}" >/dev/null 2>&1 || continue
        for off in $(LC_ALL=C grep -obUaP "$magic" "$img" | cut -d: -f1 | head -n 4); do
            tail -c +"$((off + 1))" "$img" | $cmd >"$dst" 2>/dev/null || true
            [ "$(head -c 4 "$dst" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] && return 0
        done
    done
    rm -f "$dst"
    return 1
}
# replaced in place (a test of another tree may be booting the old one), removed only when none
if grep -qx 'CONFIG_PVH=y' "/boot/config-$kver" 2>/dev/null &&
   extract_vmlinux "$kernel" "$stage/vmlinux"; then
    chmod 0644 "$stage/vmlinux"
    mv -f "$stage/vmlinux" "$out/vmlinux"
else
    rm -f "$out/vmlinux"
fi

# Replace each file atomically; stamp last.
mv -f "$stage/vmlinuz" "$out/vmlinuz"
mv -f "$stage/initramfs.cpio.gz" "$out/initramfs.cpio.gz"
printf '%s\n' "$key" >"$out/.stamp"
echo "mkguest: built $out (kernel $kver; modules: ${order[*]})" >&2
