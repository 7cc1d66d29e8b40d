#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# mkagent.sh OUTDIR: the test guest with Debian's QEMU guest agent, for the tests that need a
# real agent (opt-in: the others keep the small initramfs). OUTDIR holds mkguest.sh's guest;
# this adds OUTDIR/initramfs-agent.cpio.gz: its initramfs followed by a second cpio archive
# (the kernel unpacks both) with /usr/sbin/qemu-ga and the libraries it links, the
# virtio_console module, /sv-agent (init runs it: loads the module, finds the virtio port named
# org.qemu.guest_agent.0 and runs qemu-ga on it) and /sbin/shutdown (what qemu-ga's
# guest-shutdown runs; busybox has none: it says SEPVIRT-AGENT-SHUTDOWN and powers off).
# Exit: 0 ok, 77 no qemu-ga here (apt-get install qemu-guest-agent), 1 error.
set -euo pipefail
die() { echo "mkagent: $*" >&2; exit 1; }
skip() { echo "mkagent: SKIP: $*" >&2; exit 77; }
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 1; }
out=$1
qga=/usr/sbin/qemu-ga
[ -x "$qga" ] || skip "no $qga (apt-get install qemu-guest-agent)"
[ -f "$out/initramfs.cpio.gz" ] || die "no $out/initramfs.cpio.gz (mkguest.sh first)"
# the kernel mkguest.sh picked (the same rule)
kernel=${SV_KERNEL:-$(find /boot -maxdepth 1 -name 'vmlinuz-*' | sort -V | tail -n 1)}
kver=${kernel##*/vmlinuz-}
mod=$(modinfo -k "$kver" -F filename virtio_console) || die "no virtio_console module for $kver"

key=$( { stat -Lc '%n %s %Y' "$out/initramfs.cpio.gz" "$qga" "$mod"; sha256sum <"$0"; } | sha256sum | cut -d' ' -f1)
exec 9>"$out/.agent.lock"
flock 9
if [ -f "$out/.agent.stamp" ] && [ "$(cat "$out/.agent.stamp")" = "$key" ] && [ -f "$out/initramfs-agent.cpio.gz" ]; then
    exit 0
fi
rm -f "$out/.agent.stamp"
stage=$(mktemp -d "$out/.agent.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/root
mkdir -p "$root/usr/sbin" "$root/sbin" "$root/lib/modules"
cp "$qga" "$root/usr/sbin/qemu-ga"
# the libraries and the loader, at the paths the binary names
for lib in $(ldd "$qga" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done
case "$mod" in
    *.ko) cp "$mod" "$root/lib/modules/virtio_console.ko" ;;
    *.ko.xz) xz -dc "$mod" >"$root/lib/modules/virtio_console.ko" ;;
    *.ko.zst) zstd -qdc "$mod" >"$root/lib/modules/virtio_console.ko" ;;
    *) die "unknown module format: $mod" ;;
esac
cat >"$root/sv-agent" <<'AGENT'
#!/bin/busybox sh
insmod /lib/modules/virtio_console.ko 2>/dev/null
for i in $(seq 100); do
    for p in /sys/class/virtio-ports/*; do
        [ "$(cat "$p/name" 2>/dev/null)" = org.qemu.guest_agent.0 ] || continue
        echo "SEPVIRT-AGENT-UP ${p##*/}"
        exec /usr/sbin/qemu-ga -m virtio-serial -p "/dev/${p##*/}" -f /tmp/qemu-ga.pid -t /tmp -l /tmp/qemu-ga.log
    done
    sleep 0.1
done
echo "SEPVIRT-AGENT-FAIL no virtio port org.qemu.guest_agent.0"
AGENT
cat >"$root/sbin/shutdown" <<'SHUTDOWN'
#!/bin/busybox sh
echo "SEPVIRT-AGENT-SHUTDOWN $*" >/dev/console
sync
poweroff -f
SHUTDOWN
chmod 0755 "$root/sv-agent" "$root/sbin/shutdown"
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$stage/agent.cpio.gz"
cat "$out/initramfs.cpio.gz" "$stage/agent.cpio.gz" >"$stage/initramfs-agent.cpio.gz"
chmod 0644 "$stage/initramfs-agent.cpio.gz"
mv -f "$stage/initramfs-agent.cpio.gz" "$out/initramfs-agent.cpio.gz"
printf '%s\n' "$key" >"$out/.agent.stamp"
echo "mkagent: built $out/initramfs-agent.cpio.gz" >&2
