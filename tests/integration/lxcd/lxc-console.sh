#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# virsh console for a container: lxcd connects to the container's console relay and hands the
# connection through proxyd; a command typed into it is run by the container's shell, whose
# answer comes back (and is in the console log too). The relay does not depend on lxcd: after
# lxcd is killed and restarted the console still works. Refusals: a stopped container, a
# device it does not have.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
in_netns "$@"
cpid=
trap 'rc=$?; exec 7>&- 2>/dev/null || true; kill ${cpid:-} 2>/dev/null || true; suite_stop $rc' EXIT
lxc_suite_start

lxc_define cbox "$ROOTFS" 'echo SHELL-READY; while read -r l; do eval "$l"; done'
expect_fail "console of a stopped container" "domain is not running" $V console cbox </dev/null
$V start cbox >/dev/null
wait_console cbox SHELL-READY || die "the container's shell did not start"
expect_fail "no such device" "has no character device 'serial0'" $V console --devname serial0 cbox </dev/null
# the relay (a child of sepvirtd, the subreaper): no capability, no_new_privs, its allowlist
relay=$(pgrep -P "$SUITE_PID" -x sepvirt-lxc-con | head -n1)
[ -n "$relay" ] || die "no console relay"
[ "$(proc_status "$relay" CapEff)" = 0000000000000000 ] || die "the relay holds capabilities"
[ "$(proc_status "$relay" NoNewPrivs)" = 1 ] || die "the relay lacks no_new_privs"
[ "$(proc_status "$relay" Seccomp)" = 2 ] || die "the relay runs without a seccomp filter"

# round trip N: type a command, read its answer, leave with Ctrl+]
round_trip() {
	rm -f "$SEPVIRT_ROOT/in"
	mkfifo "$SEPVIRT_ROOT/in"
	$V console cbox <"$SEPVIRT_ROOT/in" >"$SEPVIRT_ROOT/out" 2>&1 &
	cpid=$!
	exec 7>"$SEPVIRT_ROOT/in"
	local ok=0
	for _ in $(seq 50); do
		printf 'echo ANSWER-%s-$((6*7))\n' "$1" >&7
		if grep -q "ANSWER-$1-42" "$SEPVIRT_ROOT/out"; then ok=1; break; fi
		sleep 0.2
	done
	[ $ok = 1 ] || { cat "$SEPVIRT_ROOT/out" >&2; die "round $1: the container's shell did not answer through the console"; }
	printf '\035' >&7
	exec 7>&-
	wait "$cpid" || die "round $1: sepvirsh console did not end cleanly on Ctrl+]"
	cpid=
	grep -q "^Connected to domain 'cbox'" "$SEPVIRT_ROOT/out" || die "round $1: no banner"
	wait_console cbox "ANSWER-$1-42" || die "round $1: the answer is not in the console log"
}
round_trip 1
old=$(daemon_pid lxcd)
kill -9 "$old"
wait_pid_exit "$old" 5 || die "lxcd did not die"
for _ in $(seq 50); do [ "$(lxc_state cbox)" = running ] && break; sleep 0.1; done
round_trip 2
$V destroy cbox >/dev/null
log "ok: container console round trips, across an lxcd restart"
