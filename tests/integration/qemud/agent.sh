#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The guest agent path with a real agent: the test guest booted with mkagent.sh's initramfs runs
# Debian's qemu-ga on its virtio port org.qemu.guest_agent.0; qemud reaches it through the
# channel's socket: domifaddr --source agent lists the guest's own interfaces and addresses (lo
# and eth0 with the address its init gave it), and shutdown --mode agent makes the guest run
# its shutdown (SEPVIRT-AGENT-SHUTDOWN on the console), after which the domain is shut off.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
rc=0
"$here/../guest/mkagent.sh" "$(dirname "$GUEST_INITRD")" || rc=$?
[ "$rc" -ne 77 ] || skip "no guest agent to put in the test guest"
[ "$rc" -eq 0 ] || die "mkagent.sh failed"
GUEST_INITRD=$(dirname "$GUEST_INITRD")/initramfs-agent.cpio.gz

trap qemud_stop EXIT
suite_start
qemud_vmdir

mac=52:54:00:00:7a:02
agent="<channel type='unix'><source mode='bind'/><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
define_guest ag 10.122.0.2 "$(ethernet_xml $mac) $agent"
"$SEPVIRSH" start ag >/dev/null || { suite_logs; die "start ag"; }
wait_serial ag 'SEPVIRT-NET-UP eth0 10.122.0.2'
wait_serial ag 'SEPVIRT-AGENT-UP'

# the agent may take a moment after its port is up
for _ in $(seq 20); do
    out=$("$SEPVIRSH" domifaddr ag --source agent 2>&1) && break
    sleep 0.5
done
echo "$out"
grep -Eq '^ lo +00:00:00:00:00:00 +ipv4 +127\.0\.0\.1/8$' <<<"$out" || die "domifaddr --source agent: no lo: $out"
grep -Eq "^ eth0 +$mac +ipv4 +10\.122\.0\.2/24$" <<<"$out" || die "domifaddr --source agent: no eth0: $out"
head -n 2 <<<"$out" | tail -n 1 | grep -Eq '^-{79}$' || die "domifaddr --source agent: header: $out"
out=$("$SEPVIRSH" domifaddr ag --source agent --interface eth0) || die "domifaddr --interface eth0: $out"
! grep -q ' lo ' <<<"$out" || die "domifaddr --interface eth0 lists lo: $out"

out=$("$SEPVIRSH" shutdown ag --mode agent) || { suite_logs; die "shutdown --mode agent: $out"; }
[ "$out" = "Domain 'ag' is being shutdown" ] || die "shutdown --mode agent printed: $out"
wait_serial ag 'SEPVIRT-AGENT-SHUTDOWN'
domstate_is ag "shut off (shutdown)" 60
echo "agent: ok"
