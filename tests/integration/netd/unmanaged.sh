#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# managed='no': the tap must exist; netd attaches to it and changes nothing (MAC, MTU, master,
# flags compared before, during and after); release only forgets it. Errors: missing device
# (libvirt's exact words), no dev, bad names, not a tap, queue-mode mismatch.
set -eu
. "$(dirname "$0")/lib.sh"
netd_test_init "$@"
netd_suite_start

ip link add br1 type bridge
ip tuntap add dev ut0 mode tap
ip link set ut0 address 52:54:00:00:00:99 mtu 1234 master br1   # left DOWN
ip tuntap add dev ut1 mode tap
ip link set ut1 up
ip tuntap add dev ut2 mode tap vnet_hdr
s0=$(link_state ut0) s1=$(link_state ut1) s2=$(link_state ut2)
case "$s2" in *'"vnet_hdr":true'*) ;; *) die "ip did not report vnet_hdr: $s2" ;; esac

# managed='no' ignores what would change the device (MAC, MTU are for managed taps only)
hold "$T/a0" "$A" 0 --unmanaged --dev ut0 --mac 52:54:00:12:34:56 --mtu 9000
[ "$(ifname_of "$T/a0")" = ut0 ] || die "wrong name"
grep -q '^fd0=ut0 ' "$T/a0" || die "TUNGETIFF: $(cat "$T/a0")"
# a vnet_hdr request, or its absence, does not change a pre-created tap's feature flags
hold "$T/a1" "$A" 1 --unmanaged --dev ut1 --vnet-hdr
hold "$T/a2" "$A" 2 --unmanaged --dev ut2
[ "$(link_state ut0)" = "$s0" ] || die "ut0 changed by open: '$s0' -> '$(link_state ut0)'"
[ "$(link_state ut1)" = "$s1" ] || die "ut1 changed by open: '$s1' -> '$(link_state ut1)'"
[ "$(link_state ut2)" = "$s2" ] || die "ut2 changed by open: '$s2' -> '$(link_state ut2)'"
nc list "$A" | grep -q " 0 ut0 unmanaged tap " || die "list: $(nc list)"

# the same unmanaged tap for another domain: refused, naming the holder
expect_error "target dev 'ut1' is already in use by domain" nc open "$B" 0 --unmanaged --dev ut1

[ "$(nc release "$A")" = released=3 ] || die "release"
link_exists ut0 && link_exists ut1 || die "release deleted an unmanaged tap"
[ "$(link_state ut0)" = "$s0" ] || die "ut0 changed by release"
[ "$(link_state ut1)" = "$s1" ] || die "ut1 changed by release"
for p in "${HOLDERS[@]}"; do kill "$p"; done; HOLDERS=()
sleep 0.2
[ "$(link_state ut0)" = "$s0" ] || die "ut0 changed after its fd closed"
[ "$(link_state ut1)" = "$s1" ] || die "ut1 changed after its fd closed"

# errors
expect_error "target managed='no' but specified dev doesn't exist" nc open "$B" 0 --unmanaged --dev nosuchtap0
expect_error "target dev must be supplied when managed='no'" nc open "$B" 0 --unmanaged
expect_error "is too long: 16 bytes" nc open "$B" 0 --unmanaged --dev abcdefghijklmnop
expect_error "is too long: 16 bytes" nc open "$B" 0 --dev abcdefghijklmnop
expect_error "contains '/'" nc open "$B" 0 --unmanaged --dev ab/cd
expect_error "contains ' '" nc open "$B" 0 --dev "ab cd"
expect_error "'..' is not a valid interface name" nc open "$B" 0 --unmanaged --dev ..
expect_error "target dev 'br1' is not a tap device (it is a 'bridge' device)" nc open "$B" 0 --unmanaged --dev br1
expect_error "was created without multi_queue but 2 queue(s) were requested" nc open "$B" 0 --unmanaged --dev ut0 --queues 2
ip tuntap add dev ut3 mode tap pi
expect_error "target dev 'ut3' was created with packet information (pi) on" nc open "$B" 0 --unmanaged --dev ut3
ip link delete ut3
expect_error "invalid domain UUID" nc open not-a-uuid 0 --unmanaged --dev ut0
[ "$(link_state ut0)" = "$s0" ] || die "ut0 changed by a refused request"
[ -z "$(nc list)" ] || die "a refused request left a record: $(nc list)"

ip link delete ut0; ip link delete ut1; ip link delete ut2; ip link delete br1
only_links
log "PASS"
