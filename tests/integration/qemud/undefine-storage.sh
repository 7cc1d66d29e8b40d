#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# undefine --remove-all-storage and --storage: the volumes of the domain's disks (a volume disk,
# and a file disk that is a volume of an active pool) are deleted through sepvirt-storaged after
# the domain is undefined; a file that is no volume is left and named; a --storage name that is
# none of the domain's disks is refused before anything is done; virsh's exclusive options;
# --nvram on a domain without NVRAM changes nothing more.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

trap qemud_stop EXIT
suite_start
qemud_vmdir
qemud_dir_pool sp
for v in a b c; do "$SEPVIRSH" vol-create-as sp $v 1M >/dev/null || die "vol-create-as $v"; done
bpath=$("$SEPVIRSH" vol-path --pool sp b) || die "vol-path b"
IMAGES=$SEPVIRT_ROOT/lib/images
mkdir -p "$IMAGES"
truncate -s 1M "$IMAGES/x.img"

vol() { echo "<disk type='volume' device='disk'><driver name='qemu' type='raw'/><source pool='sp' volume='$1'/><target dev='$2' bus='virtio'/></disk>"; }
file() { echo "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$1'/><target dev='$2' bus='virtio'/></disk>"; }
vols() { "$SEPVIRSH" vol-list sp | awk 'NR > 2 && NF { print $1 }' | tr '\n' ' '; }

define_guest u1 "" "$(vol a vda) $(file "$bpath" vdb) $(file "$IMAGES/x.img" vdc)"
expect_fail "--storage and --remove-all-storage" "Options --storage and --remove-all-storage are mutually exclusive" \
    "$SEPVIRSH" undefine u1 --storage vda --remove-all-storage
expect_fail "--nvram and --keep-nvram" "Options --nvram and --keep-nvram are mutually exclusive" \
    "$SEPVIRSH" undefine u1 --nvram --keep-nvram
expect_fail "--storage with a disk the domain has not" "Volume 'vdz' was not found in domain's definition." \
    "$SEPVIRSH" undefine u1 --storage vda,vdz
"$SEPVIRSH" domuuid u1 >/dev/null || die "u1 went away after a refused undefine"
[ "$(vols)" = "a b c " ] || die "volumes after a refused undefine: $(vols)"

out=$("$SEPVIRSH" undefine u1 --remove-all-storage --nvram 2>"$SEPVIRT_ROOT/err") || die "undefine --remove-all-storage: $out $(cat "$SEPVIRT_ROOT/err")"
[ "$out" = "$(printf "Domain 'u1' has been undefined\nVolume 'vda'(a) removed.\nVolume 'vdb'(%s) removed." "$bpath")" ] ||
    die "undefine --remove-all-storage printed: $out"
grep -qF "error: Storage volume 'vdc'($IMAGES/x.img) is not managed by sepvirt. Remove it manually." "$SEPVIRT_ROOT/err" ||
    die "undefine --remove-all-storage: no word on the file that is no volume: $(cat "$SEPVIRT_ROOT/err")"
[ "$(vols)" = "c " ] || die "volumes after undefine --remove-all-storage: $(vols)"
[ -f "$IMAGES/x.img" ] || die "the file that is no volume was removed"
expect_fail "u1 after undefine" "failed to get domain 'u1'" "$SEPVIRSH" domuuid u1

define_guest u2 "" "$(vol c vda) $(file "$IMAGES/x.img" vdb)"
out=$("$SEPVIRSH" undefine u2 --storage "$IMAGES/x.img,vda" 2>"$SEPVIRT_ROOT/err") || die "undefine --storage: $out $(cat "$SEPVIRT_ROOT/err")"
[ "$out" = "$(printf "Domain 'u2' has been undefined\nVolume 'vda'(c) removed.")" ] || die "undefine --storage printed: $out"
grep -qF "Storage volume 'vdb'($IMAGES/x.img) is not managed by sepvirt" "$SEPVIRT_ROOT/err" || die "undefine --storage: $(cat "$SEPVIRT_ROOT/err")"
[ "$(vols)" = "" ] || die "volumes after undefine --storage vda: $(vols)"
[ -f "$IMAGES/x.img" ] || die "undefine --storage removed a file that is no volume"
echo "undefine-storage: ok"
