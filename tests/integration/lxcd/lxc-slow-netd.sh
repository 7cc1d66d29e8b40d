#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# netd stops answering (SIGSTOP) while a container with a veth starts: lxcd goes on serving
# everyone else. `list`, dominfo of another (running) container and domstate of the one starting
# answer within 1 s the whole time; the start fails at its deadline
# (SEPVIRT_DAEMON_CALL_TIMEOUT_MS) with an error naming netd, the call and the time; the
# container is shut off (failed) with no process left, and once netd runs again its veth is gone
# too; then the same start works.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
in_netns "$@"
need_cmd ip

CALL_TIMEOUT_MS=3000
export SEPVIRT_DAEMON_CALL_TIMEOUT_MS=$CALL_TIMEOUT_MS
LIMIT_MS=1000
stopped=""
trap '[ -z "$stopped" ] || kill -CONT $stopped 2>/dev/null || true; suite_stop' EXIT
lxc_suite_start

lxc_define other "$ROOTFS" 'echo UP; while :; do sleep 1; done'
lxc_define withveth "$ROOTFS" 'echo UP; while :; do sleep 1; done' \
	"<interface type='ethernet'><mac address='52:54:00:aa:00:09'/><target dev='vethslow0'/></interface>"
$V start other >/dev/null || { suite_logs; die "start other"; }
wait_console other UP || die "other did not come up"

netd=$(daemon_pid netd)
[ -n "$netd" ] || die "no sepvirt-netd"
kill -STOP "$netd"
stopped=$netd
# shellcheck disable=SC2086
in_background start $V start withveth
sleep 0.3
fast_while "$BG_PID" "$LIMIT_MS" "while netd is stopped" "sepvirsh_direct -c $LXC list" \
	"sepvirsh_direct -c $LXC list --all" "sepvirsh_direct -c $LXC dominfo other" \
	"sepvirsh_direct -c $LXC domstate withveth"
failed_at_deadline start "$CALL_TIMEOUT_MS"
for want in "sepvirt-netd" "NET_CREATE_VETH" "interface 0 of container 'withveth'" "within $CALL_TIMEOUT_MS ms"; do
	grep -qF -- "$want" <<<"$BG_MSG" || die "the start's error does not say $want: $BG_MSG"
done
st=$($V domstate --reason withveth | head -n1)
[ "$st" = "shut off (failed)" ] || die "withveth after its failed start: '$st'"
[ ! -e "$SEPVIRT_ROOT/run/lxc/withveth.status" ] || die "withveth has a status file after its failed start"
$V domstate other | grep -q "^running" || die "other: $($V domstate other)"

kill -CONT "$netd"
stopped=""
for _ in $(seq 50); do ip link show vethslow0 >/dev/null 2>&1 || break; sleep 0.1; done
! ip link show vethslow0 >/dev/null 2>&1 || die "vethslow0 still exists after the failed start"
$V start withveth >/dev/null || { suite_logs; die "start withveth after SIGCONT"; }
wait_console withveth UP || die "withveth did not come up"
ip link show vethslow0 >/dev/null || die "no vethslow0 once started"
$V destroy withveth >/dev/null || die "destroy withveth"
$V destroy other >/dev/null || die "destroy other"
log "ok: a stopped netd holds up only the container start that waits on it"
