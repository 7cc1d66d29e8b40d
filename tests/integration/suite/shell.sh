#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirsh without a command is virsh's interactive shell: commands from standard input, split
# as virsh splits them (quotes, backslashes, ';'), run on one connection, errors reported and
# the shell going on, connect switching the connection, quit ending it; on a terminal it edits
# lines with libedit and keeps their history in $XDG_CACHE_HOME/sepvirsh/history.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
need_cmd script
trap suite_stop EXIT
suite_start

out=$(printf '%s\n' "echo 'a b' \"c\\\" d\" e\\ f; uri" "dominfo nosuch" "connect lxc:///system" "uri" \
	"list --all --name" "quit" "uri" | "$SEPVIRSH" 2>&1) || die "the shell failed: $out"
expected="Welcome to sepvirsh, the virtualization interactive terminal.

Type:  'help' for help with commands
       'quit' to quit

sepvirsh # echo 'a b' \"c\\\" d\" e\\ f; uri
a b c\" d e f
qemu:///system

sepvirsh # dominfo nosuch
error: failed to get domain 'nosuch'

sepvirsh # connect lxc:///system

sepvirsh # uri
lxc:///system

sepvirsh # list --all --name

sepvirsh # quit"
[ "$out" = "$expected" ] || die "transcript differs:
--- got
$out
--- expected
$expected"
# a quote left open is an error; the shell goes on
out=$(printf '%s\n' "echo 'open" "echo next" | "$SEPVIRSH" 2>&1)
echo "$out" | grep -qx "error: missing '" && echo "$out" | grep -qx "next" || die "open quote: $out"

# On a terminal: libedit, and the history kept.
export XDG_CACHE_HOME=$SEPVIRT_ROOT/cache
out=$( (sleep 1; printf 'uri\r'; sleep 1; printf 'quit\r') | timeout 30 script -qec "$SEPVIRSH" /dev/null 2>&1) ||
	die "the shell on a terminal: $out"
echo "$out" | tr -d '\r' | grep -qx "qemu:///system" || die "uri on a terminal: $out"
grep -qx "uri" "$XDG_CACHE_HOME/sepvirsh/history" || die "no history: $(cat "$XDG_CACHE_HOME/sepvirsh/history" 2>&1)"
echo "PASS: the interactive shell: splitting, errors, connect, quit, libedit history"
