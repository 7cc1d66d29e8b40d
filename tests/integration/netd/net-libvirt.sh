#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Virtual networks through libvirt's own protocol: virsh 9.0 and python3-libvirt on
# libvirt-sock define, list, start, inspect, mark autostart, read the leases of, destroy and
# undefine a network served by netd, and print what sepvirsh prints for it; an unknown network
# is libvirt's error, libvirt-sock-ro reads but refuses changes naming the API.
set -eu
. "$(dirname "$0")/lib.sh"
netd_test_init "$@"
need_cmd virsh
netd_suite_start
LV="qemu+unix:///system?socket=$T/run/libvirt-sock"
LVRO="qemu+unix:///system?socket=$T/run/libvirt-sock-ro"
vsh() { virsh -c "$LV" "$@"; }

cat >"$T/n1.xml" <<'XML'
<network>
  <name>n1</name>
  <forward mode='nat'/>
  <ip address='192.168.150.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.150.10' end='192.168.150.20'/></dhcp>
  </ip>
</network>
XML
[ "$(vsh net-define "$T/n1.xml" | head -n1)" = "Network n1 defined from $T/n1.xml" ] || die "virsh net-define"
[ "$(vsh net-list --all)" = "$(sv net-list --all)" ] || die "net-list --all differs: $(vsh net-list --all)"
[ "$(vsh net-list --all --name)" = "$(printf 'n1\n')" ] || die "net-list --name: $(vsh net-list --all --name)"
[ "$(vsh net-uuid n1)" = "$(sv net-uuid n1)" ] || die "net-uuid"
[ "$(vsh net-dumpxml n1)" = "$(sv net-dumpxml n1)" ] || die "net-dumpxml differs"
rc=0; out=$(virsh -c "$LVRO" net-start n1 2>&1) || rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "read only access prevents virNetworkCreate" || die "read-only net-start ($rc): $out"
virsh -c "$LVRO" net-list --all >/dev/null || die "read-only net-list"

[ "$(vsh net-start n1 | head -n1)" = "Network n1 started" ] || die "virsh net-start"
ip -4 addr show dev virbr0 | grep -q "inet 192.168.150.1/24" || die "the bridge: $(ip addr show virbr0 2>&1)"
out=$(vsh net-info n1)
echo "$out" | grep -Eqx "Active: +yes" && echo "$out" | grep -Eqx "Bridge: +virbr0" || die "net-info: $out"
[ "$(vsh net-autostart n1 | head -n1)" = "Network n1 marked as autostarted" ] || die "net-autostart"
sv net-info n1 | grep -Eqx "Autostart: +yes" || die "autostart not set through libvirt-sock"
out=$(vsh net-dhcp-leases n1)
echo "$out" | head -n1 | grep -q "Expiry Time" || die "net-dhcp-leases: $out"
rc=0; out=$(vsh net-info nosuch 2>&1) || rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "Network not found: no network with matching name 'nosuch'" || die "unknown network ($rc): $out"
/usr/bin/python3 - "$LV" <<'PY' || die "python3-libvirt"
import sys, libvirt
c = libvirt.open(sys.argv[1])
n = c.networkLookupByName("n1")
assert n.isActive() == 1 and n.isPersistent() == 1 and n.autostart() == 1, (n.isActive(), n.isPersistent(), n.autostart())
assert n.bridgeName() == "virbr0", n.bridgeName()
assert [x.name() for x in c.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_ACTIVE)] == ["n1"]
assert c.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_INACTIVE) == []
assert c.numOfNetworks() == 1 and c.listNetworks() == ["n1"] and c.numOfDefinedNetworks() == 0
assert c.networkLookupByUUIDString(n.UUIDString()).name() == "n1"
assert n.DHCPLeases() == []
PY
[ "$(vsh net-destroy n1 | head -n1)" = "Network n1 destroyed" ] || die "virsh net-destroy"
ip link show virbr0 >/dev/null 2>&1 && die "virbr0 left after net-destroy"
[ "$(vsh net-undefine n1 | head -n1)" = "Network n1 has been undefined" ] || die "virsh net-undefine"
[ -z "$(sv net-list --all --name)" ] || die "n1 still defined"
echo "PASS: virsh and python3-libvirt drive netd's networks through libvirt-sock"
