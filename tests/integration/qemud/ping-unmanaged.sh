#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# managed='no': a pre-created, configured tap; the guest boots and answers ping; the tap's
# MAC, flags and MTU are the same before start and after destroy, and it still exists.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

tap_create svtap0
ip addr add 10.77.0.1/24 dev svtap0
ip link set svtap0 mtu 1400
before=$(tap_facts svtap0)

trap qemud_stop EXIT
suite_start
qemud_vmdir
define_guest un1 10.77.0.2 "$(ethernet_xml 52:54:00:12:34:56 svtap0 no)"
"$SEPVIRSH" start un1 >/dev/null || { suite_logs; die "start"; }
"$SEPVIRSH" domiflist un1 | grep -Eq "svtap0 +ethernet +- +virtio +52:54:00:12:34:56" ||
    die "domiflist: $("$SEPVIRSH" domiflist un1)"
"$SEPVIRSH" dumpxml un1 | grep -q "<target dev='svtap0' managed='no'/>" || die "live XML lost managed='no'"
wait_serial un1 'SEPVIRT-NET-UP eth0 10.77.0.2'
ping_guest 10.77.0.2
[ "$(tap_facts svtap0)" = "$before" ] || die "the tap changed while running: $(tap_facts svtap0) vs $before"
"$SEPVIRSH" destroy un1 >/dev/null || die "destroy"
domstate_is un1 "shut off (destroyed)"
ip link show svtap0 >/dev/null 2>&1 || die "the unmanaged tap is gone after destroy"
after=$(tap_facts svtap0)
[ "$after" = "$before" ] || die "the tap changed: before: $before after: $after"
log "ok: ping through an unmanaged tap, tap unchanged and kept"
