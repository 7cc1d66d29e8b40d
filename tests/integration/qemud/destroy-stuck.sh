#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# destroy does not wait behind a job stuck on QEMU: with the domain's QEMU stopped (SIGSTOP) and
# a suspend waiting on its monitor (deadline 20 s), destroy returns within 2 s, the suspend's
# caller gets an error at once saying the domain was destroyed, the domain is shut off
# (destroyed) with no QEMU left, and it starts again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

QMP_TIMEOUT_MS=20000
export SEPVIRT_QMP_TIMEOUT_MS=$QMP_TIMEOUT_MS
LIMIT_MS=2000

trap 'kill -CONT $(suite_qemus) 2>/dev/null || true; qemud_stop' EXIT
suite_start
qemud_vmdir
define_guest k1 "" ""
"$SEPVIRSH" start k1 >/dev/null || { suite_logs; die "start k1"; }
wait_serial k1 SEPVIRT-GUEST-UP

pid=$(qemu_pid k1)
[ -n "$pid" ] || die "no QEMU for k1"
kill -STOP "$pid"
( rc=0; "$SEPVIRSH" suspend k1 >"$SEPVIRT_ROOT/suspend.out" 2>&1 || rc=$?
  echo "$rc $(now_ms)" >"$SEPVIRT_ROOT/suspend.rc" ) &
suspend_pid=$!
sleep 0.5
case $("$SEPVIRSH" domcontrol k1 | head -n1) in "occupied ("*) ;; *) die "the suspend does not wait on k1's monitor" ;; esac

ms=$(took_ms destroy k1)
destroyed_at=$(now_ms)
[ "$ms" -le "$LIMIT_MS" ] || die "destroy took $ms ms behind a stuck suspend (limit $LIMIT_MS ms)"
log "destroy returned after $ms ms"

for _ in $(seq 50); do kill -0 "$suspend_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$suspend_pid" 2>/dev/null && die "the suspend still waits after destroy"
wait "$suspend_pid" || true
read -r rc ended_at <"$SEPVIRT_ROOT/suspend.rc"
msg=$(cat "$SEPVIRT_ROOT/suspend.out")
[ "$rc" -ne 0 ] || die "suspend of a destroyed domain succeeded: $msg"
[ $((ended_at - destroyed_at)) -le "$LIMIT_MS" ] || die "the suspend failed $((ended_at - destroyed_at)) ms after destroy"
for want in "^error: " "domain 'k1' was destroyed while suspend waited"; do
    grep -q "$want" <<<"$msg" || die "the suspend's error does not say '$want': $msg"
done
log "the suspend failed with: $(tr '\n' ' ' <<<"$msg")"
domstate_is k1 "shut off (destroyed)"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && die "k1's QEMU (pid $pid) still runs after destroy"

"$SEPVIRSH" start k1 >/dev/null || { suite_logs; die "start k1 again"; }
domstate_is k1 "running (booted)"
"$SEPVIRSH" suspend k1 >/dev/null || die "suspend k1 after the restart"
domstate_is k1 "paused (user)"
"$SEPVIRSH" destroy k1 >/dev/null || die "destroy k1"
log "ok: destroy jumps a job stuck on QEMU"
