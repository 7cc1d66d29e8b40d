#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Create + configure + release N managed taps (default 1000) through sepvirt-netd, against the
# process-per-step path (`ip tuntap add`, `ip link set address .. up`, `ip tuntap del`), in a
# private network namespace. Run by hand as root after `make check` built netd-client:
#   bench/tap/bench-tap.sh [N]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../tests/integration/netd/lib.sh"
SV_TEST_NAME=bench-tap
netd_test_init "$@"
N=${1:-1000}
netd_suite_start

# netd: as qemud sees it (open + release calls), and end to end: until the kernel has deleted
# every tap (netd deletes released taps in batches, see netd/reap.h).
t0=$(date +%s%N)
netd_line=$(nc bench "$N")
while [ "$(ip -o link | wc -l)" -gt 1 ]; do sleep 0.005; done
t1=$(date +%s%N)
echo "$netd_line"
netd_us=$(awk -v d=$((t1 - t0)) -v n="$N" 'BEGIN { printf "%.1f", d / 1000 / n }')
echo "netd: $N taps, $netd_us us per tap end to end (until every tap is deleted)"

t0=$(date +%s%N)
for i in $(seq "$N"); do
    ip tuntap add dev bt$i mode tap
    ip link set bt$i address fe:54:00:00:$(printf '%02x:%02x' $((i / 256)) $((i % 256))) up
    ip tuntap del dev bt$i mode tap
done
t1=$(date +%s%N)
ip_us=$(awk -v d=$((t1 - t0)) -v n="$N" 'BEGIN { printf "%.1f", d / 1000 / n }')
echo "ip:   $N taps, $ip_us us per tap (3 processes per tap)"
awk -v a="$ip_us" -v b="$netd_us" 'BEGIN { printf "ratio (end to end): netd is %.1fx faster\n", a / b }'
only_links
