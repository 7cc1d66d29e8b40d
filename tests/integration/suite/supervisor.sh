#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirtd: restarts a crashing daemon with growing backoff, and SIGTERM stops all five.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
trap suite_stop EXIT
suite_start

# Three crashes in a row: the restart delays double (200, 400, 800 ms).
for i in 1 2 3; do
	pid=""
	for _ in $(seq 1 50); do
		pid=$(daemon_pid storaged)
		[ -n "$pid" ] && break
		sleep 0.1
	done
	[ -n "$pid" ] || die "storaged was not restarted (crash $i)"
	kill -9 "$pid"
	wait_pid_exit "$pid" 5 || die "storaged did not die"
done
for _ in $(seq 1 50); do [ -n "$(daemon_pid storaged)" ] && break; sleep 0.1; done
delays=$(grep -o 'restarting sepvirt-storaged in [0-9]* ms' "$SEPVIRT_ROOT/log/sepvirtd.log" | awk '{print $4}' | tr '\n' ' ')
[ "$delays" = "200 400 800 " ] || die "restart delays were '$delays', expected '200 400 800 '"
"$SV_PROBE" ping "$SEPVIRT_ROOT/run/proxyd.sock" 5 | grep -q sepvirt-storaged || die "storaged not serving after restarts"

# SIGTERM: every daemon stops, then sepvirtd itself.
pids=""
for d in proxyd qemud lxcd netd storaged; do pids="$pids $(daemon_pid "$d")"; done
kill -TERM "$SUITE_PID"
wait_pid_exit "$SUITE_PID" 15 || die "sepvirtd did not exit on SIGTERM"
for p in $pids; do
	kill -0 "$p" 2>/dev/null && die "daemon pid $p still running after sepvirtd stopped"
done
grep -q "stopped" "$SEPVIRT_ROOT/log/sepvirtd.log" || die "sepvirtd did not log its stop"
SUITE_PID=
rm -rf "$SEPVIRT_ROOT"
echo "PASS: backoff $delays; SIGTERM stopped everything"
