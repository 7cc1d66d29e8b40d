#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# <interface type='network'>: a TCG guest on a NAT network gets a tap netd creates on the
# network's bridge with the network's MTU; the host pings it through the bridge. Starting it
# while the network is inactive, or on a network that does not exist, fails naming the network;
# after destroy the tap is gone and the network runs on.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/../qemud/lib.sh"
qemud_prepare "$@"

trap qemud_stop EXIT
suite_start
qemud_vmdir
cat >"$SEPVIRT_ROOT/gnet.xml" <<'XML'
<network>
  <name>gnet</name>
  <forward mode='nat'/>
  <mtu size='1450'/>
  <ip address='10.79.0.1' netmask='255.255.255.0'/>
</network>
XML
"$SEPVIRSH" net-define "$SEPVIRT_ROOT/gnet.xml" >/dev/null || die "net-define"
nic="<interface type='network'><mac address='52:54:00:00:79:02'/><source network='gnet'/><model type='virtio'/></interface>"
define_guest g1 10.79.0.2 "$nic"

# 1. the network is not running: the start fails and says which network
out=$("$SEPVIRSH" start g1 2>&1) && die "g1 started on an inactive network"
case $out in *"network 'gnet' is not active"*) log "ok: refused: $out" ;; *) die "start on an inactive network: $out" ;; esac
[ "$("$SEPVIRSH" domstate g1 | head -n1)" = "shut off" ] || die "g1: $("$SEPVIRSH" domstate g1)"
guest_xml g2 10.79.0.3 "${nic/gnet/nosuchnet}" >"$SEPVIRT_ROOT/g2.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/g2.xml" >/dev/null
out=$("$SEPVIRSH" start g2 2>&1) && die "g2 started on a network that does not exist"
case $out in *"no network with matching name 'nosuchnet'"*) log "ok: refused: $out" ;; *) die "start on a missing network: $out" ;; esac

# 2. running network: the tap is on virbr0 with MTU 1450, the guest answers through the bridge
"$SEPVIRSH" net-start gnet >/dev/null || die "net-start"
"$SEPVIRSH" start g1 >/dev/null || { suite_logs; die "start g1"; }
tap=$("$SEPVIRSH" domiflist g1 | awk '$5 == "52:54:00:00:79:02" { print $1 }')
case "$tap" in vnet[0-9]*) ;; *) die "expected a vnetN tap, domiflist says '$tap'" ;; esac
ip -d link show "$tap" | grep -q " mtu 1450 .*master virbr0" || die "$tap: $(ip -d link show "$tap")"
wait_serial g1 'SEPVIRT-NET-UP eth0 10.79.0.2'
ping_guest 10.79.0.2

# 3. destroy the guest: its tap goes, the network stays
"$SEPVIRSH" destroy g1 >/dev/null || die "destroy"
for i in $(seq 50); do ip link show "$tap" >/dev/null 2>&1 || break; sleep 0.1; done
ip link show "$tap" >/dev/null 2>&1 && die "$tap still exists after destroy"
ip link show virbr0 >/dev/null || die "virbr0 gone with the guest"
"$SEPVIRSH" net-destroy gnet >/dev/null || die "net-destroy"
ip link show virbr0 >/dev/null 2>&1 && die "virbr0 left after net-destroy"
log "ok: guest on network gnet through $tap pinged"
