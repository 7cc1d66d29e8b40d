#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The man pages cannot drift from the programs: every command `sepvirsh help` lists is in
# sepvirsh(1) with each option and argument `sepvirsh help COMMAND` gives it, sepvirsh(1)
# documents no command that does not exist, and every option of each daemon's --help and of
# sepvirtd's is in its man page. Needs no root and no running suite.
set -uo pipefail
: "${abs_top_builddir:?}" "${abs_top_srcdir:?}"
man=$abs_top_srcdir/man
sepvirsh=$abs_top_builddir/sepvirsh
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

cmds=$("$sepvirsh" help | awk '/^Commands:/ { f = 1; next } f && NF { print $1 }')
[ "$(echo "$cmds" | wc -w)" -ge 30 ] || bad "sepvirsh help lists too few commands: $cmds"
for c in $cmds; do
	# The command's entry: a line that starts with *command*.
	entry=$(grep -E "^\*$c\*( |$)" "$man/sepvirsh.1.scd" | head -n1)
	if [ -z "$entry" ]; then
		bad "sepvirsh(1) has no entry for the command '$c'"
		continue
	fi
	synopsis=$("$sepvirsh" help "$c" | sed -n '/SYNOPSIS/{n;p}')
	[ -n "$synopsis" ] || bad "sepvirsh help $c prints no SYNOPSIS"
	for o in $(echo "$synopsis" | grep -o -E -- '--[a-z][a-z-]*'); do
		case "$entry" in *"*$o*"*) ;; *) bad "sepvirsh(1): '$c' does not list its option $o (entry: $entry)" ;; esac
	done
	for a in $(echo "$synopsis" | sed 's/\[[^]]*\]//g' | grep -o -E '<[a-z-]+>' | tr -d '<>'); do
		case "$entry" in *"_${a}_"*) ;; *) bad "sepvirsh(1): '$c' does not show its argument <$a>" ;; esac
	done
done
# And nothing stale: every entry of the COMMANDS section is a real command.
for c in $(sed -n '/^# COMMANDS/,/^# EXIT STATUS/p' "$man/sepvirsh.1.scd" | grep -o -E '^\*[a-z-]+\*' | tr -d '*'); do
	echo "$cmds help" | grep -qx -- "$c" || echo " $cmds help " | grep -q -- " $c " ||
		bad "sepvirsh(1) documents '$c', which sepvirsh does not have"
done
# Global options.
for o in $("$sepvirsh" --help | sed -n '1,/^Commands:/p' | grep -o -E -- '--[a-z][a-z-]*' | sort -u); do
	grep -q -F -- "*$o*" "$man/sepvirsh.1.scd" || bad "sepvirsh(1) does not list the global option $o"
done

for d in sepvirtd sepvirt-proxyd sepvirt-qemud sepvirt-lxcd sepvirt-netd sepvirt-storaged; do
	page=$man/$d.8.scd
	[ -f "$page" ] || { bad "no man page $d(8)"; continue; }
	help=$("$abs_top_builddir/$d" --help) || bad "$d --help failed"
	opts=$(echo "$help" | grep -o -E -- '--[a-z][a-z-]*' | sort -u)
	[ -n "$opts" ] || bad "$d --help lists no option"
	for o in $opts; do
		grep -q -F -- "*$o*" "$page" || bad "$d(8) does not list the option $o"
	done
	for v in $(echo "$help" | grep -o -E 'SEPVIRT_[A-Z_]+' | sort -u); do
		grep -q -F -- "$v" "$page" "$man/sepvirt.conf.5.scd" || bad "$d(8) nor sepvirt.conf(5) mentions $v"
	done
done
[ $fail -eq 0 ] && echo "man pages list every command, option and argument"
exit $fail
