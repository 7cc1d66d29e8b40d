#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# An isolated network (no <forward>): two containers on it reach each other and the bridge's
# address, and nothing beyond, even with IP forwarding on in the host (as another NAT network or the
# administrator would leave it): netd's chains in inet sepvirt reject what leaves or enters the
# bridge. The same containers reach the outside host once the network's chains are gone, so it is
# netd's rules that stop them.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/../lxcd/lib.sh"
in_netns "$@"
need_cmd ip ping nft
EXT=svisoext$$
cleanup() {
    local rc=$?
    ip netns delete "$EXT" 2>/dev/null || true
    suite_stop "$rc"
}
trap cleanup EXIT
lxc_suite_start

ip netns add "$EXT"
ip link add ext0 type veth peer name ext1 netns "$EXT"
ip addr add 203.0.113.1/24 dev ext0
ip link set ext0 up
ip -n "$EXT" addr add 203.0.113.2/24 dev ext1
ip -n "$EXT" link set ext1 up
ip -n "$EXT" route add 10.85.0.0/24 via 203.0.113.1
echo 1 >/proc/sys/net/ipv4/ip_forward

cat >"$SEPVIRT_ROOT/iso.xml" <<'XML'
<network>
  <name>iso</name>
  <ip address='10.85.0.1' prefix='24'/>
</network>
XML
"$SEPVIRSH" net-define "$SEPVIRT_ROOT/iso.xml" >/dev/null && "$SEPVIRSH" net-start iso >/dev/null || die "iso"
probe='while :; do
  if ping -c 1 -W 1 10.85.0.6 >/dev/null 2>&1; then echo PEER-OK; else echo PEER-NO; fi
  if ping -c 1 -W 1 10.85.0.1 >/dev/null 2>&1; then echo BRIDGE-OK; else echo BRIDGE-NO; fi
  if ping -c 1 -W 1 203.0.113.2 >/dev/null 2>&1; then echo OUT-OK; else echo OUT-NO; fi
  sleep 1
done'
for c in 5 6; do
    lxc_define "c$c" "$ROOTFS" \
        "ip link set eth0 up; ip addr add 10.85.0.$c/24 dev eth0; ip route add default via 10.85.0.1; echo NET-UP; $probe" \
        "<interface type='network'><mac address='52:54:00:85:00:0$c'/><source network='iso'/></interface>"
    $V start "c$c" >/dev/null || { suite_logs; die "start c$c"; }
done
log5=$SEPVIRT_ROOT/run/lxc/c5.log
wait_console c5 PEER-OK 40 || die "c5 does not reach c6 on the isolated network"
wait_console c5 BRIDGE-OK 20 || die "c5 does not reach the bridge"
wait_console c5 OUT-NO 20 || die "no outside probe"
# a few more rounds: never out
sleep 4
grep -q OUT-OK "$log5" && die "c5 reached 203.0.113.2 through an isolated network"
# the rules are what stops it: without the network's chains the same packet goes through
nft delete chain inet sepvirt fwd-virbr0
for _ in $(seq 1 100); do
    grep -q OUT-OK "$log5" && break
    sleep 0.2
done
grep -q OUT-OK "$log5" || die "c5 does not reach 203.0.113.2 even without the chains: the test proves nothing"
$V destroy c5 >/dev/null; $V destroy c6 >/dev/null
"$SEPVIRSH" net-destroy iso >/dev/null
nft list table inet sepvirt >/dev/null 2>&1 && die "table left"
log ok
