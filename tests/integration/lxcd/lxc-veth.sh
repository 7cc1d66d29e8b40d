#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Container networking: <interface type='ethernet'> becomes a veth netd creates (lxcd holds no
# CAP_NET_ADMIN): the host end is named by <target dev> and up, the peer is the container's eth0
# (eth1, ... for further interfaces) with the definition's MAC. The host pings the container; destroy deletes the host end.
# A client through proxyd cannot ask netd for a veth.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
in_netns "$@"
need_cmd ip ping
trap suite_stop EXIT
lxc_suite_start

# 1. a client cannot call NET_CREATE_VETH (203) through proxyd
out=$("$SV_PROBE" call "$SEPVIRT_ROOT/run/proxyd.sock" 4 203 2>&1 || true)
echo "$out" | grep -q "may only be called by the driver daemons" || die "NET_CREATE_VETH through proxyd: $out"

# 2. ping the container's eth0
iface="<interface type='ethernet'><mac address='52:54:00:aa:00:01'/><target dev='vethbox0'/></interface>"
lxc_define net1 "$ROOTFS" \
	'ip link set eth0 up && ip addr add 10.88.0.2/24 dev eth0 && echo "eth0=$(cat /sys/class/net/eth0/address)" && echo NET-UP; while :; do sleep 1; done' \
	"$iface"
$V start net1 >/dev/null || { suite_logs; die "start failed"; }
wait_console net1 NET-UP || { suite_logs; die "eth0 was not configured inside the container"; }
grep -q "^eth0=52:54:00:aa:00:01$" "$SEPVIRT_ROOT/run/lxc/net1.log" || die "eth0 does not have the definition's MAC"
ip -o link show vethbox0 | grep -q "[<,]UP[,>]" || die "host end vethbox0 is not up: $(ip -o link show vethbox0)"
pid=$(lxc_init_pid net1)
[ -z "$(ip -o link show 2>/dev/null | grep -w eth0 || true)" ] || die "eth0 is in the host's namespace"
$V dumpxml net1 | grep -q "<target dev='vethbox0'" || die "live XML lost the target dev"
ip addr add 10.88.0.1/24 dev vethbox0
ping -c 3 -W 2 10.88.0.2 >/dev/null || { suite_logs; die "the container does not answer ping"; }
[ -n "$pid" ] || die "no init pid"

# netd records the veth: a netd killed and restarted by sepvirtd still lists it as net1's
NC="$abs_top_builddir/tests/integration/netd/netd-client"
before=$("$NC" list)
echo "$before" | grep -Eq " 0 vethbox0 managed veth net1$" || die "netd does not list the veth: $before"
old=$("$NC" ping | awk '{print $2}')
kill -KILL "$old"
for _ in $(seq 1 100); do
	new=$("$NC" ping 2>/dev/null | awk '{print $2}' || true)
	[ -n "$new" ] && [ "$new" != "$old" ] && break
	sleep 0.1
done
[ -n "$new" ] && [ "$new" != "$old" ] || die "netd was not restarted"
[ "$("$NC" list)" = "$before" ] || die "list after a netd restart: '$("$NC" list)' vs '$before'"
ping -c 1 -W 2 10.88.0.2 >/dev/null || die "no ping after the netd restart"

# 3. destroy: the host end is gone
$V destroy net1 >/dev/null || die "destroy failed"
for _ in $(seq 1 100); do
	ip link show vethbox0 >/dev/null 2>&1 || break
	sleep 0.05
done
! ip link show vethbox0 >/dev/null 2>&1 || die "vethbox0 still exists after destroy"
grep -q "released managed veth 'vethbox0'" "$SEPVIRT_ROOT"/log/*netd*.log || die "lxcd did not release the veth"

# 4. start again: the name is free again
$V start net1 >/dev/null || { suite_logs; die "second start failed"; }
wait_console net1 NET-UP || die "eth0 not configured on the second start"
ip link show vethbox0 >/dev/null 2>&1 || die "no vethbox0 on the second start"
$V destroy net1 >/dev/null || die "second destroy failed"

# 5. three interfaces: the first (type='bridge', no target dev: vethN on the bridge) is eth0, the
# second (ethernet, target dev vethbox3) is eth1, the third is named by <guest dev='lan9'/>, each
# with its MAC; the host pings the first two
ip link add br-lxc type bridge
ip link set br-lxc up
ip addr add 10.89.0.1/24 dev br-lxc
lxc_define net3 "$ROOTFS" \
	'ip link set eth0 up && ip addr add 10.89.0.2/24 dev eth0 && ip link set eth1 up && ip addr add 10.90.0.2/24 dev eth1 && echo "macs=$(cat /sys/class/net/eth0/address),$(cat /sys/class/net/eth1/address),$(cat /sys/class/net/lan9/address)" && echo NET-UP; while :; do sleep 1; done' \
	"<interface type='bridge'><mac address='52:54:00:aa:00:03'/><source bridge='br-lxc'/></interface><interface type='ethernet'><mac address='52:54:00:aa:00:04'/><target dev='vethbox3'/></interface><interface type='ethernet'><mac address='52:54:00:aa:00:05'/><target dev='vethbox4'/><guest dev='lan9'/></interface>"
$V start net3 >/dev/null || { suite_logs; die "start of net3 failed"; }
wait_console net3 NET-UP || { suite_logs; die "net3: eth0 and eth1 not configured"; }
grep -q "^macs=52:54:00:aa:00:03,52:54:00:aa:00:04,52:54:00:aa:00:05$" "$SEPVIRT_ROOT/run/lxc/net3.log" ||
	die "net3's eth0/eth1/lan9 do not have the definition's MACs in order: $(grep macs= "$SEPVIRT_ROOT/run/lxc/net3.log")"
dev=$($V dumpxml net3 | sed -n "s/.*<target dev='\(veth[0-9][^']*\)'.*/\1/p")
[[ $dev == veth[0-9]* ]] || die "net3's host end is not vethN: '$dev'"
ip -o link show "$dev" | grep -q "master br-lxc" || die "$dev is not on br-lxc: $(ip -o link show "$dev")"
ping -c 3 -W 2 10.89.0.2 >/dev/null || die "net3 does not answer ping through the bridge"
ip addr add 10.90.0.1/24 dev vethbox3
ping -c 3 -W 2 10.90.0.2 >/dev/null || die "net3 does not answer ping on its second interface"
$V destroy net3 >/dev/null || die "destroy net3"
for _ in $(seq 1 100); do ip link show "$dev" >/dev/null 2>&1 || ip link show vethbox3 >/dev/null 2>&1 || break; sleep 0.05; done
! ip link show "$dev" >/dev/null 2>&1 || die "$dev still exists after destroy"
! ip link show vethbox3 >/dev/null 2>&1 || die "vethbox3 still exists after destroy"
for _ in $(seq 1 100); do ip link show vethbox4 >/dev/null 2>&1 || break; sleep 0.05; done
! ip link show vethbox4 >/dev/null 2>&1 || die "vethbox4 still exists after destroy"
[ -z "$("$NC" list)" ] || die "netd still holds records: $("$NC" list)"

# 6. types a container cannot have are refused at define, naming the type
f=$(mktemp)
lxc_xml net2 "$ROOTFS" 'sleep 100' "<interface type='user'><mac address='52:54:00:aa:00:02'/></interface>" >"$f"
out=$($V define "$f" 2>&1 || true)
echo "$out" | grep -q "interface type 'user' is not supported for containers" || die "user interface: $out"
# ... and two interfaces that would have one name inside, or one named lo
lxc_xml net4 "$ROOTFS" 'sleep 100' "<interface type='ethernet'><guest dev='eth1'/></interface><interface type='ethernet'/>" >"$f"
out=$($V define "$f" 2>&1 || true)
echo "$out" | grep -q "interfaces 0 and 1 would both be 'eth1' inside the container" || die "duplicate guest dev: $out"
lxc_xml net4 "$ROOTFS" 'sleep 100' "<interface type='ethernet'><guest dev='lo'/></interface>" >"$f"
out=$($V define "$f" 2>&1 || true)
rm -f "$f"
echo "$out" | grep -q "guest dev 'lo' is the container's loopback device" || die "guest dev lo: $out"
log "ok: container veths (eth0, eth1, <guest dev>), ping from the host, host ends deleted on destroy"
