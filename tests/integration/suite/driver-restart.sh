#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A driver killed with SIGKILL: proxyd answers "driver unavailable" at once, sepvirtd restarts
# the driver, proxyd reconnects by itself and the next call succeeds.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
trap suite_stop EXIT
suite_start

for d in qemud netd storaged lxcd; do
	prog=$(case $d in qemud) echo 2 ;; lxcd) echo 3 ;; netd) echo 4 ;; storaged) echo 5 ;; esac)
	"$SV_PROBE" ping "$SEPVIRT_ROOT/run/proxyd.sock" "$prog" >/dev/null || die "$d not answering before the kill"
	old=$(daemon_pid "$d")
	kill -9 "$old"
	wait_pid_exit "$old" 5 || die "$d did not die"
	start=$(now_ms)
	out=$("$SV_PROBE" ping "$SEPVIRT_ROOT/run/proxyd.sock" "$prog" || true)
	elapsed=$(($(now_ms) - start))
	case "$out" in
	*"driver unavailable"*) ;;
	*"sepvirt-$d"*) ;; # already restarted: also acceptable, the point is no hang
	*) die "$d down: unexpected answer: $out" ;;
	esac
	[ "$elapsed" -lt 2000 ] || die "$d down: the answer took ${elapsed} ms"
	ok=0
	for i in $(seq 1 50); do
		if "$SV_PROBE" ping "$SEPVIRT_ROOT/run/proxyd.sock" "$prog" 2>/dev/null | grep -q "sepvirt-$d"; then
			ok=1
			break
		fi
		sleep 0.1
	done
	[ $ok = 1 ] || { suite_logs; die "$d was not restarted and reconnected"; }
	new=$(daemon_pid "$d")
	[ "$new" != "$old" ] || die "$d has the same pid"
	echo "$d: unavailable answer in ${elapsed} ms, restarted as pid $new"
done
grep -q "restarting sepvirt-qemud" "$SEPVIRT_ROOT/log/sepvirtd.log" || die "sepvirtd did not log the restart"
echo "PASS: drivers restart and proxyd reconnects"
