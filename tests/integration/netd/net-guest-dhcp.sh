#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# libvirt's own `default` NAT network with a TCG guest: the guest leases an address of the range
# from the network's dnsmasq (busybox udhcpc, run by a wrapper the test adds to the guest's
# initramfs), the host pings it, net-dhcp-leases and domifaddr show that address, and the guest
# reaches a host in another namespace that has no route back to the guests' subnet: only through
# the NAT. netd SIGKILLed while all that runs: the guest still answers, the network is re-adopted
# and domifaddr still works. Then guest and network go and leave no bridge, rules or dnsmasq.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/../qemud/lib.sh"
qemud_prepare "$@"
need_cmd nft cpio gzip
[ -x /usr/sbin/dnsmasq ] || skip "no dnsmasq (Debian package dnsmasq-base)"
id dnsmasq >/dev/null 2>&1 || skip "no user dnsmasq (Debian package dnsmasq-base creates it)"
EXT=svext$$
cleanup() {
    local rc=$?
    ip netns delete "$EXT" 2>/dev/null || true
    qemud_stop "$rc"
}
trap cleanup EXIT
suite_start
qemud_vmdir

# The guest's extra: /init-dhcp (rdinit=) starts a DHCP client in the background and hands over to
# the test guest's own /init; an appended cpio adds it (the kernel unpacks concatenated archives).
extra=$SEPVIRT_ROOT/extra
mkdir -p "$extra"
cat >"$extra/init-dhcp" <<'SH'
#!/bin/busybox sh
bb=/bin/busybox
# /dev now: a background job's stdin is /dev/null (/init mounts devtmpfs again over it)
$bb mkdir -p /dev
$bb mount -t devtmpfs devtmpfs /dev
(
    i=0
    while [ ! -e /sys/class/net/eth0 ] && [ "$i" -lt 600 ]; do $bb sleep 0.1; i=$((i + 1)); done
    $bb ip link set eth0 up
    if $bb udhcpc -i eth0 -n -q -t 30 -T 1 -s /udhcpc-script >/dev/null 2>&1; then
        target=$($bb sed -n 's/.*sv.natping=\([^ ]*\).*/\1/p' /proc/cmdline)
        if [ -n "$target" ] && $bb ping -c 3 -W 2 "$target" >/dev/null 2>&1; then
            echo "SEPVIRT-NATPING-OK $target" >/dev/console
        else
            echo "SEPVIRT-NATPING-FAIL $target" >/dev/console
        fi
    else
        echo "SEPVIRT-DHCP-FAIL" >/dev/console
    fi
) &
exec /init
SH
cat >"$extra/udhcpc-script" <<'SH'
#!/bin/busybox sh
bb=/bin/busybox
case $1 in
bound | renew)
    $bb ip addr add "$ip/$mask" dev "$interface"
    for r in $router; do $bb ip route add default via "$r" dev "$interface"; break; done
    echo "SEPVIRT-DHCP $ip" >/dev/console
    ;;
esac
SH
chmod 755 "$extra/init-dhcp" "$extra/udhcpc-script"
(cd "$extra" && printf '%s\n' init-dhcp udhcpc-script | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$SEPVIRT_ROOT/extra.cpio.gz"
cat "$GUEST_INITRD" "$SEPVIRT_ROOT/extra.cpio.gz" >"$SEPVIRT_ROOT/initrd-dhcp.gz"
chmod 644 "$SEPVIRT_ROOT/initrd-dhcp.gz"
GUEST_INITRD=$SEPVIRT_ROOT/initrd-dhcp.gz

# A host outside: another namespace on a veth, with no route to 192.168.122.0/24.
ip netns add "$EXT"
ip link add ext0 type veth peer name ext1 netns "$EXT"
ip addr add 203.0.113.1/24 dev ext0
ip link set ext0 up
ip -n "$EXT" addr add 203.0.113.2/24 dev ext1
ip -n "$EXT" link set ext1 up
ip -n "$EXT" link set lo up

# libvirt's default network, as libvirt ships it (networks/default.xml)
cat >"$SEPVIRT_ROOT/default.xml" <<'XML'
<network>
  <name>default</name>
  <bridge name='virbr0'/>
  <forward/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
    </dhcp>
  </ip>
</network>
XML
"$SEPVIRSH" net-define "$SEPVIRT_ROOT/default.xml" >/dev/null || die "net-define"
"$SEPVIRSH" net-start default >/dev/null || { suite_logs; die "net-start"; }

mac=52:54:00:00:7a:02
guest_xml g1 "" "<interface type='network'><mac address='$mac'/><source network='default'/><model type='virtio'/></interface>" |
    sed 's|<cmdline>console=ttyS0 quiet</cmdline>|<cmdline>console=ttyS0 quiet rdinit=/init-dhcp sv.natping=203.0.113.2</cmdline>|' \
    >"$SEPVIRT_ROOT/g1.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/g1.xml" >/dev/null || die "define"
t0=$(now_ms)
"$SEPVIRSH" start g1 >/dev/null || { suite_logs; die "start g1"; }
wait_serial g1 'SEPVIRT-DHCP 192\.168\.122\.' 1 90
addr=$(sed -n 's/.*SEPVIRT-DHCP \(192\.168\.122\.[0-9]*\).*/\1/p' "$VMDIR/g1.serial" | head -n1)
log "guest leased $addr in $(( $(now_ms) - t0 )) ms from start"
n=${addr##*.}
[ "$n" -ge 2 ] && [ "$n" -le 254 ] || die "address $addr outside the range"
ping_guest "$addr"

# net-dhcp-leases and domifaddr show it
"$SEPVIRSH" net-dhcp-leases default | grep -Eq " $mac +ipv4 +$addr/24 " || die "net-dhcp-leases: $("$SEPVIRSH" net-dhcp-leases default)"
tap=$("$SEPVIRSH" domiflist g1 | awk -v m="$mac" '$5 == m { print $1 }')
out=$("$SEPVIRSH" domifaddr g1)
expected=$(printf ' %-10s %-17s    %-12s %s\n' Name "MAC address" Protocol Address; echo "-------------------------------------------------------------------------------"; printf ' %-10s %-17s    %-12s %s\n' "$tap" "$mac" ipv4 "$addr/24")
[ "$out" = "$expected" ] || die "domifaddr: '$out', expected '$expected'"
expect_fail "domifaddr --source agent without an agent channel" "QEMU guest agent is not configured" "$SEPVIRSH" domifaddr g1 --source agent

# only through the NAT: the outside host has no route to the guest's subnet, and sees the host's address
wait_serial g1 'SEPVIRT-NATPING-' 1 60
grep -q "SEPVIRT-NATPING-OK 203.0.113.2" "$VMDIR/g1.serial" || die "the guest did not reach 203.0.113.2: $(grep NATPING "$VMDIR/g1.serial")"
ip -n "$EXT" route get 192.168.122.2 >/dev/null 2>&1 && die "the outside namespace has a route to the guests"
nft list table inet sepvirt | grep -q masquerade || die "no masquerade rule"

# netd dies while the guest runs: the guest still answers; all re-adopted
dpid=$(cat "$SEPVIRT_ROOT/lib/netd/dnsmasq-default.pid")
kill -9 "$(daemon_pid netd)"
ping_guest "$addr"
for i in $(seq 50); do "$SEPVIRSH" net-list >/dev/null 2>&1 && break; sleep 0.2; done
"$SEPVIRSH" net-list | grep -Eq '^ default +active ' || die "default not active after a netd restart"
[ "$(cat "$SEPVIRT_ROOT/lib/netd/dnsmasq-default.pid")" = "$dpid" ] && kill -0 "$dpid" || die "dnsmasq replaced"
ip -d link show "$tap" | grep -q "master virbr0" || die "$tap left the bridge"
"$SEPVIRSH" domifaddr g1 | grep -q " $addr/24" || die "domifaddr after a netd restart"
ping_guest "$addr"

# everything goes
"$SEPVIRSH" destroy g1 >/dev/null
"$SEPVIRSH" net-destroy default >/dev/null
ip link show virbr0 >/dev/null 2>&1 && die "virbr0 left"
nft list table inet sepvirt >/dev/null 2>&1 && die "table inet sepvirt left"
kill -0 "$dpid" 2>/dev/null && die "dnsmasq $dpid left"
log "ok: guest $addr by DHCP on default, NAT to 203.0.113.2, survived a netd SIGKILL"
