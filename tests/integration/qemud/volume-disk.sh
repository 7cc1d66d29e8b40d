#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A disk that names a volume: storaged opens it (read-only for a readonly disk) and qemud hands
# QEMU the fd as an fd set; QEMU opens /dev/fdset/N, never a path in the pool. QEMU runs as a
# uid of its own (in the kvm group only) and the volumes are storaged's, mode 0600, so QEMU
# could not open the volume by path even if it tried. The guest prints the marker that
# vol-upload wrote into the volume. Unknown volumes and an unreachable storaged
# give clear errors.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd setpriv
getent group kvm >/dev/null || skip "no kvm group (QEMU's supplementary group)"
user=$SUITE_STORAGE_USER
kvm_gid=$(getent group kvm | cut -d: -f3)

trap qemud_stop EXIT
suite_start
qemud_vmdir
POOLS=$SEPVIRT_ROOT/pools
mkdir -p "$POOLS"
chown "$user" "$POOLS"
P=$POOLS/vp
printf "<pool type='dir'><name>vp</name><target><path>%s</path></target></pool>\n" "$P" >"$SEPVIRT_ROOT/vp.pool.xml"
"$SEPVIRSH" pool-define "$SEPVIRT_ROOT/vp.pool.xml" >/dev/null || die "pool-define"
"$SEPVIRSH" pool-build vp >/dev/null || die "pool-build"
"$SEPVIRSH" pool-start vp >/dev/null || die "pool-start"

marker="hello-volume-$RANDOM$RANDOM"
printf '%s\n' "$marker" >"$SEPVIRT_ROOT/marker"
printf 'read-only-%s\n' "$RANDOM" >"$SEPVIRT_ROOT/ro-marker"
for v in disk ro; do
    "$SEPVIRSH" vol-create-as vp "$v" 1M >/dev/null || die "vol-create-as $v"
done
"$SEPVIRSH" vol-upload --pool vp disk "$SEPVIRT_ROOT/marker" >/dev/null || die "vol-upload disk"
"$SEPVIRSH" vol-upload --pool vp ro "$SEPVIRT_ROOT/ro-marker" >/dev/null || die "vol-upload ro"
"$SEPVIRSH" vol-create-as vp top 1M --format qcow2 --backing-vol disk --backing-vol-format raw >/dev/null ||
    die "vol-create-as top (qcow2 over disk)"


# guest NAME DISKS: a TCG guest printing the first line of /dev/vda.
guest() {
    cat >"$SEPVIRT_ROOT/$1.xml" <<XML
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$GUEST_KERNEL</kernel>
    <initrd>$GUEST_INITRD</initrd>
    <cmdline>console=ttyS0 quiet sv.disk=/dev/vda</cmdline>
  </os>
  <devices>
    <serial type='file'><source path='$VMDIR/$1.serial'/><target port='0'/></serial>
    $2
  </devices>
</domain>
XML
    "$SEPVIRSH" define "$SEPVIRT_ROOT/$1.xml" >/dev/null || die "define $1"
}
voldisk() { # POOL VOLUME DEV [EXTRA]
    echo "<disk type='volume' device='disk'><driver name='qemu' type='raw'/><source pool='$1' volume='$2'/><target dev='$3' bus='virtio'/>${4:-}</disk>"
}

guest vd "$(voldisk vp disk vda) $(voldisk vp ro vdb '<readonly/>')"
"$SEPVIRSH" start vd >/dev/null || { suite_logs; die "start vd"; }
domstate_is vd "running (booted)"
wait_serial vd "SEPVIRT-DISK: $marker"
pid=$(qemu_pid vd)
[ -n "$pid" ] || die "no QEMU process for vd"

# QEMU runs as a uid of its own from the VM range, which owns nothing in the pool...
quid=$(proc_status "$pid" Uid)
[ "$quid" -ge 200000 ] && [ "$quid" != "$(id -u "$user")" ] || die "QEMU runs as uid $quid"
grep -Eq "^Groups:.*\b$kvm_gid\b" "/proc/$pid/status" || die "QEMU is not in the kvm group: $(grep Groups "/proc/$pid/status")"
# (the very credentials of this QEMU cannot open the volume by path)
qgid=$(proc_status "$pid" Gid)
qgroups=$(awk '$1 == "Groups:" { $1 = ""; gsub(/^ +| +$/, ""); gsub(/ +/, ","); print }' "/proc/$pid/status")
if setpriv --reuid="$(proc_status "$pid" Uid)" --regid="$qgid" --groups="$qgroups" --inh-caps=-all \
    cat "$P/disk" >/dev/null 2>&1; then
    die "QEMU's uid/gid/groups could open $P/disk by path"
fi
# ...was given no path in the pool, only fd sets...
cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline")
case $cmd in *"$P"*) die "QEMU's command line names the pool: $cmd" ;; esac
case $cmd in *"filename=/dev/fdset/"*) ;; *) die "QEMU's command line has no /dev/fdset: $cmd" ;; esac
# ...and holds the volumes open: read-write for vda, read-only for the readonly vdb.
rw=0 ro=0
for fd in /proc/"$pid"/fd/*; do
    target=$(readlink "$fd" || true)
    flags=$(awk '$1 == "flags:" { print $2 }' "/proc/$pid/fdinfo/${fd##*/}" 2>/dev/null || true)
    [ -n "$flags" ] || continue
    mode=$(( 8#$flags & 3 ))
    case $target in
    "$P/disk") [ "$mode" -eq 2 ] && rw=$((rw + 1)) ;;
    "$P/ro") [ "$mode" -eq 0 ] || die "QEMU holds $P/ro with flags $flags (not read-only)"; ro=$((ro + 1)) ;;
    esac
done
[ "$rw" -ge 1 ] || die "QEMU holds no read-write fd of $P/disk: $(ls -l /proc/"$pid"/fd)"
[ "$ro" -ge 1 ] || die "QEMU holds no fd of $P/ro"
"$SEPVIRSH" destroy vd >/dev/null || die "destroy vd"
domstate_is vd "shut off (destroyed)"

# The readonly volume as the guest's vda: the guest reads it too.
guest vro "$(voldisk vp ro vda '<readonly/>')"
"$SEPVIRSH" start vro >/dev/null || { suite_logs; die "start vro"; }
wait_serial vro "SEPVIRT-DISK: $(cat "$SEPVIRT_ROOT/ro-marker")"
"$SEPVIRSH" destroy vro >/dev/null || die "destroy vro"

# A qcow2 overlay: QEMU gets the chain as two fd sets (the backing one read-only) and reads
# the marker through the overlay.
guest vq "<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/><source pool='vp' volume='top'/><target dev='vda' bus='virtio'/></disk>"
"$SEPVIRSH" start vq >/dev/null || { suite_logs; die "start vq"; }
wait_serial vq "SEPVIRT-DISK: $marker"
pid=$(qemu_pid vq) n=0
for fd in /proc/"$pid"/fd/*; do
    [ "$(readlink "$fd" || true)" = "$P/disk" ] || continue
    flags=$(awk '$1 == "flags:" { print $2 }' "/proc/$pid/fdinfo/${fd##*/}")
    [ $(( 8#$flags & 3 )) -eq 0 ] || die "the backing volume is open with flags $flags (not read-only)"
    n=$((n + 1))
done
[ "$n" -ge 1 ] || die "QEMU holds no fd of the backing volume $P/disk"
"$SEPVIRSH" destroy vq >/dev/null || die "destroy vq"

# Errors: storaged's own message for an unknown volume or pool; storaged unreachable.
guest nov "$(voldisk vp nope vda)"
expect_fail "start with an unknown volume" "Storage volume not found: no storage vol with matching name 'nope'" "$SEPVIRSH" start nov
domstate_is nov "shut off (failed)"
guest nop "$(voldisk nopool disk vda)"
expect_fail "start with an unknown pool" "Storage pool not found: no storage pool with matching name 'nopool'" "$SEPVIRSH" start nop
mv "$SEPVIRT_ROOT/run/storaged.sock" "$SEPVIRT_ROOT/run/storaged.sock.away"
expect_fail "start with storaged unreachable" "cannot reach sepvirt-storaged for disk 'vda'" "$SEPVIRSH" start vd
mv "$SEPVIRT_ROOT/run/storaged.sock.away" "$SEPVIRT_ROOT/run/storaged.sock"
domstate_is vd "shut off (failed)"
for d in vd vro vq nov nop; do
    "$SEPVIRSH" undefine "$d" >/dev/null || die "undefine $d"
done
log "ok: a volume disk boots from storaged's fd; QEMU has no access to the pool directory"
