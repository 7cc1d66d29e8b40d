#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# save/restore and managedsave with a real TCG guest: the state file is created by sepvirsh (the
# user's own file, its fd passed to qemud), the domain is "shut off (saved)", and restore brings
# the same guest back where it was: its uptime goes on from before the save and a file it wrote
# to its tmpfs is still there (a reboot would lose both). managedsave: start resumes from it,
# dominfo says so, the image is used once; managedsave-remove makes start boot afresh. Bad
# save files (garbage, empty, truncated, another version, a missing file) are refused by name.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd python3
trap 'qemud_stop $?' EXIT
suite_start
qemud_vmdir
F=$SEPVIRT_ROOT/s1.save

# The guest's uptime in seconds (integer part) and its marker, through its console.
guest_state() {
	local out
	# shellcheck disable=SC2016 # expanded by the guest's shell
	out=$(guest_run s1 "${1:-90}" 'echo UP $(cut -d. -f1 /proc/uptime) MARK $(cat /tmp/marker 2>/dev/null || echo none)') ||
		{ echo "$out" >&2; suite_logs; die "the guest's shell did not answer"; }
	echo "$out" | grep "^UP [0-9]" | tail -n1
}

guest_pty_xml s1 >"$SEPVIRT_ROOT/s1.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/s1.xml" >/dev/null || die "define"
"$SEPVIRSH" start s1 >/dev/null || die "start"
guest_run s1 90 'echo saved-state >/tmp/marker' >/dev/null || { suite_logs; die "no shell on the console"; }
sleep 3 # an uptime a fresh boot would not have reached when it is read again
before=$(guest_state)
read -r _ up1 _ mark1 <<<"$before"
[ "$mark1" = "saved-state" ] || die "marker before save: $before"

expect_fail "save on a read-only connection" "read only access prevents virDomainSaveFlags" "$SEPVIRSH" -r save s1 "$F"
expect_fail "save --running --paused" "mutually exclusive" "$SEPVIRSH" save --running --paused s1 "$F"
out=$("$SEPVIRSH" save s1 "$F") || { suite_logs; die "save: $out"; }
[ "$(echo "$out" | head -n1)" = "Domain 's1' saved to $F" ] || die "save printed: $out"
domstate_is s1 "shut off (saved)"
[ -z "$(qemu_pid s1)" ] || die "QEMU still runs after save"
[ "$(head -c 12 "$F")" = "sepvirt-save" ] || die "the file has no sepvirt header"
[ "$(stat -c %U "$F")" = root ] || die "the save file is not the user's: $(stat -c %U "$F")"
grep -a -q "<name>s1</name>" "$F" || die "the file carries no domain XML"
sleep 2

out=$("$SEPVIRSH" restore "$F") || { suite_logs; die "restore: $out"; }
[ "$(echo "$out" | head -n1)" = "Domain restored from $F" ] || die "restore printed: $out"
domstate_is s1 "running (restored)"
after=$(guest_state 20)
read -r _ up2 _ mark2 <<<"$after"
[ "$mark2" = "saved-state" ] || die "the guest lost its tmpfs (rebooted?): $after"
[ "$up2" -ge "$up1" ] || die "uptime went back from $up1 to $up2: the guest rebooted"
echo "uptime $up1 s before save, $up2 s after restore"
expect_fail "restore of a running domain" "is already active" "$SEPVIRSH" restore "$F"

# Bad files, each refused naming the file and what is wrong with it.
head -c 4096 /dev/urandom >"$SEPVIRT_ROOT/garbage"
expect_fail "garbage" "'$SEPVIRT_ROOT/garbage' is not a sepvirt save image" "$SEPVIRSH" restore "$SEPVIRT_ROOT/garbage"
: >"$SEPVIRT_ROOT/empty"
expect_fail "empty" "is not a sepvirt save image" "$SEPVIRSH" restore "$SEPVIRT_ROOT/empty"
head -c 20 "$F" >"$SEPVIRT_ROOT/short"
expect_fail "cut in its header" "is truncated" "$SEPVIRSH" restore "$SEPVIRT_ROOT/short"
head -c 200 "$F" >"$SEPVIRT_ROOT/cut"
expect_fail "cut in its XML" "is truncated" "$SEPVIRSH" restore "$SEPVIRT_ROOT/cut"
python3 - "$F" "$SEPVIRT_ROOT/v9" "$SEPVIRT_ROOT/huge" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read(65536)
open(sys.argv[2], 'wb').write(data[:16] + (9).to_bytes(4, 'little') + data[20:])
open(sys.argv[3], 'wb').write(data[:20] + (0xfffffff0).to_bytes(4, 'little') + data[24:])
PY
expect_fail "another version" "has version 9" "$SEPVIRSH" restore "$SEPVIRT_ROOT/v9"
expect_fail "an XML length out of bounds" "is corrupt" "$SEPVIRSH" restore "$SEPVIRT_ROOT/huge"
expect_fail "a missing file" "Failed to open file '$SEPVIRT_ROOT/nope'" "$SEPVIRSH" restore "$SEPVIRT_ROOT/nope"
domstate_is s1 "running (restored)"

# managedsave: start resumes from it, once.
[ "$("$SEPVIRSH" dominfo s1 | grep '^Managed save:')" = "Managed save:   no" ] || die "dominfo before managedsave"
out=$("$SEPVIRSH" managedsave s1) || { suite_logs; die "managedsave: $out"; }
[ "$(echo "$out" | head -n1)" = "Domain 's1' state saved by libvirt" ] || die "managedsave printed: $out"
domstate_is s1 "shut off (saved)"
[ "$("$SEPVIRSH" dominfo s1 | grep '^Managed save:')" = "Managed save:   yes" ] || die "dominfo after managedsave"
[ "$("$SEPVIRSH" -r dominfo s1 | grep '^Managed save:')" = "Managed save:   yes" ] || die "dominfo read-only"
[ "$("$SEPVIRSH" list --all --with-managed-save --name | head -n1)" = s1 ] || die "list --with-managed-save"
[ -z "$("$SEPVIRSH" list --all --without-managed-save --name | head -n1)" ] || die "list --without-managed-save"
"$SEPVIRSH" list --all --managed-save | grep -Eq '^ -    s1     saved$' || die "list --managed-save: $("$SEPVIRSH" list --all --managed-save)"
[ "$("$SEPVIRSH" start s1 | head -n1)" = "Domain 's1' started" ] || { suite_logs; die "start from the managed save"; }
domstate_is s1 "running (restored)"
read -r _ up3 _ mark3 <<<"$(guest_state 20)"
[ "$mark3" = "saved-state" ] && [ "$up3" -ge "$up2" ] || die "start did not resume the managed save: up $up3 mark $mark3"
[ "$("$SEPVIRSH" dominfo s1 | grep '^Managed save:')" = "Managed save:   no" ] || die "the image outlived its use"

# managedsave-remove: the next start is a fresh boot.
"$SEPVIRSH" managedsave s1 >/dev/null || die "managedsave again"
[ "$("$SEPVIRSH" managedsave-remove s1 | head -n1)" = "Removed managedsave image for domain 's1'" ] || die "managedsave-remove"
[ "$("$SEPVIRSH" managedsave-remove s1 | head -n1)" = "Domain 's1' has no manage save image; removal skipped" ] ||
	die "managedsave-remove without an image"
"$SEPVIRSH" start s1 >/dev/null || die "start after managedsave-remove"
domstate_is s1 "running (booted)"
read -r _ _ _ mark4 <<<"$(guest_state)"
[ "$mark4" = "none" ] || die "start after managedsave-remove did not boot afresh: marker $mark4"

# A transient domain cannot have a managed save; its plain save restores it transient again.
"$SEPVIRSH" destroy s1 >/dev/null
"$SEPVIRSH" undefine s1 >/dev/null
"$SEPVIRSH" create "$SEPVIRT_ROOT/s1.xml" >/dev/null || die "create"
expect_fail "managedsave of a transient domain" "transient domain" "$SEPVIRSH" managedsave s1
"$SEPVIRSH" save s1 "$F" >/dev/null || { suite_logs; die "save of a transient domain"; }
"$SEPVIRSH" list --all --name | grep -qx s1 && die "a saved transient domain is still listed"
"$SEPVIRSH" restore --paused "$F" >/dev/null || { suite_logs; die "restore --paused"; }
domstate_is s1 "paused (user)"
[ "$("$SEPVIRSH" dominfo s1 | grep '^Persistent:')" = "Persistent:     no" ] || die "restored transient domain is persistent"
"$SEPVIRSH" destroy s1 >/dev/null
echo "PASS: save/restore and managedsave keep the guest running where it was; bad files refused"
