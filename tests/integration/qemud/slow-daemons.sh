#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# netd, then storaged, stops answering (SIGSTOP) while a domain that needs it starts: qemud goes
# on serving everyone else. `list`, dominfo of another (running) domain and domstate of the one
# starting answer within 1 s the whole time; the start fails at its deadline
# (SEPVIRT_DAEMON_CALL_TIMEOUT_MS) with an error naming the daemon, the call and the time; the
# domain is shut off (failed) with no QEMU left, and once the daemon runs again its managed tap
# is gone too; then the same start works.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

CALL_TIMEOUT_MS=3000
export SEPVIRT_DAEMON_CALL_TIMEOUT_MS=$CALL_TIMEOUT_MS
TAP=svslow0

stopped=""
trap 'for p in $stopped; do kill -CONT "$p" 2>/dev/null || true; done; qemud_stop' EXIT
suite_start
qemud_vmdir
qemud_dir_pool sp
"$SEPVIRSH" vol-create-as sp d1 1M >/dev/null || die "vol-create-as"

define_guest other "" ""
define_guest withtap "" "$(ethernet_xml 52:54:00:00:79:02 $TAP)"
define_guest withvol "" "<disk type='volume' device='disk'><driver name='qemu' type='raw'/><source pool='sp' volume='d1'/><target dev='vda' bus='virtio'/></disk>"
"$SEPVIRSH" start other >/dev/null || { suite_logs; die "start other"; }
wait_serial other SEPVIRT-GUEST-UP

LIMIT_MS=1000

# stalled DAEMON DOMAIN WANT...: DAEMON stopped while DOMAIN starts; the start's error says WANT.
stalled() {
    local daemon=$1 dom=$2 pid want
    shift 2
    pid=$(daemon_pid "$daemon")
    [ -n "$pid" ] || die "no sepvirt-$daemon"
    kill -STOP "$pid"
    stopped="$stopped $pid"
    in_background "start-$dom" "$SEPVIRSH" start "$dom"
    sleep 0.3
    fast_while "$BG_PID" "$LIMIT_MS" "while sepvirt-$daemon is stopped" "sepvirsh_direct list" \
        "sepvirsh_direct list --all" "sepvirsh_direct dominfo other" "sepvirsh_direct domstate $dom"
    failed_at_deadline "start-$dom" "$CALL_TIMEOUT_MS"
    for want in "sepvirt-$daemon" "$@" "within $CALL_TIMEOUT_MS ms"; do
        grep -qF -- "$want" <<<"$BG_MSG" || die "the start's error does not say $want: $BG_MSG"
    done
    domstate_is "$dom" "shut off (failed)"
    [ -z "$(suite_qemus "$dom")" ] || die "a QEMU of $dom runs after its start failed"
    "$SEPVIRSH" domstate --reason other | grep -q "^running" || die "other: $("$SEPVIRSH" domstate --reason other)"
    kill -CONT "$pid"
    stopped=""
}

stalled netd withtap NET_OPEN_TAP "interface 0 of domain 'withtap'"
# netd now does what waited: the tap it made for nobody goes again.
for _ in $(seq 50); do ip link show "$TAP" >/dev/null 2>&1 || break; sleep 0.1; done
ip link show "$TAP" >/dev/null 2>&1 && die "$TAP still exists after the failed start"
[ -z "$(suite_qemus withtap)" ] || die "a QEMU of withtap runs"
"$SEPVIRSH" start withtap >/dev/null || { suite_logs; die "start withtap after SIGCONT"; }
ip link show "$TAP" >/dev/null || die "no $TAP after the start"
"$SEPVIRSH" destroy withtap >/dev/null || die "destroy withtap"
ip link show "$TAP" >/dev/null 2>&1 && die "$TAP still exists after destroy"

stalled storaged withvol VOL_OPEN "volume 'd1' in pool 'sp'"
"$SEPVIRSH" start withvol >/dev/null || { suite_logs; die "start withvol after SIGCONT"; }
domstate_is withvol "running (booted)"
"$SEPVIRSH" destroy withvol >/dev/null || die "destroy withvol"
"$SEPVIRSH" destroy other >/dev/null || die "destroy other"
log "ok: a stopped netd or storaged holds up only the start that waits on it"
