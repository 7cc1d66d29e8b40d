#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Devices deleted behind netd's back (issue 18): an administrator's `ip link del` of a tap netd
# created, or of a pre-created one it opened, while the domain still holds it. netd's list no
# longer shows it, its journal forgets it (a restart does not bring it back), a new device that
# took the same name is not mistaken for it, and what still exists stays listed.
set -eu
. "$(dirname "$0")/lib.sh"
netd_test_init "$@"
netd_suite_start

kill_netd() {
    local old new i
    old=$(netd_pid)
    kill -KILL "$old"
    for i in $(seq 1 200); do
        new=$(netd_pid 2>/dev/null || true)
        [ -n "$new" ] && [ "$new" != "$old" ] && return 0
        sleep 0.1
    done
    die "netd did not come back"
}

ip tuntap add dev upre0 mode tap
hold "$T/a0" "$A" 0 --dev keep-m --mac 52:54:00:aa:bb:01 --name dom-a
hold "$T/a1" "$A" 1 --dev gone-m --mac 52:54:00:aa:bb:02 --name dom-a
hold "$T/b0" "$B" 0 --unmanaged --dev upre0 --name dom-b
[ "$(nc list | wc -l)" = 3 ] || die "list before: $(nc list)"

# behind netd's back, while the holders (the "QEMUs") still have their fds
ip link del gone-m
ip link del upre0
# and a new device takes one of the names: not the one netd recorded (another ifindex)
ip tuntap add dev gone-m mode tap
out=$(nc list)
[ "$(echo "$out" | wc -l)" = 1 ] || die "list after ip link del shows gone devices: $out"
echo "$out" | grep -q " 0 keep-m managed tap dom-a$" || die "keep-m not listed: $out"
[ "$(state_live_records)" = 1 ] || die "the journal still holds $(state_live_records) records: $(cat "$T/lib/netd/devices")"
grep -q "'gone-m' of domain 'dom-a' .* was deleted behind netd's back" "$T/log/sepvirt-netd.log" ||
    die "netd did not say what it forgot"
link_exists gone-m || die "netd deleted the new gone-m it does not own"

# a restart does not resurrect them
kill_netd
out=$(nc list)
[ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q " keep-m " || die "list after restart: $out"
# B's release: nothing of it left to release, no error
[ "$(nc release "$B")" = released=0 ] || die "release of B"

# deleted while netd is down: gone at its start (reconcile), and the list agrees
ip link del keep-m
kill_netd
[ -z "$(nc list)" ] || die "list after restart shows keep-m deleted while netd was down: $(nc list)"
[ "$(state_live_records)" = 0 ] || die "the journal still holds records"
link_exists gone-m || die "the stranger gone-m was touched"
log "devices deleted behind netd's back are dropped from its list and journal"
