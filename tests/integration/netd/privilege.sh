#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Only netd has CAP_NET_ADMIN (bit 12 of CapEff, from /proc/PID/status of every daemon), and
# nothing else; all daemons run under seccomp. A client through proxyd may list taps but may not
# open or release them; a uid outside the suite cannot reach netd's socket at all.
set -eu
. "$(dirname "$0")/lib.sh"
netd_test_init "$@"
netd_suite_start

sup=$(cat "$T/run/sepvirtd.pid")
n=0
for pid in $(pgrep -P "$sup"); do
    name=$(cat /proc/"$pid"/comm)
    cap=$(awk '/^CapEff:/ {print $2}' /proc/"$pid"/status)
    sec=$(awk '/^Seccomp:/ {print $2}' /proc/"$pid"/status)
    log "$name pid $pid CapEff $cap Seccomp $sec"
    [ "$sec" = 2 ] || die "$name is not under a seccomp filter"
    if (( (16#$cap >> 12) & 1 )); then
        [ "$name" = sepvirt-netd ] || die "$name has CAP_NET_ADMIN (CapEff $cap)"
    fi
    if [ "$name" = sepvirt-netd ]; then
        [ "$cap" = 0000000000001000 ] || die "netd CapEff $cap, expected CAP_NET_ADMIN only"
    fi
    n=$((n + 1))
done
[ "$n" = 5 ] || die "expected 5 daemons under sepvirtd, found $n"
# Landlock keeps netd's writes in its state directory and its networks' definitions (tests/unit/test-sandbox proves the rules),
# or netd said at start that the kernel has none
grep -Eq "writes limited to '$T/lib/netd', '$T/etc/network' and /dev/net/tun \(Landlock ABI [0-9]+\)|Landlock is not available" \
    "$T/log/sepvirt-netd.log" || die "netd did not limit its writes with Landlock"

hold "$T/a0" "$A" 0 --mac 52:54:00:00:00:01 --name dom-a
dev=$(ifname_of "$T/a0")
expect_error "may only be called by the driver daemons, not by clients" nc --proxy open "$A" 1
expect_error "may only be called by the driver daemons, not by clients" nc --proxy release "$A"
link_exists "$dev" || die "a client's release went through"
nc --proxy list | grep -q "^$A 0 $dev managed tap dom-a$" || die "list through proxyd: $(nc --proxy list)"
"$SEPVIRSH" tap-list | grep -q "$dev" || die "sepvirsh tap-list does not show $dev"
expect_error "cannot connect" setpriv --reuid nobody --regid nogroup --clear-groups "$NETD_CLIENT" list
[ "$(nc release "$A")" = released=1 ] || die "release"
log "PASS"
