#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# vol-upload and vol-download stream through proxyd in 1 MiB chunks: the data round-trips; as
# libvirt's, an upload writes in place (a shorter upload keeps the rest and the size of the
# volume, an empty one changes nothing); an upload shorter or longer than announced, or aborted,
# leaves the volume as it was and no temp file behind; the format is detected again from what
# was uploaded.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
need_cmd qemu-img
trap suite_stop EXIT
storage_start
pool_up p1
P="$POOLS/p1"
PROXY="$SEPVIRT_ROOT/run/proxyd.sock"
T="$SEPVIRT_ROOT/t"
mkdir -p "$T"

"$SEPVIRSH" vol-create-as p1 v 1M >/dev/null
head -c $((5 * 1024 * 1024 + 12345)) /dev/urandom >"$T/up"
out=$("$SEPVIRSH" vol-upload --pool p1 v "$T/up") || die "vol-upload: $out"
cmp "$T/up" "$P/v" || die "uploaded data differs"
"$SEPVIRSH" vol-download --pool p1 v "$T/down" || die "vol-download"
cmp "$T/up" "$T/down" || die "downloaded data differs"
[ "$(stat -c '%a %U' "$P/v")" = "600 $SUITE_STORAGE_USER" ] || die "mode/owner lost: $(stat -c '%a %U' "$P/v")"

# in place: a shorter upload keeps the rest of the volume and its size; an empty one changes nothing
head -c 1048576 /dev/urandom >"$T/short"
"$SEPVIRSH" vol-upload --pool p1 v "$T/short" || die "upload of 1 MiB"
cmp <(cat "$T/short"; tail -c +1048577 "$T/up") "$P/v" ||
	die "a 1 MiB upload into a $(stat -c %s "$T/up")-byte volume did not keep the rest ($(stat -c %s "$P/v") bytes)"
: >"$T/empty"
sum=$(md5sum <"$P/v")
"$SEPVIRSH" vol-upload --pool p1 v "$T/empty" || die "upload of an empty file"
[ "$(md5sum <"$P/v")" = "$sum" ] || die "an empty upload changed the volume"
# --offset/--length, as virsh takes them: the data go there; a file longer than --length is
# refused and nothing is written; a download reads the range asked for
head -c 1000 /dev/urandom >"$T/k"
cp "$P/v" "$T/before"
"$SEPVIRSH" vol-upload --pool p1 v "$T/k" --offset 123456 --length 1000 || die "vol-upload --offset --length"
cmp <(head -c 123456 "$T/before"; cat "$T/k"; tail -c +124457 "$T/before") "$P/v" || die "vol-upload --offset 123456: other bytes"
expect_fail "upload past --length" "1000 bytes announced but the length given is 999" \
	"$SEPVIRSH" vol-upload --pool p1 v "$T/k" --offset 0 --length 999
cmp <(head -c 123456 "$T/before"; cat "$T/k"; tail -c +124457 "$T/before") "$P/v" || die "a refused upload changed the volume"
"$SEPVIRSH" vol-download --pool p1 v "$T/range" --offset 123456 --length 1000 || die "vol-download --offset --length"
cmp "$T/k" "$T/range" || die "vol-download --offset 123456 --length 1000: other bytes"
"$SEPVIRSH" vol-download --pool p1 v "$T/range" --offset 2000000 --length 3000000 || die "vol-download over chunks"
cmp <(tail -c +2000001 "$P/v" | head -c 3000000) "$T/range" || die "vol-download --offset 2000000 --length 3000000: other bytes"
expect_fail "malformed --offset" "Numeric value 'x1' for <offset> option is malformed or out of range" \
	"$SEPVIRSH" vol-download --pool p1 v "$T/range" --offset x1
# a qcow2 image: the format follows the content
"$SEPVIRSH" vol-delete --pool p1 v >/dev/null && "$SEPVIRSH" vol-create-as p1 v 1M >/dev/null || die "re-create v"
qemu-img create -q -f qcow2 "$T/img.qcow2" 256M
"$SEPVIRSH" vol-upload --pool p1 v "$T/img.qcow2" || die "upload of a qcow2 image"
"$SEPVIRSH" vol-dumpxml --pool p1 v | grep -q "<format type='qcow2'/>" || die "format not detected after upload"
"$SEPVIRSH" vol-info --pool p1 v | grep -Eq '^Capacity: +256.00 MiB$' || die "capacity after upload"
"$SEPVIRSH" vol-upload --pool p1 v "$T/up" >/dev/null
sum=$(md5sum <"$P/v")

nontmp() { [ -z "$(ls -A "$P" | grep -v '^v$' || true)" ] || die "left in the pool: $(ls -A "$P")"; }
out=$("$STORAGED_PROBE" upload "$PROXY" p1 v 3000000 2000000 final || true)
case $out in *"ended after 2000000 bytes, but 3000000 were announced"*) ;; *) die "short upload: $out" ;; esac
[ "$(md5sum <"$P/v")" = "$sum" ] || die "a short upload changed the volume"
nontmp
out=$("$STORAGED_PROBE" upload "$PROXY" p1 v 1500000 2500000 final || true)
case $out in *"longer than the 1500000 bytes announced"*) ;; *) die "long upload: $out" ;; esac
[ "$(md5sum <"$P/v")" = "$sum" ] || die "a long upload changed the volume"
nontmp
out=$("$STORAGED_PROBE" upload "$PROXY" p1 v 3000000 2000000 abort)
[ "$out" = "ok 2000000" ] || die "abort: $out"
[ "$(md5sum <"$P/v")" = "$sum" ] || die "an aborted upload changed the volume"
nontmp
expect_fail "upload to a missing volume" "no storage vol with matching name 'nope'" "$SEPVIRSH" vol-upload --pool p1 nope "$T/up"
expect_fail "read-only connection" "read only access prevents virStorageVolUpload" "$SEPVIRSH" -r vol-upload --pool p1 v "$T/up"
# A guest's disk is data: the read-only socket (mode 0666, any local user) refuses to hand it out,
# as libvirt does, and nothing is written.
expect_fail "vol-download on the read-only socket" "read only access prevents virStorageVolDownload" \
	setpriv --reuid nobody --regid nogroup --clear-groups "$SEPVIRSH" -r vol-download --pool p1 v /tmp/sv-never-$$
[ ! -e /tmp/sv-never-$$ ] || { rm -f /tmp/sv-never-$$; die "the refused download wrote a file"; }
echo "PASS: upload/download round trip; short, long and aborted uploads leave the volume unchanged; no download on the read-only socket"
