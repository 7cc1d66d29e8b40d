#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Restart resilience: qemud killed with SIGKILL while two domains run (one paused); after
# sepvirtd restarts it both are still listed in their states and can be controlled. A QEMU
# killed behind qemud's back: the domain becomes "shut off (crashed)" and its managed tap
# is released (gone). Autostart: a marked domain starts when qemud starts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

tap_create rstap0
ip addr add 10.79.0.1/24 dev rstap0
trap qemud_stop EXIT
suite_start
qemud_vmdir
define_guest r1 10.79.0.2 "$(ethernet_xml 52:54:00:00:79:02 rstap0 no)"
define_guest r2 "" "$(ethernet_xml 52:54:00:00:79:03)"
"$SEPVIRSH" start r1 >/dev/null || { suite_logs; die "start r1"; }
"$SEPVIRSH" start r2 >/dev/null || { suite_logs; die "start r2"; }
vnet=$("$SEPVIRSH" domiflist r2 | awk '$5 == "52:54:00:00:79:03" { print $1 }')
"$SEPVIRSH" suspend r2 >/dev/null
wait_serial r1 'SEPVIRT-NET-UP'
id1=$("$SEPVIRSH" domid r1 | head -n1)

old=$(daemon_pid qemud)
kill -9 "$old"
wait_qemud_restarted "$old"
domstate_is r1 "running (booted)"
domstate_is r2 "paused (user)"
[ "$("$SEPVIRSH" domid r1 | head -n1)" = "$id1" ] || die "r1 changed its id across the restart"
ping_guest 10.79.0.2
"$SEPVIRSH" resume r2 >/dev/null || die "resume r2 after the restart"
domstate_is r2 "running (unpaused)"
acpi_press r1 shutdown 1
domstate_is r1 "shut off (shutdown)" 30
ip link show rstap0 >/dev/null 2>&1 || die "the unmanaged tap went away"

# Behind qemud's back.
pid2=$(qemu_pid r2)
kill -9 "$pid2"
domstate_is r2 "shut off (crashed)"
for i in $(seq 1 50); do ip link show "$vnet" >/dev/null 2>&1 || break; sleep 0.1; done
ip link show "$vnet" >/dev/null 2>&1 && die "$vnet of the crashed domain was not released"

# A QEMU that dies while qemud is away: cleaned up when qemud comes back.
"$SEPVIRSH" start r2 >/dev/null || die "start r2 again"
vnet=$("$SEPVIRSH" domiflist r2 | awk '$5 == "52:54:00:00:79:03" { print $1 }')
old=$(daemon_pid qemud)
kill -STOP "$old"
kill -9 "$(qemu_pid r2)"
kill -9 "$old"
kill -CONT "$old" 2>/dev/null || true
wait_qemud_restarted "$old"
domstate_is r2 "shut off (crashed)"
ip link show "$vnet" >/dev/null 2>&1 && die "$vnet was not released after the restart"

# Autostart.
"$SEPVIRSH" autostart r1 | grep -q "marked as autostarted" || die "autostart"
"$SEPVIRSH" dominfo r1 | grep -Eq "^Autostart: +enable" || die "dominfo autostart"
old=$(daemon_pid qemud)
kill -9 "$old"
wait_qemud_restarted "$old"
domstate_is r1 "running (booted)"
"$SEPVIRSH" autostart --disable r1 >/dev/null || die "autostart --disable"
"$SEPVIRSH" destroy r1 >/dev/null
log "ok: re-attach, crash detection with tap release, autostart"
