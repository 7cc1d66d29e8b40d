#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# qemud's sweep of orphaned QEMUs at its start stops only QEMUs its spawner launched (children of
# sepvirtd, where the spawner's double fork leaves them): a QEMU someone else started with a uid
# of the suite's VM range, naming a domain that does not run, is left alone by the restarted
# qemud, at its first sweep and at the second one 2 s later. (killed-midway.sh checks that the
# QEMUs a start cut short by qemud's death leaves behind are stopped.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd setpriv

stranger=""
trap '[ -z "$stranger" ] || kill -9 "$stranger" 2>/dev/null || true; qemud_stop' EXIT
suite_start
qemud_vmdir
define_guest o1 "" ""
uuid=$("$SEPVIRSH" domuuid o1)
uid=$(( ${SEPVIRT_VM_UIDS%-*} + 150 ))

# A QEMU of the range, of domain o1 (which does not run), started by this script, not the suite.
setpriv --reuid="$uid" --regid="$uid" --clear-groups \
    "${QEMU:-/usr/bin/qemu-system-x86_64}" -uuid "$uuid" -machine none -display none -nodefaults -S \
    >"$SEPVIRT_ROOT/stranger.log" 2>&1 &
stranger=$!
for _ in $(seq 50); do grep -q -- "-uuid" "/proc/$stranger/cmdline" 2>/dev/null && break; sleep 0.1; done
kill -0 "$stranger" 2>/dev/null || die "the stranger QEMU did not start: $(cat "$SEPVIRT_ROOT/stranger.log")"
[ "$(stat -c %u "/proc/$stranger")" = "$uid" ] || die "the stranger does not run as uid $uid"

old=$(daemon_pid qemud)
kill -9 "$old"
wait_qemud_restarted "$old"
sleep 3.5 # past the second sweep
kill -0 "$stranger" 2>/dev/null || { suite_logs; die "the restarted qemud stopped a QEMU the suite did not launch"; }
grep -q "pid $stranger," "$SEPVIRT_ROOT"/log/*qemud*.log 2>/dev/null && die "qemud's log names the stranger as an orphan"

# The suite's own QEMUs still work as before.
"$SEPVIRSH" start o1 >/dev/null || { suite_logs; die "start o1"; }
domstate_is o1 "running (booted)"
"$SEPVIRSH" destroy o1 >/dev/null || die "destroy o1"
log "ok: the orphan sweep leaves a QEMU the suite did not launch alone"
