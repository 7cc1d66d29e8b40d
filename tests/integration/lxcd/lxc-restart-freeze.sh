#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Suspend/resume through the cgroup freezer; lxcd killed with SIGKILL while a container runs
# (and while one is paused): after its restart both are still there and controllable.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
in_netns "$@"
trap suite_stop EXIT
lxc_suite_start

# a ticking init: the console log grows while it runs
lxc_define tick "$ROOTFS" 'trap "exit 0" TERM; i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.05; done'
lxc_define idle "$ROOTFS" 'while :; do sleep 1; done'
$V start tick >/dev/null
$V start idle >/dev/null
wait_console tick "tick 3" || die "tick does not tick"
log="$SEPVIRT_ROOT/run/lxc/tick.log"

$V suspend tick >/dev/null || die "suspend failed"
[ "$(lxc_state tick)" = paused ] || die "not paused: $(lxc_state tick)"
a=$(wc -l <"$log"); sleep 0.5; b=$(wc -l <"$log")
[ "$a" = "$b" ] || die "a paused container went on ($a -> $b lines)"
$V resume tick >/dev/null || die "resume failed"
[ "$(lxc_state tick)" = running ] || die "not running after resume"
sleep 0.3
c=$(wc -l <"$log")
[ "$c" -gt "$b" ] || die "a resumed container does not run"

# kill -9 lxcd: containers live on, lxcd comes back and re-attaches
$V suspend idle >/dev/null
tick_pid=$(lxc_init_pid tick)
old=$(daemon_pid lxcd)
kill -9 "$old"
wait_pid_exit "$old" 5 || die "lxcd did not die"
for i in $(seq 1 50); do
	new=$(daemon_pid lxcd)
	[ -n "$new" ] && [ "$new" != "$old" ] && $V list >/dev/null 2>&1 && break
	sleep 0.1
done
kill -0 "$tick_pid" || die "the container died with lxcd"
[ "$(lxc_state tick)" = running ] || die "tick not running after the restart: $(lxc_state tick)"
[ "$(lxc_state idle)" = paused ] || die "idle not paused after the restart: $(lxc_state idle)"
n1=$(wc -l <"$log"); sleep 0.3; n2=$(wc -l <"$log")
[ "$n2" -gt "$n1" ] || die "the console log stopped with lxcd"
$V resume idle >/dev/null || die "resume after the restart failed"
$V shutdown tick >/dev/null || die "shutdown after the restart failed"
for i in $(seq 1 50); do [ "$(lxc_state tick)" = "shut off" ] && break; sleep 0.1; done
[ "$(lxc_state tick)" = "shut off" ] || die "tick did not shut off after the restart"
$V destroy idle >/dev/null || die "destroy after the restart failed"
! kill -0 "$tick_pid" 2>/dev/null || die "tick's init still alive"

# a container that stopped while lxcd was down is shut off after the restart
$V start tick >/dev/null
wait_console tick "tick" || true
tick_pid=$(lxc_init_pid tick)
old=$(daemon_pid lxcd)
kill -9 "$old"
wait_pid_exit "$old" 5 || die "lxcd did not die"
kill -9 "$tick_pid"
for i in $(seq 1 50); do
	new=$(daemon_pid lxcd)
	[ -n "$new" ] && [ "$new" != "$old" ] && $V list >/dev/null 2>&1 && break
	sleep 0.1
done
[ "$(lxc_state tick)" = "shut off" ] || die "tick should be shut off after dying with lxcd away"
[ ! -e "$SEPVIRT_ROOT/run/lxc/tick.status" ] || die "stale status file"
echo "PASS: freezer and re-attach after kill -9"
