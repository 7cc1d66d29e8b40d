#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# <interface type='network'> for containers: the veth netd creates goes on the network's bridge
# with the network's MTU; the container leases an address from the network's dnsmasq (busybox
# udhcpc) and the host pings it; starting it on an inactive network fails naming the network.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/../lxcd/lib.sh"
in_netns "$@"
need_cmd ip ping
[ -x /usr/sbin/dnsmasq ] || skip "no dnsmasq (Debian package dnsmasq-base)"
id dnsmasq >/dev/null 2>&1 || skip "no user dnsmasq (Debian package dnsmasq-base creates it)"
trap suite_stop EXIT
lxc_suite_start

cat >"$SEPVIRT_ROOT/cnet.xml" <<'XML'
<network>
  <name>cnet</name>
  <forward mode='nat'/>
  <mtu size='1400'/>
  <ip address='10.84.0.1' netmask='255.255.255.0'>
    <dhcp><range start='10.84.0.100' end='10.84.0.110'/></dhcp>
  </ip>
</network>
XML
"$SEPVIRSH" net-define "$SEPVIRT_ROOT/cnet.xml" >/dev/null || die "net-define"
iface="<interface type='network'><mac address='52:54:00:84:00:05'/><source network='cnet'/><target dev='vethcn0'/></interface>"
lxc_define c1 "$ROOTFS" \
	'ip link set eth0 up; echo "mtu=$(cat /sys/class/net/eth0/mtu)"; busybox udhcpc -i eth0 -n -q -t 15 -T 1 -s /bin/true 2>&1 | grep "lease of"; ip addr add 10.84.0.5/24 dev eth0; echo NET-UP; while :; do sleep 1; done' \
	"$iface"

# 1. the network is not running: refused, naming it
out=$($V start c1 2>&1) && die "c1 started on an inactive network"
case $out in *"network 'cnet' is not active"*) log "ok: refused: $out" ;; *) die "start on an inactive network: $out" ;; esac

# 2. on the running network: bridge, MTU, DHCP, ping
"$SEPVIRSH" net-start cnet >/dev/null || die "net-start"
$V start c1 >/dev/null || { suite_logs; die "start c1"; }
wait_console c1 NET-UP 40 || { suite_logs; die "the container's network was not configured"; }
ip -d link show vethcn0 | grep -q " mtu 1400 .*master virbr0" || die "vethcn0: $(ip -d link show vethcn0)"
grep -q "^mtu=1400$" "$SEPVIRT_ROOT/run/lxc/c1.log" || die "the container's eth0 MTU: $(grep mtu= "$SEPVIRT_ROOT/run/lxc/c1.log")"
grep -Eq "lease of 10\.84\.0\.1(0[0-9]|10) obtained" "$SEPVIRT_ROOT/run/lxc/c1.log" ||
    die "no DHCP lease in the container: $(cat "$SEPVIRT_ROOT/run/lxc/c1.log")"
"$SEPVIRSH" net-dhcp-leases cnet | grep -q "52:54:00:84:00:05" || die "net-dhcp-leases: $("$SEPVIRSH" net-dhcp-leases cnet)"
ping -c 3 -W 2 10.84.0.5 >/dev/null || die "the container does not answer ping"

# 3. destroy: the veth goes, the network stays
$V destroy c1 >/dev/null
for _ in $(seq 1 100); do ip link show vethcn0 >/dev/null 2>&1 || break; sleep 0.05; done
ip link show vethcn0 >/dev/null 2>&1 && die "vethcn0 left after destroy"
ip link show virbr0 >/dev/null || die "virbr0 gone with the container"
"$SEPVIRSH" net-destroy cnet >/dev/null
log ok
