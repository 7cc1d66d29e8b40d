#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A network's dnsmasq: started with the network under its own user (dnsmasq) with NET_ADMIN,
# NET_BIND_SERVICE and NET_RAW only; a DHCP client on the bridge (busybox udhcpc in another
# namespace, through a veth) gets an address of the range, a static host its fixed address, and
# the leases file and net-dhcp-leases show them; dnsmasq killed -> netd starts it again with the
# leases kept; netd killed -> the same dnsmasq re-adopted (and still watched); net-destroy -> no
# dnsmasq, no files.
set -eu
. "$(dirname "$0")/lib.sh"
netd_test_init "$@"
need_cmd busybox
[ -x /usr/sbin/dnsmasq ] || skip "no dnsmasq (Debian package dnsmasq-base)"
id dnsmasq >/dev/null 2>&1 || skip "no user dnsmasq (Debian package dnsmasq-base creates it)"
CLIENT=svdhcp$$
cleanup_client() { ip netns delete "$CLIENT" 2>/dev/null || true; }
NETD_TEST_AFTER_STOP=cleanup_client
netd_suite_start

cat >"$T/dn.xml" <<'XML'
<network>
  <name>dn</name>
  <forward mode='nat'/>
  <domain name='sv.test' localOnly='yes'/>
  <dns>
    <host ip='10.81.0.50'><hostname>db</hostname><hostname>db-primary</hostname></host>
  </dns>
  <ip address='10.81.0.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.81.0.100' end='10.81.0.120'/>
      <host mac='52:54:00:81:00:07' name='fixed' ip='10.81.0.7'/>
    </dhcp>
  </ip>
</network>
XML
sv net-define "$T/dn.xml" >/dev/null
sv net-start dn >/dev/null || die "net-start"
L=$T/lib/netd
dpid() { cat "$L/dnsmasq-dn.pid" 2>/dev/null || true; }
pid=$(dpid)
[ -n "$pid" ] && kill -0 "$pid" || die "no dnsmasq: $(ls "$L")"
grep -q '^dhcp-range=10.81.0.100,10.81.0.120,255.255.255.0$' "$L/dnsmasq-dn.conf" || die "conf: $(cat "$L/dnsmasq-dn.conf")"
grep -q '^dhcp-host=52:54:00:81:00:07,10.81.0.7,fixed$' "$L/dnsmasq-dn.conf" || die "conf: no static host"
grep -q '^interface=virbr0$' "$L/dnsmasq-dn.conf" || die "conf: not on virbr0"
# its own user, only the capabilities it needs
[ "$(stat -c %U /proc/"$pid")" = dnsmasq ] || die "dnsmasq runs as $(stat -c %U /proc/"$pid")"
cap=$(proc_status "$pid" CapEff)
[ "$cap" = 0000000000003400 ] || die "dnsmasq CapEff $cap, expected NET_BIND_SERVICE, NET_ADMIN, NET_RAW (3400)"
# nothing beyond the spawner's row (KILL, SETGID, SETUID and those three) even in its bounding set
[ "$(( 0x$(proc_status "$pid" CapBnd) & ~0x34e0 ))" = 0 ] || die "dnsmasq's bounding set: $(proc_status "$pid" CapBnd)"

# DNS on the bridge: the <dns> host entries, with the domain too
dns() { busybox nslookup "$1" 10.81.0.1 2>&1 | sed -n 's/^Address: *\([0-9.]*\)$/\1/p' | tail -n1; }
for name in db db-primary db.sv.test; do
    got=$(dns "$name")
    [ "$got" = 10.81.0.50 ] || die "DNS $name: '$got', expected 10.81.0.50 ($(busybox nslookup "$name" 10.81.0.1 2>&1))"
done

# dhcp_client MAC: a veth on virbr0 with MAC, the other end in namespace $CLIENT running udhcpc;
# prints the address it leased
dhcp_client() {
    ip netns add "$CLIENT" 2>/dev/null || true
    ip link delete vdh0 2>/dev/null || true
    ip link add vdh0 type veth peer name vdh1 netns "$CLIENT"
    ip -n "$CLIENT" link set vdh1 address "$1" up
    ip link set vdh0 master virbr0 up
    ip netns exec "$CLIENT" busybox udhcpc -i vdh1 -n -q -f -t 8 -T 2 -s /bin/true 2>&1 |
        sed -n 's/.*lease of \([0-9.]*\) obtained.*/\1/p'
}
a=$(dhcp_client 52:54:00:81:00:33)
case $a in 10.81.0.1[01][0-9] | 10.81.0.120) ;; *) die "DHCP: got '$a', expected an address of 10.81.0.100-120" ;; esac
grep -q " 52:54:00:81:00:33 $a " "$L/dnsmasq-dn.leases" || die "leases: $(cat "$L/dnsmasq-dn.leases")"
b=$(dhcp_client 52:54:00:81:00:07)
[ "$b" = 10.81.0.7 ] || die "static host got '$b', expected 10.81.0.7"

# net-dhcp-leases: virsh's table, on the read-only socket too
out=$("$SEPVIRSH" -r net-dhcp-leases dn)
echo "$out" | head -n1 | grep -Eq '^ Expiry Time +MAC address +Protocol +IP address +Hostname +Client ID or DUID$' ||
    die "net-dhcp-leases header: $out"
echo "$out" | grep -Eq "^ [0-9-]{10} [0-9:]{8} +52:54:00:81:00:33 +ipv4 +$a/24 " || die "net-dhcp-leases: $out"
[ "$(sv net-dhcp-leases dn --mac 52:54:00:81:00:07 | grep -c '10.81.0.7/24')" = 1 ] || die "--mac: $(sv net-dhcp-leases dn --mac 52:54:00:81:00:07)"
sv net-dhcp-leases dn --mac 52:54:00:81:00:07 | grep -q 52:54:00:81:00:33 && die "--mac shows another MAC"

# net-update: a static host added live and in the config, served at once; deleted live only
host="<host mac='52:54:00:81:00:44' name='late' ip='10.81.0.44'/>"
out=$(sv net-update dn add ip-dhcp-host "$host" --live --config)
[ "$out" = "Updated network dn persistent config and live state" ] || die "net-update add: '$out'"
sv net-dumpxml dn | grep -q "<host mac='52:54:00:81:00:44' name='late' ip='10.81.0.44'/>" || die "live XML lacks the host"
sv net-dumpxml --inactive dn | grep -q "mac='52:54:00:81:00:44'" || die "config lacks the host"
grep -q '^dhcp-host=52:54:00:81:00:44,10.81.0.44,late$' "$L/dnsmasq-dn.conf" || die "dnsmasq conf lacks the host"
c=$(dhcp_client 52:54:00:81:00:44)
[ "$c" = 10.81.0.44 ] || die "the added host got '$c', expected 10.81.0.44"
expect_error "there is an existing dhcp host entry in network 'dn'" sv net-update dn add ip-dhcp-host "$host"
[ "$(sv net-update dn delete ip-dhcp-host "$host" --live)" = "Updated network dn live state" ] || die "net-update delete"
sv net-dumpxml dn | grep -q "52:54:00:81:00:44" && die "live XML keeps the deleted host"
sv net-dumpxml --inactive dn | grep -q "52:54:00:81:00:44" || die "--live changed the config"
expect_error "couldn't locate a matching dhcp host entry in network 'dn'" sv net-update dn delete ip-dhcp-host "$host" --live
expect_error "net-update section 'dns-host' is not supported" sv net-update dn add dns-host "<host ip='10.81.0.9'/>"
expect_error "net-update command 'modify' is not supported" sv net-update dn modify ip-dhcp-host "$host"
grep -q " 52:54:00:81:00:33 $a " "$L/dnsmasq-dn.leases" || die "leases lost over net-update"
pid=$(dpid)

# dnsmasq dies: netd starts it again, leases kept
kill -9 "$pid"
for i in $(seq 50); do n=$(dpid); [ -n "$n" ] && [ "$n" != "$pid" ] && kill -0 "$n" 2>/dev/null && break; sleep 0.1; done
[ "$n" != "$pid" ] && kill -0 "$n" || die "dnsmasq not restarted (pid file says '$n')"
grep -q " 52:54:00:81:00:33 $a " "$L/dnsmasq-dn.leases" || die "leases lost over a restart"
grep -q "its dnsmasq (pid $pid) exited; starting it again" "$T/log/sepvirt-netd.log" || die "restart not logged"

# netd dies: the same dnsmasq runs on and is watched again
pid=$n
kill -9 "$(daemon_pid netd)"
for i in $(seq 50); do sv net-list >/dev/null 2>&1 && grep -q "dnsmasq (pid $pid) re-adopted" "$T/log/sepvirt-netd.log" && break; sleep 0.2; done
grep -q "dnsmasq (pid $pid) re-adopted" "$T/log/sepvirt-netd.log" || die "dnsmasq not re-adopted: $(tail "$T/log/sepvirt-netd.log")"
kill -9 "$pid"
for i in $(seq 50); do n=$(dpid); [ -n "$n" ] && [ "$n" != "$pid" ] && kill -0 "$n" 2>/dev/null && break; sleep 0.1; done
[ "$n" != "$pid" ] || die "the re-adopted dnsmasq is not watched"

# destroy: no dnsmasq, no files
sv net-destroy dn >/dev/null
sleep 0.2
kill -0 "$n" 2>/dev/null && die "dnsmasq $n still runs after net-destroy"
ls "$L" | grep -q '^dnsmasq-' && die "files left: $(ls "$L")"
log ok
