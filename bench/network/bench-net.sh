#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# net-start + net-destroy through sepvirsh (client -> proxyd -> netd), N times (default 20), in a
# private network namespace: a NAT network with DHCP (bridge, addresses, nftables chains, its
# dnsmasq started and stopped) and a bridge without addresses (no firewall chains, no dnsmasq:
# what the bridge alone costs), beside a baseline of two read calls. Run by hand as root after a
# build (abs_top_builddir=_build):
#   bench/network/bench-net.sh [N]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../tests/integration/netd/lib.sh"
SV_TEST_NAME=bench-net
netd_test_init "$@"
N=${1:-20}
netd_suite_start

cat >"$T/nat.xml" <<'XML'
<network><name>nat</name><forward mode='nat'/>
  <ip address='192.168.150.1' netmask='255.255.255.0'><dhcp><range start='192.168.150.2' end='192.168.150.254'/></dhcp></ip>
</network>
XML
cat >"$T/open.xml" <<'XML'
<network><name>plain</name><forward mode='open'/></network>
XML
sv net-define "$T/nat.xml" >/dev/null
sv net-define "$T/open.xml" >/dev/null

# The baseline: two read calls per pair (sepvirsh's start, connect and lookup, proxyd's hop): what
# every pair below pays besides netd's own work.
t0=$(date +%s%N)
for i in $(seq "$N"); do
    sv net-info nat >/dev/null
    sv net-info nat >/dev/null
done
t1=$(date +%s%N)
awk -v d=$((t1 - t0)) -v n="$N" 'BEGIN { printf "baseline: %d x two net-info calls, %.1f ms per pair\n", n, d / 1e6 / n }'

for net in nat plain; do
    t0=$(date +%s%N)
    for i in $(seq "$N"); do
        sv net-start "$net" >/dev/null
        sv net-destroy "$net" >/dev/null
    done
    t1=$(date +%s%N)
    awk -v d=$((t1 - t0)) -v n="$N" -v net="$net" \
        'BEGIN { printf "%s: %d x net-start + net-destroy, %.1f ms per pair\n", net, n, d / 1e6 / n }'
done
