#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# managed='yes': netd creates the tap (vnet%d with a free number, or the given name), host MAC
# with first byte 0xFE (0xFA when the guest's is 0xFE), MTU, bridge, UP, vnet_hdr, one fd per
# queue, TUNGETIFF on each received fd names the tap; not persistent; gone after release;
# netd's own fd count does not grow.
set -eu
. "$(dirname "$0")/lib.sh"
netd_test_init "$@"
netd_suite_start

ip link add br0 mtu 1450 type bridge
ip link set br0 up
ip tuntap add dev vnet0 mode tap   # taken: the template must pick another number

# 1. template name, host MAC, UP, no bridge
hold "$T/a0" "$A" 0 --mac 52:54:00:aa:bb:01 --name dom-a
dev0=$(ifname_of "$T/a0")
[[ $dev0 =~ ^vnet[0-9]+$ ]] || die "template name expected, got '$dev0'"
[ "$dev0" != vnet0 ] || die "template reused the existing vnet0"
read -r mac mtu master flags _tun <<<"$(link_state "$dev0")"
[ "$mac" = fe:54:00:aa:bb:01 ] || die "$dev0: host MAC $mac, expected fe:54:00:aa:bb:01"
[[ ,$flags, == *,UP,* ]] || die "$dev0 is not UP ($flags)"
[ "$master" = - ] || die "$dev0 has master $master"

# 2. guest MAC starting with fe -> fa; bridge; explicit MTU; vnet_hdr
hold "$T/a1" "$A" 1 --mac fe:54:00:aa:bb:02 --bridge br0 --mtu 1400 --vnet-hdr --name dom-a
dev1=$(ifname_of "$T/a1")
read -r mac mtu master flags _tun <<<"$(link_state "$dev1")"
[ "$mac" = fa:54:00:aa:bb:02 ] || die "$dev1: host MAC $mac, expected fa:54:00:aa:bb:02"
[ "$master" = br0 ] || die "$dev1: master '$master', expected br0"
[ "$mtu" = 1400 ] || die "$dev1: MTU $mtu, expected 1400"
[[ ,$flags, == *,UP,* ]] || die "$dev1 is not UP"
grep -Eq '^fd0=.* flags=0x[0-9a-f]*[4-7][0-9a-f]{3}$' "$T/a1" || die "IFF_VNET_HDR not set: $(cat "$T/a1")"

# 3. bridge without MTU: the tap follows the bridge's MTU; given name; 4 queues
brmtu=$(ip -j link show dev br0 | jq -r '.[0].mtu')
hold "$T/a2" "$A" 2 --dev mytap-m --bridge br0 --queues 4 --mac 52:54:00:aa:bb:03 --name dom-a
[ "$(ifname_of "$T/a2")" = mytap-m ] || die "given name not used"
grep -q '^nfds=4$' "$T/a2" || die "4 queues: $(cat "$T/a2")"
[ "$(grep -c '^fd[0-3]=mytap-m ' "$T/a2")" = 4 ] || die "TUNGETIFF on the 4 fds: $(cat "$T/a2")"
read -r mac mtu master flags _tun <<<"$(link_state mytap-m)"
[ "$mtu" = "$brmtu" ] || die "mytap-m: MTU $mtu, expected the bridge's $brmtu"

[ "$(nc list "$A" | wc -l)" = 3 ] || die "list: $(nc list "$A")"
nc list "$A" | grep -q " 2 mytap-m managed tap dom-a$" || die "list: $(nc list)"

# 4. release deletes what netd created, even while the fds are still held
out=$(nc release "$A")
[ "$out" = released=3 ] || die "release: $out"
for d in "$dev0" "$dev1" mytap-m; do
    [[ ,$(link_state "$d" 2>/dev/null || echo gone), != *,UP,* ]] || die "$d still UP after release"
done
for d in "$dev0" "$dev1" mytap-m; do wait_link_gone "$d" || die "$d still exists after release"; done
[ -z "$(nc list)" ] || die "list after release: $(nc list)"
for p in "${HOLDERS[@]}"; do kill "$p"; done; HOLDERS=()

# 4b. a bridge that is missing or is not a bridge: refused by name, nothing created
expect_error "bridge 'nosuchbr0' for target dev 'brtap0' does not exist" nc open "$B" 0 --dev brtap0 --bridge nosuchbr0
ip tuntap add dev notbr9 mode tap
expect_error "'notbr9' (for target dev 'brtap0') is not a bridge" nc open "$B" 0 --dev brtap0 --bridge notbr9
ip link delete notbr9
link_exists brtap0 && die "a refused request created brtap0"
[ -z "$(nc list)" ] || die "a refused request left a record: $(nc list)"

# 5. not persistent: the tap vanishes with the holder's last fd
hold "$T/b0" "$B" 0 --mac 52:54:00:aa:bb:04
devb=$(ifname_of "$T/b0")
kill "$HOLDER"; HOLDERS=()
wait_link_gone "$devb" || die "$devb outlived its last fd"
[ "$(nc release "$B")" = released=1 ] || die "release of a vanished tap"

# 6. no fd leak in netd over 50 create/release cycles
pid=$(netd_pid)
sleep 0.4   # no batch deletion pending: its timer holds an fd
before=$(ls /proc/"$pid"/fd | wc -l)
for i in $(seq 50); do
    nc open "$B" 0 --mac 52:54:00:aa:bb:05 >/dev/null
    nc release "$B" >/dev/null
done
sleep 0.4
after=$(ls /proc/"$pid"/fd | wc -l)
[ "$before" = "$after" ] || die "netd fds: $before before, $after after 50 cycles"

ip link delete vnet0
only_links br0
[ "$(state_live_records)" = 0 ] || die "state file still holds records: $(cat "$T/lib/netd/devices")"
log "PASS"
