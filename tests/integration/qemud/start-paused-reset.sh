#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# start --paused and reset, through sepvirsh and through virsh on libvirt-sock: a domain started
# paused is "paused (user)", its guest has not run a single instruction until resume (nothing on
# its serial console), and the events are libvirt's (Started Booted, Suspended Paused, Resumed
# Unpaused); reset restarts the guest at once (it boots a second time) and the domain runs on.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd virsh
trap 'rc=$?; kill ${events_pid:-} 2>/dev/null || true; qemud_stop $rc' EXIT
suite_start
qemud_vmdir
LV="qemu+unix:///system?socket=$SEPVIRT_ROOT/run/libvirt-sock"

guest_xml p1 "" "" >"$SEPVIRT_ROOT/p1.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/p1.xml" >/dev/null || die "define"
"$SEPVIRSH" event --all --loop >"$SEPVIRT_ROOT/events" 2>&1 &
events_pid=$!
sleep 0.5
[ "$("$SEPVIRSH" start --paused p1 | head -n1)" = "Domain 'p1' started" ] || { suite_logs; die "start --paused"; }
[ "$("$SEPVIRSH" domstate --reason p1 | head -n1)" = "paused (user)" ] || die "state: $("$SEPVIRSH" domstate --reason p1)"
sleep 3
! grep -q "SEPVIRT-GUEST-UP" "$VMDIR/p1.serial" 2>/dev/null || die "the guest ran while paused"
[ "$("$SEPVIRSH" resume p1 | head -n1)" = "Domain 'p1' resumed" ] || die "resume"
wait_serial p1 SEPVIRT-GUEST-UP
[ "$("$SEPVIRSH" reset p1 | head -n1)" = "Domain 'p1' was reset" ] || die "reset"
wait_serial p1 SEPVIRT-GUEST-UP 2
[ "$("$SEPVIRSH" domstate --reason p1 | head -n1)" = "running (unpaused)" ] || die "after reset: $("$SEPVIRSH" domstate --reason p1)"
expect_fail "reset of a read-only connection" "read only access prevents virDomainReset" "$SEPVIRSH" -r reset p1
"$SEPVIRSH" destroy p1 >/dev/null
expect_fail "reset of a shut-off domain" "domain is not running" "$SEPVIRSH" reset p1
sleep 0.5
kill "$events_pid" 2>/dev/null || true
wait "$events_pid" 2>/dev/null || true
got=$(grep "^event 'lifecycle'" "$SEPVIRT_ROOT/events")
expected="event 'lifecycle' for domain 'p1': Started Booted
event 'lifecycle' for domain 'p1': Suspended Paused
event 'lifecycle' for domain 'p1': Resumed Unpaused
event 'lifecycle' for domain 'p1': Stopped Destroyed"
[ "$got" = "$expected" ] || die "events: $got"

# virsh through libvirt-sock: start --paused (virDomainCreateWithFlags) and reset.
[ "$(virsh -c "$LV" start --paused p1 | head -n1)" = "Domain 'p1' started" ] || die "virsh start --paused"
[ "$(virsh -q -c "$LV" domstate --reason p1)" = "paused (user)" ] || die "virsh domstate: $(virsh -c "$LV" domstate --reason p1)"
virsh -c "$LV" resume p1 >/dev/null || die "virsh resume"
wait_serial p1 SEPVIRT-GUEST-UP 1 # the serial file starts anew with each run
[ "$(virsh -c "$LV" reset p1 | head -n1)" = "Domain 'p1' was reset" ] || die "virsh reset"
wait_serial p1 SEPVIRT-GUEST-UP 2
"$SEPVIRSH" destroy p1 >/dev/null
echo "PASS: start --paused and reset (sepvirsh and virsh), with libvirt's events"
