#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# libvirt's own LXC test inputs (../shared/testdata/libvirt/lxc), defined through proxyd and
# sepvirt-lxcd: each is accepted, or refused with an error that names what is not supported.
# An accepted one is really kept (dumpxml); a refused one leaves nothing defined.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
D="${SHARED_TESTDATA:-$abs_top_srcdir/../shared/testdata}/libvirt/lxc"
[ -d "$D" ] || skip "no libvirt test inputs at $D"
in_netns "$@"
trap suite_stop EXIT
suite_start
V="$SEPVIRSH -c $LXC"

# file -> what the answer must contain
declare -A want=(
	[lxc-capabilities.xml]="element 'features/capabilities' is not supported"
	[lxc-ethernet.xml]="element 'interface/ip' is not supported"
	[lxc-ethernet-hostip.xml]="element 'interface/ip' is not supported"
	[lxc-sharenet.xml]="element 'lxc:namespace' is not supported"
)
n=0
for f in "$D"/*.xml; do
	b=$(basename "$f")
	name=$(sed -n 's|.*<name>\(.*\)</name>.*|\1|p' "$f" | head -n1)
	out=$($V define "$f" 2>&1 || true)
	exp=${want[$b]:-"Domain '$name' defined from $f"}
	case $out in *"$exp"*) ;; *) die "$b: expected '$exp' in: $out" ;; esac
	if [ -n "${want[$b]:-}" ]; then
		[ -z "$($V list --all --name)" ] || die "$b was refused but left a definition: $($V list --all --name)"
	else
		# what was accepted is what was given: name, uuid, init, interfaces' guest dev
		x=$($V dumpxml "$name")
		uuid=$(sed -n 's|.*<uuid>\(.*\)</uuid>.*|\1|p' "$f")
		grep -q "<uuid>$uuid</uuid>" <<<"$x" || die "$b: uuid lost: $x"
		grep -q "<init>$(sed -n 's|.*<init>\(.*\)</init>.*|\1|p' "$f")</init>" <<<"$x" || die "$b: init lost: $x"
		if g=$(grep -o "<guest dev='[^']*'/>" "$f"); then
			grep -qF "$g" <<<"$x" || die "$b: $g lost: $x"
		fi
		$V undefine "$name" >/dev/null || die "$b: undefine"
	fi
	log "$b: $(tail -n1 <<<"$out" | head -c 150)"
	n=$((n + 1))
done
[ $n -ge 8 ] || die "only $n inputs"
log "ok: libvirt's LXC inputs accepted or refused by name"
