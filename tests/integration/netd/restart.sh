#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# netd killed with SIGKILL while holding taps: sepvirtd restarts it and the list is the same;
# killed again after two domains' QEMU (the fd holders) died: their records are dropped, the
# managed tap is gone, the unmanaged one is left exactly as it was. Nothing leaks.
set -eu
. "$(dirname "$0")/lib.sh"
netd_test_init "$@"
netd_suite_start

# kill_netd: SIGKILL, then wait for sepvirtd's restart to answer.
kill_netd() {
    local old new i
    old=$(netd_pid)
    kill -KILL "$old"
    for i in $(seq 100); do
        new=$(netd_pid 2>/dev/null || true)
        [ -n "$new" ] && [ "$new" != "$old" ] && { log "netd restarted: $old -> $new"; return 0; }
        sleep 0.1
    done
    die "netd was not restarted after SIGKILL"
}

ip tuntap add dev ut0 mode tap
ip link set ut0 up
us=$(link_state ut0)
hold "$T/a0" "$A" 0 --mac 52:54:00:00:00:01 --name dom-a;  PA=$HOLDER
hold "$T/b0" "$B" 0 --unmanaged --dev ut0 --name dom-b;      PB=$HOLDER
hold "$T/c0" "$C" 0 --mac 52:54:00:00:00:03 --queues 2 --name dom-c; PC=$HOLDER
va=$(ifname_of "$T/a0") vc=$(ifname_of "$T/c0")
before=$(nc list | sort)
[ "$(echo "$before" | wc -l)" = 3 ] || die "list before: $before"

kill_netd
after=$(nc list | sort)
[ "$after" = "$before" ] || die "list after restart differs: '$after' vs '$before'"
link_exists "$va" && link_exists "$vc" || die "a held tap vanished with netd"
# a restarted netd still refuses a second user of a name it holds
expect_error "is already in use by domain 'dom-a'" nc open "$(uuid 4)" 0 --dev "$va"

# dom-b's and dom-c's QEMU die; then netd dies again
kill "$PB" "$PC"
wait_link_gone "$vc" || die "$vc outlived its fds"
kill_netd
after=$(nc list)
[ "$(echo "$after" | wc -l)" = 1 ] && [[ $after == "$A 0 $va managed tap dom-a" ]] ||
    die "after the second restart: '$after'"
link_exists ut0 || die "unmanaged ut0 deleted"
[ "$(link_state ut0)" = "$us" ] || die "ut0 changed: '$us' -> '$(link_state ut0)'"
grep -q "unmanaged tap 'ut0' of domain 'dom-b'.*forgetting it" "$T/log/sepvirt-netd.log" || die "no log of ut0"

[ "$(nc release "$A")" = released=1 ] || die "release"
wait_link_gone "$va" || die "$va left after release"
kill "$PA"
ip link delete ut0
only_links
[ -z "$(nc list)" ] || die "records left: $(nc list)"
[ "$(state_live_records)" = 0 ] || die "state file still holds records: $(cat "$T/lib/netd/devices")"
log "PASS"
