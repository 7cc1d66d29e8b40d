#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Lifecycle events through proxyd, as `virsh event` prints them: a read-only client subscribes,
# every step of a container's life arrives in order; a second client with --domain sees only
# its domain; lxcd killed and restarted by sepvirtd: proxyd subscribes again by itself and the
# same client goes on receiving. Bad options are refused as virsh refuses them.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
in_netns "$@"
all_pid= one_pid=
trap 'rc=$?; kill $all_pid $one_pid 2>/dev/null || true; suite_stop $rc' EXIT
lxc_suite_start

subscribed() { # N: proxyd has subscribed to lxcd's events N times
	for _ in $(seq 100); do
		[ "$(grep -c "subscribed to the events of program lxc" "$SEPVIRT_ROOT"/log/*proxyd*.log)" -ge "$1" ] && return 0
		sleep 0.1
	done
	die "proxyd did not subscribe to lxcd's events (time $1)"
}

# virsh's refusals and its answer when nothing happens
expect_fail "no event kind" "one of --list, --all, or --event <type> is required" $V event --timeout 1
expect_fail "--all with --event" "Options --all and --event are mutually exclusive" $V event --all --event lifecycle
expect_fail "unknown kind" "unknown event type rtc-change" $V event --event rtc-change --timeout 1
expect_fail "unknown domain" "failed to get domain 'nosuch'" $V event --all --domain nosuch --timeout 1
[ "$($V event --list | head -n1)" = lifecycle ] || die "event --list"
out=$($V event --all --timeout 1 2>&1) && die "no events yet the exit status is 0: $out"
[ "$out" = "$(printf 'event loop timed out\nevents received: 0')" ] || die "timeout output: $out"

lxc_define other "$ROOTFS" 'while :; do sleep 1; done'
$V -r event --all --loop --timeout 300 >"$SEPVIRT_ROOT/all" 2>&1 &
all_pid=$!
$V -r event --event lifecycle --domain other --loop --timeout 300 >"$SEPVIRT_ROOT/one" 2>&1 &
one_pid=$!
subscribed 1
sleep 0.5 # the second client's registration reaches proxyd too

lxc_define box "$ROOTFS" 'while :; do sleep 1; done'
$V start box >/dev/null
$V suspend box >/dev/null
$V resume box >/dev/null
$V destroy box >/dev/null
$V start other >/dev/null

# lxcd dies and comes back: proxyd subscribes again, the clients keep their connections
old=$(daemon_pid lxcd)
kill -9 "$old"
wait_pid_exit "$old" 5 || die "lxcd did not die"
subscribed 2
$V destroy other >/dev/null
$V undefine box >/dev/null

want_all="event 'lifecycle' for domain 'box': Defined Added
event 'lifecycle' for domain 'box': Started Booted
event 'lifecycle' for domain 'box': Suspended Paused
event 'lifecycle' for domain 'box': Resumed Unpaused
event 'lifecycle' for domain 'box': Stopped Destroyed
event 'lifecycle' for domain 'other': Started Booted
event 'lifecycle' for domain 'other': Stopped Destroyed
event 'lifecycle' for domain 'box': Undefined Removed"
want_one="event 'lifecycle' for domain 'other': Started Booted
event 'lifecycle' for domain 'other': Stopped Destroyed"
for _ in $(seq 50); do
	[ "$(cat "$SEPVIRT_ROOT/all")" = "$want_all" ] && [ "$(cat "$SEPVIRT_ROOT/one")" = "$want_one" ] && break
	sleep 0.1
done
[ "$(cat "$SEPVIRT_ROOT/all")" = "$want_all" ] || die "events (--all): $(cat "$SEPVIRT_ROOT/all")"
[ "$(cat "$SEPVIRT_ROOT/one")" = "$want_one" ] || die "events (--domain other): $(cat "$SEPVIRT_ROOT/one")"
kill "$all_pid" "$one_pid"
log "ok: lifecycle events through proxyd, filtered by domain, across an lxcd restart"
