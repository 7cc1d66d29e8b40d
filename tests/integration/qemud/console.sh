#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# virsh console: sepvirsh gets the pty of a running guest's serial console from qemud (an fd
# passed through proxyd) and relays both ways until Ctrl+]: a command typed into it is run by
# the guest's shell, whose answer comes back. Refusals: a shut-off domain, a device it does not
# have, the read-only socket. start --console starts the domain and attaches its console.
# (Containers: lxcd/lxc-console.sh.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

trap 'rc=$?; exec 7>&- 2>/dev/null || true; kill ${cpid:-} 2>/dev/null || true; qemud_stop $rc' EXIT
suite_start
qemud_vmdir
guest_pty_xml con >"$SEPVIRT_ROOT/con.xml"
grep -q "<serial type='pty'>" "$SEPVIRT_ROOT/con.xml" || die "test XML has no pty serial"
"$SEPVIRSH" define "$SEPVIRT_ROOT/con.xml" >/dev/null || die "define"
expect_fail "console of a shut-off domain" "domain is not running" "$SEPVIRSH" console con </dev/null
"$SEPVIRSH" start con >/dev/null || { suite_logs; die "start"; }
expect_fail "no such device" "has no character device 'serial5'" "$SEPVIRSH" console --devname serial5 con </dev/null
expect_fail "read-only" "read only access prevents virDomainOpenConsole" "$SEPVIRSH" -r console con </dev/null

# start --console: the domain starts, then its console is attached, as virsh's does
"$SEPVIRSH" destroy con >/dev/null || die "destroy before start --console"
mkfifo "$SEPVIRT_ROOT/in"
"$SEPVIRSH" start --console con <"$SEPVIRT_ROOT/in" >"$SEPVIRT_ROOT/out" 2>&1 &
cpid=$!
exec 7>"$SEPVIRT_ROOT/in"
console_until_answer 7 "$SEPVIRT_ROOT/out" '\n' ||
	{ cat "$SEPVIRT_ROOT/out" >&2; die "the guest's shell never answered through the console"; }
printf '\035' >&7 # Ctrl+]
exec 7>&-
wait "$cpid" || die "sepvirsh console did not end cleanly on Ctrl+]"
cpid=
[ "$(head -n2 "$SEPVIRT_ROOT/out")" = "$(printf "Domain 'con' started\nConnected to domain 'con'")" ] ||
	die "no banner: $(head -n2 "$SEPVIRT_ROOT/out")"
# and console on its own, once more
mkfifo "$SEPVIRT_ROOT/in2"
"$SEPVIRSH" console con <"$SEPVIRT_ROOT/in2" >"$SEPVIRT_ROOT/out2" 2>&1 &
cpid=$!
exec 7>"$SEPVIRT_ROOT/in2"
console_until_answer 7 "$SEPVIRT_ROOT/out2" '\n' || { cat "$SEPVIRT_ROOT/out2" >&2; die "console after start --console"; }
printf '\035' >&7
exec 7>&-
wait "$cpid" || die "sepvirsh console did not end cleanly on Ctrl+]"
cpid=
grep -q "^Connected to domain 'con'" "$SEPVIRT_ROOT/out2" || die "no banner: $(head -n2 "$SEPVIRT_ROOT/out2")"
"$SEPVIRSH" destroy con >/dev/null
log "ok: console round trip through proxyd (start --console, console), refusals"
