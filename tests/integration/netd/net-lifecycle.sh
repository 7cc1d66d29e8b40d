#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Virtual networks through sepvirsh, as virsh prints them: net-define keeps the definition (a
# file in config_dir/network, virbrN and a MAC chosen once), net-start makes the bridge with its
# IPv4/IPv6 addresses and MTU, up, its nftables chains in `inet sepvirt` and IPv4 forwarding;
# net-destroy takes all of it away again; net-create is transient; autostart marks, net-uuid,
# net-name, net-dumpxml [--inactive]; the read-only socket reads but changes nothing; the
# definitions survive a restart of the suite.
set -eu
. "$(dirname "$0")/lib.sh"
netd_test_init "$@"
need_cmd nft
netd_suite_start
ro() { "$SEPVIRSH" -r "$@"; }

cat >"$T/default.xml" <<'XML'
<network>
  <name>default</name>
  <forward mode='nat'/>
  <mtu size='1400'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
    </dhcp>
  </ip>
  <ip family='ipv6' address='fd00:122::1' prefix='64'/>
</network>
XML

# 1. define: virsh's words; the bridge name and MAC are chosen now and kept
[ "$(sv net-define "$T/default.xml")" = "Network default defined from $T/default.xml" ] || die "net-define output"
[ -f "$T/etc/network/default.xml" ] || die "no definition file in $T/etc/network"
xml=$(sv net-dumpxml default)
echo "$xml" | grep -q "<bridge name='virbr0' stp='on' delay='0'/>" || die "no virbr0 chosen: $xml"
echo "$xml" | grep -q "<mac address='52:54:00:" || die "no MAC chosen: $xml"
uuid=$(sv net-uuid default | head -n1)
[ "$(sv net-name "$uuid" | head -n1)" = default ] || die "net-name $uuid"
out=$(sv net-list --all)
expected=" Name      State      Autostart   Persistent
----------------------------------------------
 default   inactive   no          yes"
[ "$out" = "$expected" ] || die "net-list --all: '$out'"
[ -z "$(sv net-list --name)" ] || die "an inactive network in net-list"
ip link show virbr0 >/dev/null 2>&1 && die "virbr0 exists before net-start"

# 2. the read-only socket reads, never changes
ro net-info default >/dev/null || die "net-info on the read-only socket"
expect_error "read only access prevents virNetworkCreate" ro net-start default
expect_error "read only access prevents virNetworkDefineXML" ro net-define "$T/default.xml"

# 3. start: bridge, addresses, MTU, up, rules, forwarding
[ "$(sv net-start default)" = "Network default started" ] || die "net-start output"
# UP (no carrier yet: no port on it)
ip link show virbr0 | grep -Eq '[<,]UP[,>].* mtu 1400 ' || die "virbr0: $(ip -d link show virbr0)"
ip -d link show virbr0 | grep -q "bridge forward_delay" || die "virbr0 is not a bridge"
ip -4 addr show dev virbr0 | grep -q "inet 192.168.122.1/24 brd 192.168.122.255" || die "IPv4: $(ip addr show virbr0)"
ip -6 addr show dev virbr0 | grep -q "inet6 fd00:122::1/64" || die "IPv6: $(ip addr show virbr0)"
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || die "IPv4 forwarding not enabled"
rules=$(nft list table inet sepvirt)
echo "$rules" | grep -q 'chain fwd-virbr0' || die "no forward chain: $rules"
echo "$rules" | grep -q 'ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 masquerade' || die "no masquerade: $rules"
echo "$rules" | grep -q 'oifname "virbr0" ip daddr 192.168.122.0/24 ct state established,related accept' ||
    die "no return path: $rules"
echo "$rules" | grep -q 'iifname "virbr0" ip6 saddr fd00:122::/64 accept' || die "IPv6 not routed: $rules"
[ "$(sv net-info default | sed -n 's/^Active: *//p')" = yes ] || die "net-info: $(sv net-info default)"
[ "$(sv net-info default | sed -n 's/^Bridge: *//p')" = virbr0 ] || die "net-info bridge"
expect_error "network 'default' is already active" sv net-start default

# 4. a second, isolated network: virbr1, its own chains; a restart of the suite keeps both as
#    they are (no duplicate rule)
cat >"$T/iso.xml" <<'XML'
<network>
  <name>iso</name>
  <ip address='10.77.0.1' prefix='24'/>
</network>
XML
sv net-create "$T/iso.xml" | grep -qx "Network iso created from $T/iso.xml" || die "net-create output"
ip -4 addr show dev virbr1 | grep -q "inet 10.77.0.1/24" || die "iso: $(ip addr show virbr1 2>&1)"
out=$(sv net-list)
expected=" Name      State    Autostart   Persistent
--------------------------------------------
 default   active   no          yes
 iso       active   no          no"
[ "$out" = "$expected" ] || die "net-list: '$out'"
before=$(nft list table inet sepvirt | grep -c .)
kill -9 "$(daemon_pid netd)"
for i in $(seq 50); do [ -n "$(daemon_pid netd)" ] && sv net-list >/dev/null 2>&1 && break; sleep 0.2; done
[ "$(sv net-list --name | grep -c .)" = 2 ] || die "after a netd restart: $(sv net-list --all)"
after=$(nft list table inet sepvirt | grep -c .)
[ "$before" = "$after" ] || die "rules changed over a restart ($before -> $after lines): $(nft list table inet sepvirt)"
ip link show virbr0 | grep -Eq '[<,]UP[,>]' || die "virbr0 lost over a netd restart"

# 5. destroy: bridge and chains gone; the transient one is forgotten
[ "$(sv net-destroy iso)" = "Network iso destroyed" ] || die "net-destroy iso"
ip link show virbr1 >/dev/null 2>&1 && die "virbr1 left after net-destroy"
nft list table inet sepvirt | grep -q 'fwd-virbr1' && die "iso's chains left"
expect_error "Network not found: no network with matching name 'iso'" sv net-info iso
[ "$(sv net-destroy default)" = "Network default destroyed" ] || die "net-destroy default"
ip link show virbr0 >/dev/null 2>&1 && die "virbr0 left after net-destroy"
nft list table inet sepvirt >/dev/null 2>&1 && die "table inet sepvirt left: $(nft list table inet sepvirt)"
expect_error "network 'default' is not active" sv net-destroy default

# 6. autostart, dumpxml --inactive, undefine
[ "$(sv net-autostart default)" = "Network default marked as autostarted" ] || die "net-autostart"
[ -f "$T/etc/network/default.autostart" ] || die "no autostart mark"
[ "$(sv net-info default | sed -n 's/^Autostart: *//p')" = yes ] || die "autostart not shown"
# once per host boot: a netd restart in the same boot starts nothing; the first netd of a new boot
# (netd's record of the last autostart names another boot id) starts it
restart_netd() {
    local old
    old=$(daemon_pid netd)
    kill -9 "$old"
    for i in $(seq 50); do [ -n "$(daemon_pid netd)" ] && [ "$(daemon_pid netd)" != "$old" ] && sv net-list >/dev/null 2>&1 && break; sleep 0.2; done
}
restart_netd
[ "$(sv net-info default | sed -n 's/^Active: *//p')" = no ] || die "autostarted again in the same boot"
echo "an-earlier-boot" >"$T/lib/netd/networks-autostarted"
restart_netd
[ "$(sv net-info default | sed -n 's/^Active: *//p')" = yes ] || die "not autostarted in a new boot: $(tail -5 "$T/log/sepvirt-netd.log")"
[ "$(cat "$T/lib/netd/networks-autostarted")" = "$(cat /proc/sys/kernel/random/boot_id)" ] || die "boot id not recorded"
sv net-destroy default >/dev/null
[ "$(sv net-autostart default --disable)" = "Network default unmarked as autostarted" ] || die "--disable"
sv net-dumpxml --inactive default | grep -q "<name>default</name>" || die "dumpxml --inactive"
expect_error "failed to get network 'nosuch'" sv net-start nosuch
[ "$(sv net-undefine default)" = "Network default has been undefined" ] || die "net-undefine"
[ ! -e "$T/etc/network/default.xml" ] || die "definition file left"
[ -z "$(sv net-list --all --name)" ] || die "left: $(sv net-list --all)"

# 7. refused by name: a forward mode netd does not implement
cat >"$T/hostdev.xml" <<'XML'
<network><name>hd</name><forward mode='hostdev'/></network>
XML
expect_error "forward mode 'hostdev' is not supported" sv net-define "$T/hostdev.xml"
log "ok"
