#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# PROC_VOL_OPEN, as qemud calls it: the volume and its qcow2 backing chain come back as fds
# (the volume read-write unless asked read-only, backing layers read-only), so QEMU needs no
# access to the pool's directory. Clients through proxyd are refused; a header that names a
# backing file outside every active pool is refused.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
need_cmd qemu-img
trap suite_stop EXIT
storage_start
f=$(pool_xml p1 "$POOLS/p1" "<permissions><mode>0700</mode></permissions>")
"$SEPVIRSH" pool-define "$f" >/dev/null && "$SEPVIRSH" pool-build p1 >/dev/null && "$SEPVIRSH" pool-start p1 >/dev/null
P="$POOLS/p1"
SOCK="$SEPVIRT_ROOT/run/storaged.sock"
STORAGE=5

"$SEPVIRSH" vol-create-as p1 base 64M --format qcow2 >/dev/null
"$SEPVIRSH" vol-create-as p1 top 64M --format qcow2 --backing-vol base >/dev/null
"$SEPVIRSH" vol-create-as p1 raw 1M >/dev/null
printf 'MARKER42' >"$SEPVIRT_ROOT/marker"
"$SEPVIRSH" vol-upload --pool p1 raw "$SEPVIRT_ROOT/marker" >/dev/null

out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE p1 top) || die "VOL_OPEN: $out"
[ "$(wc -l <<<"$out")" = 2 ] || die "expected two layers: $out"
grep -qx "layer 0 $P/top qcow2 rw fd-mode=rw first=QFI....." <<<"$out" || die "layer 0: $out"
grep -qx "layer 1 $P/base qcow2 ro fd-mode=ro first=QFI....." <<<"$out" || die "layer 1: $out"
out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE p1 top ro) || die "VOL_OPEN ro: $out"
grep -qx "layer 0 $P/top qcow2 ro fd-mode=ro first=QFI....." <<<"$out" || die "read-only layer 0: $out"
out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE "" "$P/raw") || die "VOL_OPEN by path: $out"
[ "$out" = "layer 0 $P/raw raw rw fd-mode=rw first=MARKER42" ] || die "by path: $out"

# Nobody else reaches the pool's files: the fd is the only way in.
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	! setpriv --reuid=nobody --regid=nogroup --clear-groups cat "$P/raw" >/dev/null 2>&1 ||
		die "user nobody can read the pool's files"
fi

# clients through proxyd may not open volumes
out=$("$STORAGED_PROBE" open "$SEPVIRT_ROOT/run/proxyd.sock" $STORAGE p1 raw || true)
case $out in *"may only be called by the driver daemons"* | *"not allowed"* | *"forbidden"*) ;; *) die "client VOL_OPEN: $out" ;; esac

# A header naming a file outside the pools (a guest can write one into a raw volume) is refused.
qemu-img create -q -f qcow2 -b /etc/passwd -F raw "$P/evil" 1M
chown "$SUITE_STORAGE_USER" "$P/evil"
out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE p1 evil || true)
[ "$out" = "error: backing file '/etc/passwd' of volume 'evil' is not a volume of an active storage pool" ] ||
	die "outside backing: $out"
qemu-img create -q -f qcow2 -b ../p1/base -F qcow2 "$P/dotdot" 1M
chown "$SUITE_STORAGE_USER" "$P/dotdot"
out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE p1 dotdot || true)
case $out in *"is not a volume of an active storage pool"*) ;; *) die "'..' in a backing name: $out" ;; esac
expect_fail "missing volume" "no storage vol with matching name 'nope'" "$STORAGED_PROBE" open "$SOCK" $STORAGE p1 nope
echo "PASS: VOL_OPEN hands out the chain as fds, to drivers only, inside the pools only"
