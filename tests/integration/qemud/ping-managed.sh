#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# managed='yes' (no dev given): netd creates vnetN, the guest answers ping through it,
# and the tap is gone after destroy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

trap qemud_stop EXIT
suite_start
qemud_vmdir
define_guest m1 10.78.0.2 "$(ethernet_xml 52:54:00:00:78:02)"
"$SEPVIRSH" start m1 >/dev/null || { suite_logs; die "start"; }
tap=$("$SEPVIRSH" domiflist m1 | awk '$5 == "52:54:00:00:78:02" { print $1 }')
case "$tap" in vnet[0-9]*) ;; *) die "expected a vnetN tap, domiflist says '$tap'" ;; esac
ip link show "$tap" | grep -q "fe:54:00:00:78:02" || die "host-side MAC of $tap is not fe:54:00:00:78:02"
ip addr add 10.78.0.1/24 dev "$tap"
wait_serial m1 'SEPVIRT-NET-UP eth0 10.78.0.2'
ping_guest 10.78.0.2
"$SEPVIRSH" dumpxml --inactive m1 | grep -q "vnet" && die "the inactive XML keeps the generated name"
"$SEPVIRSH" destroy m1 >/dev/null || die "destroy"
domstate_is m1 "shut off (destroyed)"
ip link show "$tap" >/dev/null 2>&1 && die "$tap still exists after destroy"
log "ok: managed tap $tap created, pinged, removed"
