#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The attack of issue 18: a qcow2 volume whose header names an external data file (extension
# 0x44415441, feature bit "external data file") was handed over, and QEMU opened the named host
# file read-write for the guest. Now VOL_OPEN (what qemud calls to start a domain),
# vol-dumpxml, vol-clone and pool-refresh refuse it, naming the volume and the data file, unless
# the data file is a volume of an active pool (and even then VOL_OPEN refuses: QEMU would open
# it by name, and it gets images as fds only). vol-info, the lookup every sepvirsh volume
# command starts with, still answers, so the volume can be listed, overwritten and deleted.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
need_cmd qemu-img od
trap suite_stop EXIT
storage_start
pool_up p1
P="$POOLS/p1"
SOCK="$SEPVIRT_ROOT/run/storaged.sock"
STORAGE=5
uid=$(storaged_uid)
host="$SEPVIRT_ROOT/host-secret"

# The attacker's image: qcow2 whose data file is a host file outside every pool.
qemu-img create -q -f qcow2 -o data_file="$host" "$P/evil" 1M
printf 'SECRET' >"$host"
chown "$uid" "$P/evil"
qemu-img info -U "$P/evil" | grep -q "data file: $host" || die "qemu-img does not see the data file"
refused="qcow2 data file '$host' of volume 'evil' is not a volume of an active storage pool"
out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE p1 evil || true)
[ "$out" = "error: $refused" ] || die "VOL_OPEN: $out"
out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE "" "$P/evil" ro || true)
[ "$out" = "error: $refused" ] || die "VOL_OPEN by path, read-only: $out"
expect_fail "vol-dumpxml" "$refused" "$SEPVIRSH" vol-dumpxml --pool p1 evil
expect_fail "vol-clone" "$refused" "$SEPVIRSH" vol-clone --pool p1 evil copy
expect_fail "pool-refresh" "storage pool 'p1' refreshed, but $refused" "$SEPVIRSH" pool-refresh p1
[ "$(cat "$host")" = SECRET ] || die "the host file changed"

# A guest owns its raw volume's bytes: it writes the same header there. Refused the same way.
"$SEPVIRSH" vol-create-as p1 guest 2M >/dev/null
dd if="$P/evil" of="$P/guest" conv=notrunc status=none
out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE p1 guest || true)
[ "$out" = "error: qcow2 data file '$host' of volume 'guest' is not a volume of an active storage pool" ] ||
	die "VOL_OPEN of a raw volume with a data file header: $out"

# Its owner can still overwrite it (vol-upload) and use it again.
head -c 1M /dev/zero >"$SEPVIRT_ROOT/zeros"
"$SEPVIRSH" vol-upload --pool p1 guest "$SEPVIRT_ROOT/zeros" >/dev/null || die "vol-upload over the bad header"
out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE p1 guest) || die "VOL_OPEN after the upload: $out"
case $out in "layer 0 $P/guest raw rw "*) ;; *) die "VOL_OPEN after the upload: $out" ;; esac

# The name hidden past the first 4 KiB, behind a large extension QEMU skips: still seen.
H=$(od -An -tu4 --endian=big -j100 -N4 "$P/evil" | tr -d ' ')
{
	head -c "$H" "$P/evil"
	printf '\x12\x34\x56\x78\x00\x00\x13\x88'
	head -c 5000 /dev/zero
	dd if="$P/evil" bs=64K iflag=skip_bytes,count_bytes skip="$H" count=$((65536 - H - 5008)) status=none
	dd if="$P/evil" bs=64K iflag=skip_bytes skip=65536 status=none
} >"$P/deep"
chown "$uid" "$P/deep"
qemu-img info -U "$P/deep" | grep -q "data file: $host" || die "qemu-img does not see the deep data file"
out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE p1 deep || true)
[ "$out" = "error: qcow2 data file '$host' of volume 'deep' is not a volume of an active storage pool" ] ||
	die "data file name past 4 KiB: $out"

# The feature bit without a name: QEMU would need a data-file option; refused too.
off=$(grep -obUa DATA "$P/evil" | head -n1 | cut -d: -f1)
cp "$P/evil" "$P/nameless"
printf 'XXXX' | dd of="$P/nameless" bs=1 seek="$off" conv=notrunc status=none
chown "$uid" "$P/nameless"
out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE p1 nameless || true)
[ "$out" = "error: volume 'nameless' needs a qcow2 external data file but its header names none" ] ||
	die "feature bit alone: $out"

# A data file that is a volume of the pool: described, but not handed to QEMU.
"$SEPVIRSH" vol-create-as p1 data 1M >/dev/null
qemu-img create -q -f qcow2 -o data_file="$P/data" "$P/inpool" 1M
chown "$uid" "$P/inpool"
"$SEPVIRSH" vol-dumpxml --pool p1 inpool | grep -q "<format type='qcow2'/>" || die "vol-dumpxml of inpool"
out=$("$STORAGED_PROBE" open "$SOCK" $STORAGE p1 inpool || true)
[ "$out" = "error: qcow2 data file '$P/data' of volume 'inpool' cannot be handed to QEMU as a file descriptor: images with an external data file are not supported" ] ||
	die "VOL_OPEN of a data file inside the pool: $out"

# The pool still starts (a guest must not be able to keep it down), lists the volumes and
# deletes them.
"$SEPVIRSH" pool-destroy p1 >/dev/null
"$SEPVIRSH" pool-start p1 >/dev/null || die "pool-start with a refused volume inside"
"$SEPVIRSH" vol-list p1 | grep -q ' evil ' || die "evil not listed"
for v in evil guest deep nameless inpool; do
	"$SEPVIRSH" vol-delete --pool p1 "$v" >/dev/null || die "vol-delete $v"
done
"$SEPVIRSH" pool-refresh p1 | grep -q "Pool p1 refreshed" || die "pool-refresh once they are gone"
[ "$(cat "$host")" = SECRET ] || die "the host file changed"
echo "PASS: qcow2 images naming an external data file are refused by name"
