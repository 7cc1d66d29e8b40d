#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirsh edit, domblklist and dumpxml --xpath as virsh's: edit runs $EDITOR on the persistent
# definition and defines it again (not changed / edited / an editor that fails); a definition
# refused is one clear error without a terminal, and on a terminal virsh's question, answered
# y (edit again, then it succeeds) or n (nothing changed); domblklist lists the disks (--details,
# --inactive); --xpath prints the nodes selected (--wrap), and refuses a non-node result.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd script
trap qemud_stop EXIT
suite_start
qemud_vmdir

disks="<disk type='file' device='disk'><source file='$VMDIR/a.img'/><target dev='vda' bus='virtio'/></disk>
<disk type='file' device='cdrom'><source file='$VMDIR/b.iso'/><target dev='hdc' bus='ide'/><readonly/></disk>"
guest_xml e1 "" "$disks" >"$SEPVIRT_ROOT/e1.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/e1.xml" >/dev/null || die "define"

# domblklist and --xpath
out=$("$SEPVIRSH" domblklist e1)
[ "$out" = "$(printf ' Target   Source\n%s\n vda      %s\n hdc      %s' "$(printf -- '-%.0s' $(seq 1 $((9 + ${#VMDIR} + 6 + 3))))" "$VMDIR/a.img" "$VMDIR/b.iso")" ] ||
	die "domblklist: [$out]"
out=$("$SEPVIRSH" domblklist --details e1 --inactive)
echo "$out" | grep -Eqx " file +cdrom +hdc +$VMDIR/b.iso" || die "domblklist --details: [$out]"
echo "$out" | head -n1 | grep -Eqx " Type +Device +Target +Source" || die "domblklist --details header: [$out]"
[ "$("$SEPVIRSH" dumpxml e1 --xpath '//disk/target/@dev')" = "$(printf ' dev="vda"\n dev="hdc"')" ] ||
	die "--xpath of attributes: $("$SEPVIRSH" dumpxml e1 --xpath '//disk/target/@dev')"
[ "$("$SEPVIRSH" dumpxml e1 --xpath '//disk/target' --wrap)" = "$(printf '<nodes>\n  <target dev="vda" bus="virtio"/>\n  <target dev="hdc" bus="ide"/>\n</nodes>')" ] ||
	die "--xpath --wrap: $("$SEPVIRSH" dumpxml e1 --xpath '//disk/target' --wrap)"
expect_fail "--xpath count()" "error: internal error: Incorrect xpath 'count(//disk)'" "$SEPVIRSH" dumpxml e1 --xpath 'count(//disk)'
[ -z "$("$SEPVIRSH" dumpxml e1 --xpath '//nosuch')" ] || die "--xpath of nothing printed something"

# edit
ed=$SEPVIRT_ROOT/ed
printf '#!/bin/sh\nsed -i "s|<vcpu\\([^>]*\\)>1</vcpu>|<vcpu\\\\1>2</vcpu>|" "$1"\n' >"$ed.vcpu"
printf '#!/bin/sh\nsed -i "s|<memory|<memry|" "$1"\n' >"$ed.bad"
# breaks the XML the first time, mends it the second
printf '#!/bin/sh\nif [ -e "%s.once" ]; then sed -i "s|<memry|<memory|; s|<vcpu\\([^>]*\\)>2</vcpu>|<vcpu\\\\1>3</vcpu>|" "$1"; else touch "%s.once"; sed -i "s|<memory|<memry|" "$1"; fi\n' "$ed" "$ed" >"$ed.twice"
chmod +x "$ed".*
out=$(EDITOR=$ed.vcpu "$SEPVIRSH" edit e1) || die "edit: $out"
[ "$(echo "$out" | head -n1)" = "Domain 'e1' XML configuration edited." ] || die "edit said: $out"
"$SEPVIRSH" dumpxml e1 --xpath 'string(//vcpu)' >/dev/null 2>&1 && die "string() is no node set"
[ "$("$SEPVIRSH" dumpxml e1 --inactive | grep -c "<vcpu[^>]*>2</vcpu>")" = 1 ] || die "the edit did not reach the definition"
out=$(EDITOR=true "$SEPVIRSH" edit e1) || die "edit without change"
[ "$(echo "$out" | head -n1)" = "Domain 'e1' XML configuration not changed." ] || die "edit without change said: $out"
expect_fail "an editor that fails" "unexpected exit status 1" env EDITOR=false "$SEPVIRSH" edit e1
rc=0; out=$(EDITOR=$ed.bad "$SEPVIRSH" edit e1 </dev/null 2>&1) || rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "memry" && echo "$out" | grep -qx "error: Failed." || die "a refused edit ($rc): $out"
[ "$("$SEPVIRSH" dumpxml e1 --inactive | grep -c "<vcpu[^>]*>2</vcpu>")" = 1 ] || die "a refused edit changed the definition"
ls "$SEPVIRT_ROOT"/tmp-edit 2>/dev/null && die "temp files left"
# On a terminal: virsh's question; y edits again.
out=$( (sleep 1; printf 'y'; sleep 5) | TMPDIR=$SEPVIRT_ROOT EDITOR=$ed.twice timeout 60 script -qec "$SEPVIRSH edit e1" /dev/null 2>&1) ||
	die "edit on a terminal: $out"
echo "$out" | grep -q "Failed. Try again? \[y,n,i,f,?\]:" || die "no question on a terminal: $out"
echo "$out" | grep -q "Domain 'e1' XML configuration edited." || die "edit after y: $out"
[ "$("$SEPVIRSH" dumpxml e1 --inactive | grep -c "<vcpu[^>]*>3</vcpu>")" = 1 ] || die "the second edit did not reach the definition"
[ -z "$(ls "$SEPVIRT_ROOT" | grep '^sepvirsh.*\.xml$' || true)" ] || die "edit left its temp file: $(ls "$SEPVIRT_ROOT")"
echo "PASS: edit, domblklist and dumpxml --xpath as virsh's"
