#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Session mode: the whole suite started by an ordinary user, no capabilities at all.
# managed='no' on a tap pre-created for that user works; managed='yes' fails saying why and what
# to do instead; a tap owned by someone else is refused saying so.
set -eu
. "$(dirname "$0")/lib.sh"
netd_test_init "$@"
U=sepvirt-sess
created_user=0
if ! id "$U" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$U" || skip "cannot create user $U"
    created_user=1
fi
# After the suite stopped (userdel refuses a user that still runs processes).
remove_user() { [ "$created_user" = 0 ] || userdel "$U" 2>/dev/null || true; }
NETD_TEST_AFTER_STOP=remove_user
as_user() { setpriv --reuid "$U" --regid "$U" --clear-groups env SEPVIRT_ROOT="$SEPVIRT_ROOT" HOME="$SEPVIRT_ROOT" "$@"; }

SEPVIRT_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/sepvirt-sess.XXXXXX")
export SEPVIRT_ROOT
T=$SEPVIRT_ROOT
chown "$U:" "$SEPVIRT_ROOT"

as_user "$SEPVIRTD" || { cat "$T"/log/* >&2; die "the suite did not start as $U"; }
SUITE_PID=$(cat "$T/run/sepvirtd.pid") # for the shared suite_stop
read -r _ pid cap sec <<<"$(as_user "$NETD_CLIENT" ping)"
[ "$cap" = 0000000000000000 ] || die "netd in session mode has CapEff $cap"
[ "$(stat -c %U /proc/"$pid")" = "$U" ] || die "netd does not run as $U"

ip tuntap add dev stap0 mode tap user "$U"
ip tuntap add dev rtap0 mode tap user root
s0=$(link_state stap0)
out=$(as_user "$NETD_CLIENT" open "$A" 0 --unmanaged --dev stap0) || die "unmanaged open as $U failed: $out"
grep -q '^fd0=stap0 ' <<<"$out" || die "TUNGETIFF: $out"
[ "$(link_state stap0)" = "$s0" ] || die "stap0 changed"

expect_error "sepvirt-netd has no CAP_NET_ADMIN (session mode)" as_user "$NETD_CLIENT" open "$A" 1 --mac 52:54:00:00:00:01
expect_error "ip tuntap add dev T mode tap user $U" as_user "$NETD_CLIENT" open "$A" 1 --dev mytap1
expect_error "<target dev='T' managed='no'/>" as_user "$NETD_CLIENT" open "$A" 1
link_exists mytap1 && die "a managed tap was created in session mode"
expect_error "cannot open tap 'rtap0': it is owned by uid 0" as_user "$NETD_CLIENT" open "$A" 2 --unmanaged --dev rtap0

[ "$(as_user "$NETD_CLIENT" release "$A")" = released=1 ] || die "release"
link_exists stap0 || die "stap0 deleted"
[ "$(link_state stap0)" = "$s0" ] || die "stap0 changed by release"
ip link delete stap0; ip link delete rtap0
only_links
log "PASS"
