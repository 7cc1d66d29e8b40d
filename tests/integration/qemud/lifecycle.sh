#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# States as virsh shows them: start, suspend/resume, reboot, shutdown (ACPI power-off with
# on_poweroff=destroy), destroy; dumpxml, dominfo, domid, domuuid, list; a QEMU that cannot
# start reports what it printed; undefine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

trap qemud_stop EXIT
suite_start
qemud_vmdir
define_guest lc "" "" "<on_poweroff>destroy</on_poweroff>"
domstate_is lc "shut off (unknown)"
# lc's lifecycle events, as `virsh event` prints them, collected to the end (checked there)
"$SEPVIRSH" -r event --event lifecycle --domain lc --loop --timeout 600 >"$SEPVIRT_ROOT/events" 2>&1 &
events_pid=$!
for _ in $(seq 50); do grep -q "subscribed to the events of program qemu" "$SEPVIRT_ROOT"/log/*proxyd*.log && break; sleep 0.1; done
expect_fail "suspend while shut off" "domain is not running" "$SEPVIRSH" suspend lc

"$SEPVIRSH" start lc >/dev/null || { suite_logs; die "start"; }
domstate_is lc "running (booted)"
id=$("$SEPVIRSH" domid lc | head -n1)
[ "$id" -ge 1 ] || die "domid: '$id'"
uuid=$("$SEPVIRSH" domuuid lc | head -n1)
"$SEPVIRSH" dominfo "$id" | grep -Eq "^State: +running" || die "dominfo by id"
"$SEPVIRSH" domstate --reason "$uuid" | grep -q "running (booted)" || die "domstate by uuid"
"$SEPVIRSH" dumpxml lc | grep -q "<domain type='qemu' id='$id'>" || die "live XML has no id"
"$SEPVIRSH" list | grep -Eq "^ *$id +lc +running" || die "list: $("$SEPVIRSH" list)"
expect_fail "start twice" "domain is already running" "$SEPVIRSH" start lc
wait_serial lc SEPVIRT-GUEST-UP

"$SEPVIRSH" suspend lc >/dev/null || die "suspend"
domstate_is lc "paused (user)"
"$SEPVIRSH" list | grep -Eq "lc +paused" || die "list does not show paused"
"$SEPVIRSH" resume lc >/dev/null || die "resume"
domstate_is lc "running (unpaused)"

# reboot: ACPI power-down, then reset; the guest comes up a second time, same QEMU.
pid=$(qemu_pid lc)
acpi_press lc reboot 1
wait_serial lc SEPVIRT-GUEST-UP 2
domstate_is lc "running (booted)"
[ "$(qemu_pid lc)" = "$pid" ] || die "reboot replaced the QEMU process"

# shutdown: the guest powers off on ACPI; on_poweroff=destroy ends QEMU.
acpi_press lc shutdown 2
domstate_is lc "shut off (shutdown)" 30
wait_pid_exit "$pid" 10 || die "QEMU still runs after the guest powered off"
"$SEPVIRSH" domid lc | grep -q "^-" || die "a shut off domain has an id"

# destroy
"$SEPVIRSH" start lc >/dev/null || die "start again"
"$SEPVIRSH" destroy lc >/dev/null || die "destroy"
domstate_is lc "shut off (destroyed)"
"$SEPVIRSH" list --all | grep -Eq "^ *- +lc +shut off" || die "list --all"
kill "$events_pid"
cat "$SEPVIRT_ROOT/events" >&2
want="event 'lifecycle' for domain 'lc': Started Booted
event 'lifecycle' for domain 'lc': Suspended Paused
event 'lifecycle' for domain 'lc': Resumed Unpaused
event 'lifecycle' for domain 'lc': Shutdown Finished
event 'lifecycle' for domain 'lc': Stopped Shutdown
event 'lifecycle' for domain 'lc': Started Booted
event 'lifecycle' for domain 'lc': Stopped Destroyed"
[ "$(cat "$SEPVIRT_ROOT/events")" = "$want" ] || die "lifecycle events differ from the expected ones"

# create: a transient domain, running at once, not on disk, gone after destroy
guest_xml tr "" "" >"$SEPVIRT_ROOT/tr.xml"
"$SEPVIRSH" create "$SEPVIRT_ROOT/tr.xml" | grep -q "^Domain 'tr' created from " || die "create"
domstate_is tr "running (booted)"
"$SEPVIRSH" dominfo tr | grep -Eq "^Persistent: +no" || die "tr is persistent"
[ ! -e "$SEPVIRT_ROOT/etc/qemu/tr.xml" ] || die "a created domain was written to disk"
"$SEPVIRSH" destroy tr >/dev/null || die "destroy tr"
if "$SEPVIRSH" list --all --name | grep -qx tr; then die "tr still listed after destroy"; fi

# A pty console: the live XML names the pty QEMU allocated (for virsh console and friends);
# the inactive definition does not.
define_guest pt "" "<console type='pty'><target type='virtio' port='0'/></console>"
"$SEPVIRSH" start pt >/dev/null || die "start pt"
pts=$("$SEPVIRSH" dumpxml pt | grep -o "/dev/pts/[0-9]*" | head -n1)
[ -n "$pts" ] && [ -c "$pts" ] || die "no pty path in the live XML: $("$SEPVIRSH" dumpxml pt | grep -A2 '<console')"
if "$SEPVIRSH" dumpxml --inactive pt | grep -q "/dev/pts/"; then die "the inactive XML names a pty"; fi
"$SEPVIRSH" destroy pt >/dev/null || die "destroy pt"

# A QEMU that fails: the error carries what it printed.
guest_xml bad "" "<disk type='file' device='disk'><source file='/nonexistent/disk.img'/><target dev='vda' bus='virtio'/></disk>" \
    >"$SEPVIRT_ROOT/bad.xml"
"$SEPVIRSH" define "$SEPVIRT_ROOT/bad.xml" >/dev/null || die "define bad"
expect_fail "start with a missing disk" "/nonexistent/disk.img" "$SEPVIRSH" start bad
domstate_is bad "shut off (failed)"

# undefine
"$SEPVIRSH" undefine bad >/dev/null || die "undefine"
expect_fail "lookup after undefine" "error: failed to get domain 'bad'" "$SEPVIRSH" domstate bad
[ ! -e "$SEPVIRT_ROOT/etc/qemu/bad.xml" ] || die "the definition file is still there"
log "ok: lifecycle states"
