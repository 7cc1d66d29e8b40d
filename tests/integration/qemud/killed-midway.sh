#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# qemud killed (SIGKILL) in the middle of a start and in the middle of a destroy, at several
# moments: once sepvirtd has brought it back, the domain is consistent, never half started. Either
# it runs, re-attached (its monitor answers: suspend and resume work), or it is shut off with no
# QEMU left and its managed tap released. Then it starts and stops normally.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

MAC=52:54:00:00:7b:01
trap qemud_stop EXIT
suite_start
qemud_vmdir
define_guest k1 "" "$(ethernet_xml $MAC)"

# taps: the managed taps that exist now
taps() { ip -o link show type tun 2>/dev/null | awk -F': ' '{ print $2 }' | sed 's/@.*//'; }

# consistent WHAT: k1 runs re-attached with a working monitor, or is shut off with nothing left.
consistent() {
    local what=$1 state ctl
    for _ in $(seq 100); do
        state=$("$SEPVIRSH" domstate --reason k1 2>&1 | head -n1)
        ctl=$("$SEPVIRSH" domcontrol k1 2>&1 | head -n1)
        # a re-attach or a start still in progress ends first
        [ "$ctl" = "ok" ] && [ "$state" != "paused (starting up)" ] && break
        sleep 0.1
    done
    case $state in
    "running ("*)
        [ -n "$(qemu_pid k1)" ] || die "$what: k1 is '$state' but has no QEMU"
        [ "$(taps | wc -l)" = 1 ] || die "$what: k1 runs with taps '$(taps)'"
        "$SEPVIRSH" suspend k1 >/dev/null || { suite_logs; die "$what: suspend after the restart"; }
        domstate_is k1 "paused (user)"
        "$SEPVIRSH" resume k1 >/dev/null || die "$what: resume after the restart"
        "$SEPVIRSH" destroy k1 >/dev/null || die "$what: destroy after the restart"
        domstate_is k1 "shut off (destroyed)" 10
        ;;
    "shut off ("*) ;;
    *) suite_logs; die "$what: k1 is '$state' (domcontrol '$ctl') after qemud came back" ;;
    esac
    for _ in $(seq 50); do [ -z "$(suite_qemus k1)" ] && [ -z "$(taps)" ] && break; sleep 0.1; done
    [ -z "$(suite_qemus k1)" ] || die "$what: k1 is shut off but its QEMU runs (pid $(suite_qemus k1))"
    [ -z "$(taps)" ] || die "$what: k1 is shut off but taps are left: $(taps)"
    log "$what: consistent ($state)"
}

# A start: qemud killed 0 ms to 1.5 s after it was asked (the launch, the handshake, the end).
for delay in 0 0.05 0.1 0.2 0.4 0.7 1.0 1.5; do
    "$SEPVIRSH" start k1 >/dev/null 2>&1 &
    starter=$!
    sleep "$delay"
    old=$(daemon_pid qemud)
    kill -9 "$old"
    wait "$starter" || true
    wait_qemud_restarted "$old"
    consistent "start, qemud killed after ${delay}s"
done

# A destroy: QEMU stopped first (SIGSTOP) so that SIGTERM does not end it at once and the
# destroy waits; qemud is killed while it waits, or once the destroy moved on to SIGKILL.
for delay in 0 0.2 1.0 5.5; do
    "$SEPVIRSH" start k1 >/dev/null || { suite_logs; die "start before destroy"; }
    pid=$(qemu_pid k1)
    [ "$delay" = 0 ] || kill -STOP "$pid"
    "$SEPVIRSH" destroy k1 >/dev/null 2>&1 &
    destroyer=$!
    sleep "$delay"
    old=$(daemon_pid qemud)
    kill -9 "$old"
    wait "$destroyer" || true
    kill -CONT "$pid" 2>/dev/null || true
    wait_qemud_restarted "$old"
    consistent "destroy, qemud killed after ${delay}s"
done

"$SEPVIRSH" start k1 >/dev/null || die "start at the end"
domstate_is k1 "running (booted)"
"$SEPVIRSH" destroy k1 >/dev/null || die "destroy at the end"
log "ok: a start or destroy cut short by qemud's death leaves k1 consistent"
