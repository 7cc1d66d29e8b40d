# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers for the sepvirt-netd integration tests: the real suite (sepvirtd) under a temporary
# SEPVIRT_ROOT, inside a private network namespace. Source it, then call netd_test_init "$@".
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=../lib/suite.sh
. "$here/../lib/suite.sh"

: "${abs_top_builddir:=$(cd "$here/../../.." && pwd)}"
NETD_CLIENT=$abs_top_builddir/tests/integration/netd/netd-client
SEPVIRTD=$abs_top_builddir/sepvirtd
HOLDERS=()
# The test domains' UUIDs.
A=00000000-0000-4000-8000-000000000001
B=00000000-0000-4000-8000-000000000002
C=00000000-0000-4000-8000-000000000003

# netd_test_init "$@": root, a private netns, the suite user, the built binaries.
netd_test_init() {
    need_root
    in_netns "$@"
    need_cmd jq setpriv
    [ -x "$NETD_CLIENT" ] || skip "netd-client not built (make check builds it)"
    [ -x "$SEPVIRTD" ] || skip "sepvirtd not built"
    [ -c /dev/net/tun ] || skip "no /dev/net/tun"
    trap netd_test_cleanup EXIT
}

# netd_suite_start: the shared suite_start (lib/suite.sh); T is its SEPVIRT_ROOT. The tests
# play qemud with domains qemud does not know: qemud itself is stopped (SIGSTOP, continued at
# the end), or its start-up sweep would release their taps as those of domains that do not run.
netd_suite_start() {
    suite_start
    T=$SEPVIRT_ROOT
    QEMUD_STOPPED=$(daemon_pid qemud)
    [ -z "$QEMUD_STOPPED" ] || kill -STOP "$QEMUD_STOPPED"
}

# The holders, netd's log when the test failed, then the shared suite_stop (which also fails the
# test on a sanitizer report and removes SEPVIRT_ROOT), then the test's own last step.
netd_test_cleanup() {
    local rc=$? p
    for p in "${HOLDERS[@]}"; do kill "$p" 2>/dev/null || true; done
    [ -z "${QEMUD_STOPPED:-}" ] || kill -CONT "$QEMUD_STOPPED" 2>/dev/null || true
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -n "${SEPVIRT_ROOT:-}" ]; then
        log "netd log:"; cat "$SEPVIRT_ROOT/log/sepvirt-netd.log" >&2 2>/dev/null || true
    fi
    ( suite_stop "$rc" ) || rc=$?
    [ -n "${NETD_TEST_AFTER_STOP:-}" ] && $NETD_TEST_AFTER_STOP
    exit "$rc"
}

nc() { "$NETD_CLIENT" "$@"; }
sv() { "$SEPVIRSH" "$@"; }

# uuid N: a fixed, valid domain UUID per test domain.
uuid() { printf '00000000-0000-4000-8000-%012d\n' "$1"; }

# hold OUTFILE ARGS...: open a tap and keep its fds (as QEMU would) in the background; waits
# until the fds were received and checked (TUNGETIFF); sets HOLDER to the holder's pid.
hold() {
    local out=$1; shift
    "$NETD_CLIENT" open "$@" --hold >"$out" 2>"$out.err" &
    HOLDER=$!
    HOLDERS+=("$HOLDER")
    wait_for_file_pattern "$out" '^holding$' 10 "$HOLDER" || { cat "$out" "$out.err" >&2; die "open $* failed"; }
}
ifname_of() { sed -n 's/^ifname=//p' "$1"; }

# expect_error TEXT CMD...: CMD must fail and say TEXT (fixed string) on stderr.
expect_error() {
    local text=$1 out; shift
    if out=$("$@" 2>&1); then
        die "'$*' succeeded, expected an error saying: $text"
    fi
    case $out in
        *"$text"*) log "ok: refused: $out" ;;
        *) die "'$*' failed, but with '$out' instead of: $text" ;;
    esac
}

# link_state DEV: MAC, MTU, master and the administrative flags (carrier left out: it follows
# whether an fd is attached, which is the point of opening a tap).
link_state() {
    # tun details too (type, pi, vnet_hdr, multi_queue, persist, owner): attaching may not change them
    ip -d -j link show dev "$1" | jq -r '.[0] | [.address, (.mtu|tostring), (.master // "-"),
        ([.flags[] | select(. != "LOWER_UP" and . != "NO-CARRIER")] | join(",")),
        (.linkinfo.info_data // {} | tostring)] | join(" ")'
}
link_exists() { ip link show dev "$1" >/dev/null 2>&1; }

# wait_link_gone DEV: a non-persistent tap disappears when its last fd closes; a released one
# within netd's batch delay (250 ms).
wait_link_gone() {
    local i
    for i in $(seq 50); do link_exists "$1" || return 0; sleep 0.1; done
    return 1
}

# only_links NAME...: no interface in the namespace but lo and the ones named.
only_links() {
    local have want
    have=$(ip -j link show | jq -r '.[].ifname' | sort | tr '\n' ' ')
    want=$(printf '%s\n' lo "$@" | sort | tr '\n' ' ')
    [ "$have" = "$want" ] || die "interfaces left: '$have', expected '$want'"
}

netd_pid() { nc ping | awk '{print $2}'; }

# state_live_records: how many records netd's journal still holds ("+" lines minus "-" lines).
state_live_records() {
    local f=$SEPVIRT_ROOT/lib/netd/devices
    echo $(( $(grep -c '^+ ' "$f" || true) - $(grep -c '^- ' "$f" || true) ))
}
