#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# libvirt's own pool and volume test inputs (../shared/testdata/libvirt/{pool,volume}/in):
# each is accepted, or refused with an error that names what is not supported.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
D="${SHARED_TESTDATA:-$abs_top_srcdir/../shared/testdata}/libvirt"
[ -d "$D/pool/in" ] || skip "no libvirt test inputs at $D"
trap suite_stop EXIT
# uid 744 (vol-file*.xml's owner) may own volumes only because the policy lists it
export SEPVIRT_STORAGE_OWNERS=744
storage_start
pool_up p1

# file -> what the answer must contain ("defined"/"created" for accepted inputs)
declare -A want=(
	[pool/in/pool-dir.xml]="Pool virtimages defined"
	[pool/in/pool-iscsi.xml]="storage pool type 'iscsi' is not supported"
	[pool/in/pool-logical-create.xml]="storage pool type 'logical' is not supported"
	[pool/in/pool-netfs.xml]="storage pool type 'netfs' is not supported"
	# group 0 (root's) is never given; and mode 0 for owner 744 would lock storaged out
	[volume/in/vol-file.xml]="volume 'sparse.img': group '0' is not allowed"
	[volume/in/vol-file-naming.xml]="volume '<sparse>.img': group '0' is not allowed"
	[volume/in/vol-logical.xml]="element 'source/device' is not supported"
	[volume/in/vol-qcow2.xml]="backing store '/dev/null' of volume 'OtherDemo.img' is not a volume of an active storage pool"
)
n=0
for f in "$D"/pool/in/*.xml "$D"/volume/in/*.xml; do
	rel=${f#"$D"/}
	case $rel in
	pool/*) out=$("$SEPVIRSH" pool-define "$f" 2>&1 || true) ;;
	volume/*)
		# 1 TiB sparse files do not fit the test's filesystem: shrink the size, keep the rest
		sed 's|<capacity unit="TiB">1</capacity>|<capacity unit="MiB">1</capacity>|' "$f" >"$SEPVIRT_ROOT/v.xml"
		out=$("$SEPVIRSH" vol-create p1 "$SEPVIRT_ROOT/v.xml" 2>&1 || true)
		;;
	esac
	exp=${want[$rel]:-created}
	case $out in *"$exp"*) ;; *) die "$rel: expected '$exp' in: $out" ;; esac
	log "$rel: $(tail -n1 <<<"$out" | head -c 150)"
	n=$((n + 1))
done
[ $n -ge 8 ] || die "only $n inputs"
# what was accepted is really there
"$SEPVIRSH" pool-dumpxml virtimages | grep -q "<path>/var/lib/libvirt/images</path>" || die "pool-dir.xml not kept"
# with its own group and mode 0: storaged (no CAP_DAC_OVERRIDE) could never read it again
gid=$(storaged_gid)
sed -e 's|<capacity unit="TiB">1</capacity>|<capacity unit="MiB">1</capacity>|' \
	-e "s|<group>0</group>|<group>$gid</group>|" "$D/volume/in/vol-file.xml" >"$SEPVIRT_ROOT/v.xml"
expect_fail "mode 0" "permissions (mode 00, owner 744, group $gid) of volume 'sparse.img' would lock sepvirt-storaged" \
	"$SEPVIRSH" vol-create p1 "$SEPVIRT_ROOT/v.xml"
# the same volumes with permissions storaged can live with: created, owner and mode applied
sed -e 's|<capacity unit="TiB">1</capacity>|<capacity unit="MiB">1</capacity>|' -e 's|<mode>0</mode>|<mode>0660</mode>|' \
	-e "s|<group>0</group>|<group>$gid</group>|" "$D/volume/in/vol-file-naming.xml" >"$SEPVIRT_ROOT/v.xml"
"$SEPVIRSH" vol-create p1 "$SEPVIRT_ROOT/v.xml" | grep -q "Vol <sparse>.img created" || die "vol-file-naming.xml with usable permissions"
"$SEPVIRSH" vol-info --pool p1 '<sparse>.img' | grep -Eq '^Capacity: +1.00 MiB$' || die "vol-info of <sparse>.img"
[ "$(stat -c '%a %u' "$POOLS/p1/<sparse>.img")" = "660 744" ] || die "mode/owner: $(stat -c '%a %u' "$POOLS/p1/<sparse>.img")"
"$SEPVIRSH" vol-dumpxml --pool p1 '<sparse>.img' | grep -q '<name>&lt;sparse&gt;.img</name>' || die "name not escaped in XML"
echo "PASS: libvirt's pool and volume inputs accepted or refused by name"
