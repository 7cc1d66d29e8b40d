#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bash completion of sepvirsh (data/bash-completion/sepvirsh), sourced in bash with
# COMP_WORDS/COMP_CWORD set as bash sets them: commands, each command's options, option values,
# and the names of domains, networks, pools and volumes of a running suite, asked through the read-only
# socket (an ordinary user completes them too).
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/../storaged/lib.sh"
trap suite_stop EXIT
storage_start
COMPLETION=$abs_top_srcdir/data/bash-completion/sepvirsh

cat >"$SEPVIRT_ROOT/web1.xml" <<XML
<domain type='qemu'><name>web1</name><memory>65536</memory><os><type>hvm</type></os></domain>
XML
sed 's/web1/web2/' "$SEPVIRT_ROOT/web1.xml" >"$SEPVIRT_ROOT/web2.xml"
sed 's/web1/db1/' "$SEPVIRT_ROOT/web1.xml" >"$SEPVIRT_ROOT/db1.xml"
for d in web1 web2 db1; do "$SEPVIRSH" define "$SEPVIRT_ROOT/$d.xml" >/dev/null || die "define $d"; done
pool_up pool1
pool_up pool2
"$SEPVIRSH" vol-create-as pool1 disk-a 1M >/dev/null || die "vol-create-as disk-a"
"$SEPVIRSH" vol-create-as pool1 disk-b 1M --format qcow2 >/dev/null || die "vol-create-as disk-b"
"$SEPVIRSH" vol-create-as pool2 other 1M >/dev/null || die "vol-create-as other"
echo "<network><name>lan1</name><forward mode='open'/></network>" >"$SEPVIRT_ROOT/lan1.xml"
"$SEPVIRSH" net-define "$SEPVIRT_ROOT/lan1.xml" >/dev/null || die "net-define lan1"

# complete [as USER] WORD...: what bash offers for the last word (sorted, one line).
complete_words() {
	local -a pre=()
	if [ "$1" = as ]; then
		pre=(setpriv --reuid "$2" --regid nogroup --clear-groups env SEPVIRT_ROOT="$SEPVIRT_ROOT")
		shift 2
	fi
	"${pre[@]}" bash --norc --noprofile -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_sepvirsh sepvirsh "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " " | sed "s/ $//"' \
		complete-test "$COMPLETION" "$SEPVIRSH" "$@"
}
# expect WANT WORD...
expect() {
	local want=$1 got
	shift
	got=$(complete_words "$@") || die "completion of '$*' failed"
	[ "$got" = "$want" ] || die "completing '${*: -1}' after '${*:1:$#-1}': got '$got', expected '$want'"
}

# The completion file registers itself for sepvirsh.
bash --norc --noprofile -c 'source "$1"; complete -p sepvirsh' x "$COMPLETION" | grep -q -- '-F _sepvirsh sepvirsh' ||
	die "the completion does not register _sepvirsh for sepvirsh"

# Commands and global options.
expect "pool-autostart pool-build pool-define pool-destroy pool-dumpxml pool-info pool-list pool-refresh pool-start pool-undefine" pool-
expect "domid domifaddr domiflist domifstat dominfo" domi
expect "domstate domstats" domst
expect "--readonly" --re
expect "lxc:///system" -c lx
# Options of a command, as `sepvirsh help COMMAND` lists them, less those given already.
expect "--all --autostart" list --a
expect "--autostart" list --all --name --a
expect "--allocation --backing-vol --backing-vol-format --format" vol-create-as pool1 v 1M --
expect "qcow2 raw" vol-create-as pool1 v 1M --format ""
# Names from the running suite.
expect "db1 web1 web2" start ""
expect "web1 web2" dumpxml we
# an optional positional ([<domain>]...) is completed too
expect "web1 web2" domstats we
expect "--human" domblkstat web1 --h
expect "web2" -c qemu:///system -r domstate web2
expect "pool1 pool2" pool-info ""
expect "lan1" net-info ""
expect "pool1 pool2" vol-list ""
expect "pool1 pool2" vol-info --pool ""
expect "disk-a disk-b" vol-info --pool pool1 ""
expect "disk-a disk-b" vol-info --pool=pool1 disk-
expect "other" vol-path --pool pool2 ""
expect "disk-a disk-b" vol-resize --pool pool1 d
expect "disk-a disk-b" vol-create-as pool1 v 1M --backing-vol ""
# vol-create's first argument is a pool, its second a file.
expect "pool2" vol-create pool2
out=$(cd "$SEPVIRT_ROOT" && complete_words vol-create pool1 web)
[ "$out" = "web1.xml web2.xml" ] || die "file completion after a pool: '$out'"
# A command with nothing left to complete offers nothing.
expect "" domstate web1 ""
# An ordinary user completes through the read-only socket.
expect "db1 web1 web2" as nobody destroy ""
expect "disk-a disk-b" as nobody vol-info --pool pool1 ""
echo "PASS: bash completion of commands, options and names"
