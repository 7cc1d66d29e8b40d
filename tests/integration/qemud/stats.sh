#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# domblkstat, domblkinfo, domifstat, dommemstat, cpu-stats and domstats on a real TCG guest with
# a volume disk (vda, which the guest reads at boot; a -blockdev), an image file (vdb; a -drive)
# and a managed tap: virsh's formats, counters
# that grow with what the guest does (disk reads, pings), the same on the read-only socket, and
# virsh's refusals for a domain that is not running and for a device it does not have.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

trap qemud_stop EXIT
suite_start
qemud_vmdir
qemud_dir_pool sp
"$SEPVIRSH" vol-create-as sp disk 1M >/dev/null || die "vol-create-as"
marker="stats-disk-$RANDOM$RANDOM"
printf '%s\n' "$marker" >"$SEPVIRT_ROOT/marker"
"$SEPVIRSH" vol-upload --pool sp disk "$SEPVIRT_ROOT/marker" >/dev/null || die "vol-upload"

mac=52:54:00:00:79:02
disk="<disk type='volume' device='disk'><driver name='qemu' type='raw'/><source pool='sp' volume='disk'/><target dev='vda' bus='virtio'/></disk>"
# and a plain image file (a -drive, not a -blockdev, for QEMU), 2 MiB
IMAGES=$SEPVIRT_ROOT/lib/images # the image directory under SEPVIRT_ROOT (SEPVIRT_IMAGE_DIRS)
mkdir -p "$IMAGES"
truncate -s 2M "$IMAGES/st.img"
disk="$disk <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$IMAGES/st.img'/><target dev='vdb' bus='virtio'/></disk>"
guest_xml st 10.79.0.2 "$(ethernet_xml $mac) $disk" | sed 's|sv.ip=|sv.disk=/dev/vda sv.ip=|' >"$SEPVIRT_ROOT/st.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/st.xml" >/dev/null || die "define st"

# field OUTPUT NAME: the value after "NAME " or "NAME=" on its line.
field() { echo "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } } $1 ~ "^" k "=" { sub("^[^=]*=", "", $1); print $1; exit }'; }

# Shut off: every statistics call is refused as libvirt refuses it; domstats gives the state.
notrun="Requested operation is not valid: domain is not running"
expect_fail "domblkstat st vda" "$notrun" "$SEPVIRSH" domblkstat st vda
expect_fail "domblkinfo st vda" "$notrun" "$SEPVIRSH" domblkinfo st vda
expect_fail "domifstat st vnet0" "$notrun" "$SEPVIRSH" domifstat st vnet0
expect_fail "dommemstat st" "$notrun" "$SEPVIRSH" dommemstat st
expect_fail "cpu-stats st" "$notrun" "$SEPVIRSH" cpu-stats st
out=$("$SEPVIRSH" domstats st) || die "domstats of a shut-off domain: $out"
[ "$(echo "$out" | sed 's/reason=[0-9]*$/reason=R/')" = "$(printf "Domain: 'st'\n  state.state=5\n  state.reason=R")" ] ||
    die "domstats of a shut-off domain: $out"

"$SEPVIRSH" start st >/dev/null || { suite_logs; die "start"; }
wait_serial st "SEPVIRT-DISK: $marker"
wait_serial st 'SEPVIRT-NET-UP eth0 10.79.0.2'
tap=$("$SEPVIRSH" domiflist st | awk -v m=$mac '$5 == m { print $1 }')
[ -n "$tap" ] || die "no tap in domiflist"
ip addr add 10.79.0.1/24 dev "$tap"

# domblkstat: virsh's fields in virsh's order; the guest read its disk.
out=$("$SEPVIRSH" domblkstat st vda) || die "domblkstat: $out"
names=$(echo "$out" | awk 'NF { print $1 "," $2 }' | tr '\n' ' ')
[ "$names" = "vda,rd_req vda,rd_bytes vda,wr_req vda,wr_bytes vda,flush_operations vda,rd_total_times vda,wr_total_times vda,flush_total_times " ] ||
    die "domblkstat fields: $out"
[ "$(field "$out" rd_bytes)" -ge 4096 ] || die "domblkstat: rd_bytes below the 4 KiB the guest read: $out"
[ "$(field "$out" rd_req)" -ge 1 ] || die "domblkstat: no read request: $out"
[ "$("$SEPVIRSH" domblkstat st vda | tail -n1)" = "" ] || die "domblkstat: no closing blank line"
# no device: the sums, under an empty name; --human: virsh's words
all=$("$SEPVIRSH" domblkstat st) || die "domblkstat without device"
[ "$(echo "$all" | awk '$1 == "rd_bytes" { print $2 }')" -ge 4096 ] || die "domblkstat (all): $all"
"$SEPVIRSH" domblkstat st vda --human | grep -Eq '^ number of bytes read: +[0-9]+$' || die "domblkstat --human"
# the file disk, named by its path; the sums cover both disks
out=$("$SEPVIRSH" domblkstat st "$IMAGES/st.img") || die "domblkstat by path: $out"
echo "$out" | grep -Eq "^$IMAGES/st.img rd_req [0-9]+$" || die "domblkstat by path: $out"
# (counters only grow: the sum read last is at least the two read before it)
vda=$("$SEPVIRSH" domblkstat st vda | awk '$2 == "rd_bytes" { print $3 }')
vdb=$("$SEPVIRSH" domblkstat st vdb | awk '$2 == "rd_bytes" { print $3 }')
all=$("$SEPVIRSH" domblkstat st) || die "domblkstat without device"
[ "$(echo "$all" | awk '$1 == "rd_bytes" { print $2 }')" -ge $((vda + vdb)) ] && [ "$vdb" -gt 0 ] ||
    die "domblkstat (all) is not the sum of vda ($vda) and vdb ($vdb): $all"
expect_fail "domblkstat st vdz" "invalid path: vdz" "$SEPVIRSH" domblkstat st vdz
expect_fail "domblkstat st vdz" "Failed to get block stats for domain 'st' device 'vdz'" "$SEPVIRSH" domblkstat st vdz

# domblkinfo: a 1 MiB raw volume.
out=$("$SEPVIRSH" domblkinfo st vda) || die "domblkinfo: $out"
echo "$out" | grep -qx "Capacity:       1048576" || die "domblkinfo capacity: $out"
echo "$out" | grep -qx "Physical:       1048576" || die "domblkinfo physical: $out"
echo "$out" | grep -Eqx "Allocation:     [0-9]+" || die "domblkinfo allocation: $out"
"$SEPVIRSH" domblkinfo st vda --human | grep -qx "Capacity:       1.000 MiB" || die "domblkinfo --human"
out=$("$SEPVIRSH" domblkinfo st --all) || die "domblkinfo --all"
echo "$out" | grep -Eq '^ vda +1048576 +[0-9]+ +1048576 *$' || die "domblkinfo --all: $out"
echo "$out" | grep -Eq '^ vdb +2097152 +[0-9]+ +2097152 *$' || die "domblkinfo --all: $out"
"$SEPVIRSH" domblkinfo st vdb | grep -qx "Capacity:       2097152" || die "domblkinfo of the file disk"
expect_fail "domblkinfo st vdq" "invalid path: vdq" "$SEPVIRSH" domblkinfo st vdq

# domifstat: the tap's counters grow with pings (host's view: tx to the guest, rx from it).
before=$("$SEPVIRSH" domifstat st "$tap") || die "domifstat: $before"
names=$(echo "$before" | awk 'NF { print $2 }' | tr '\n' ' ')
[ "$names" = "rx_bytes rx_packets rx_errs rx_drop tx_bytes tx_packets tx_errs tx_drop " ] || die "domifstat fields: $before"
ping_guest 10.79.0.2
ping -c 5 -i 0.2 -W 2 10.79.0.2 >/dev/null || die "ping"
after=$("$SEPVIRSH" domifstat st "$mac") || die "domifstat by MAC"
for k in rx_packets tx_packets rx_bytes tx_bytes; do
    [ "$(field "$after" "$k")" -ge $(( $(field "$before" "$k") + 5 )) ] ||
        die "domifstat $k did not grow by the 5 pings: before $(field "$before" "$k"), after: $after"
done
expect_fail "domifstat st nosuch0" "'nosuch0' is not a known interface" "$SEPVIRSH" domifstat st nosuch0

# dommemstat: actual (QEMU's query-balloon: the whole memory, nothing ballooned) and rss.
out=$("$SEPVIRSH" dommemstat st) || die "dommemstat: $out"
[ "$(field "$out" actual)" = 262144 ] || die "dommemstat actual: $out"
[ "$(field "$out" rss)" -gt 10000 ] || die "dommemstat rss: $out"

# cpu-stats: QEMU has used CPU time booting under TCG.
out=$("$SEPVIRSH" cpu-stats st --total) || die "cpu-stats: $out"
echo "$out" | head -n1 | grep -qx "Total:" || die "cpu-stats: $out"
echo "$out" | grep -Eq $'^\tcpu_time +[0-9]+\\.[0-9]{9} seconds$' || die "cpu-stats format: $out"
[ "$(echo "$out" | awk '$1 == "cpu_time" { split($2, a, "."); print a[1] a[2] }' | sed 's/^0*//')" -gt 0 ] ||
    die "cpu-stats: no CPU time: $out"

# domstats: every group, plausible values; one group alone.
out=$("$SEPVIRSH" domstats st) || die "domstats: $out"
echo "$out" | head -n1 | grep -qx "Domain: 'st'" || die "domstats header: $out"
for kv in state.state=1 balloon.current=262144 balloon.maximum=262144 vcpu.current=1 vcpu.maximum=1 \
    vcpu.0.state=1 net.count=1 "net.0.name=$tap" block.count=2 block.0.name=vda block.0.capacity=1048576 \
    block.1.name=vdb "block.1.path=$IMAGES/st.img" block.1.capacity=2097152; do
    echo "$out" | grep -qx "  $kv" || die "domstats: no '$kv' in: $out"
done
for k in cpu.time cpu.user vcpu.0.time net.0.rx.pkts net.0.tx.bytes block.0.rd.bytes block.0.rd.reqs; do
    v=$(field "$out" "$k")
    [ -n "$v" ] && [ "$v" -gt 0 ] || die "domstats: $k is '$v' in: $out"
done
out=$("$SEPVIRSH" domstats --state --block st) || die "domstats --state --block"
echo "$out" | grep -q "cpu\.\|net\.\|balloon\." && die "domstats --state --block printed other groups: $out"
echo "$out" | grep -qx "  block.0.name=vda" || die "domstats --block: $out"
# every domain when none is named
"$SEPVIRSH" domstats --state | grep -qx "Domain: 'st'" || die "domstats with no domain"

# The read-only socket allows them, as libvirt does.
"$SEPVIRSH" -r domblkstat st vda | grep -q "^vda rd_bytes" || die "domblkstat -r"
"$SEPVIRSH" -r domstats --cpu-total st | grep -q "^  cpu.time=" || die "domstats -r"

"$SEPVIRSH" destroy st >/dev/null || die "destroy"
expect_fail "domifstat st $tap" "$notrun" "$SEPVIRSH" domifstat st "$tap"
expect_fail "domblkstat st" "$notrun" "$SEPVIRSH" domblkstat st
log "ok: statistics of a running guest in virsh's formats, refusals for a stopped one and unknown devices"
