#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# start --autodestroy: the domain runs while the connection that started it is open (sepvirsh's
# shell, fed from a fifo), other clients see it running, and it is destroyed once that
# connection closes; a one-shot `sepvirsh start --autodestroy` ends it as it exits (as virsh);
# a plain start in the same shell is left running when the shell goes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

trap qemud_stop EXIT
suite_start
qemud_vmdir
define_guest ad "" ""
define_guest keep "" ""

rm -f "$SEPVIRT_ROOT/sh.in"
mkfifo "$SEPVIRT_ROOT/sh.in"
"$SEPVIRSH" <"$SEPVIRT_ROOT/sh.in" >"$SEPVIRT_ROOT/sh.out" 2>&1 &
shpid=$!
exec 7>"$SEPVIRT_ROOT/sh.in"
echo "start --autodestroy ad" >&7
echo "start keep" >&7
domstate_is ad "running (booted)" 30
domstate_is keep "running (booted)" 30
sleep 1
domstate_is ad "running (booted)" 1 # still: the shell's connection is open
exec 7>&-
wait "$shpid" || true
grep -q "Domain 'ad' started" "$SEPVIRT_ROOT/sh.out" || die "shell: $(cat "$SEPVIRT_ROOT/sh.out")"
domstate_is ad "shut off (destroyed)" 30
domstate_is keep "running (booted)" 1
"$SEPVIRSH" destroy keep >/dev/null || die "destroy keep"

out=$("$SEPVIRSH" start --autodestroy ad) || die "start --autodestroy: $out"
[ "$out" = "Domain 'ad' started" ] || die "start --autodestroy printed: $out"
domstate_is ad "shut off (destroyed)" 30
echo "autodestroy: ok"
