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
POOLS=$SEPVIRT_ROOT/pools
mkdir -p "$POOLS"
chown "$SUITE_STORAGE_USER" "$POOLS"
printf "<pool type='dir'><name>sp</name><target><path>%s</path></target></pool>\n" "$POOLS/sp" >"$SEPVIRT_ROOT/sp.xml"
"$SEPVIRSH" pool-define "$SEPVIRT_ROOT/sp.xml" >/dev/null || die "pool-define"
"$SEPVIRSH" pool-build sp >/dev/null || die "pool-build"
"$SEPVIRSH" pool-start sp >/dev/null || die "pool-start"
"$SEPVIRSH" vol-create-as sp d1 1M >/dev/null || die "vol-create-as"

define_guest other "" ""
define_guest withtap "" "$(ethernet_xml 52:54:00:00:79:02 $TAP)"
define_guest withvol "" "<disk type='volume' device='disk'><driver name='qemu' type='raw'/><source pool='sp' volume='d1'/><target dev='vda' bus='virtio'/></disk>"
"$SEPVIRSH" start other >/dev/null || { suite_logs; die "start other"; }
wait_serial other SEPVIRT-GUEST-UP

LIMIT_MS=1000

# stalled DAEMON DOMAIN WANT...: DAEMON stopped while DOMAIN starts; the start's error says WANT.
stalled() {
    local daemon=$1 dom=$2 pid t0 start_pid n=0 worst=0 rc failed_after msg c ms
    shift 2
    pid=$(daemon_pid "$daemon")
    [ -n "$pid" ] || die "no sepvirt-$daemon"
    kill -STOP "$pid"
    stopped="$stopped $pid"
    t0=$(now_ms)
    ( rc=0; "$SEPVIRSH" start "$dom" >"$SEPVIRT_ROOT/start.out" 2>&1 || rc=$?
      echo "$rc $(( $(now_ms) - t0 ))" >"$SEPVIRT_ROOT/start.rc" ) &
    start_pid=$!
    sleep 0.3
    while kill -0 "$start_pid" 2>/dev/null; do
        for c in "list" "list --all" "dominfo other" "domstate $dom"; do
            # shellcheck disable=SC2086
            ms=$(took_ms $c)
            [ "$ms" -le "$LIMIT_MS" ] || die "'sepvirsh $c' took $ms ms while sepvirt-$daemon is stopped"
            [ "$ms" -le "$worst" ] || worst=$ms
            n=$((n + 1))
        done
    done
    [ "$n" -ge 4 ] || die "the start of $dom ended before anything could be asked meanwhile"
    log "$n calls while sepvirt-$daemon was stopped, the slowest took $worst ms"
    wait "$start_pid" || true
    read -r rc failed_after <"$SEPVIRT_ROOT/start.rc"
    msg=$(cat "$SEPVIRT_ROOT/start.out")
    [ "$rc" -ne 0 ] || die "start of $dom succeeded with sepvirt-$daemon stopped: $msg"
    [ "$failed_after" -ge $((CALL_TIMEOUT_MS - 100)) ] && [ "$failed_after" -le $((CALL_TIMEOUT_MS + 1500)) ] ||
        die "start of $dom failed after $failed_after ms, the deadline is $CALL_TIMEOUT_MS ms: $msg"
    for want in "sepvirt-$daemon" "$@" "within $CALL_TIMEOUT_MS ms"; do
        grep -qF -- "$want" <<<"$msg" || die "the start's error does not say $want: $msg"
    done
    log "start of $dom failed after $failed_after ms: $(tr '\n' ' ' <<<"$msg")"
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
