#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Issue 17: a SEPVIRT_ROOT the daemons' users cannot reach made sepvirtd restart storaged and
# qemud forever. Now sepvirtd checks at start, as each daemon's user, that it can reach its
# directories and says once which user needs which access to which directory, starting no
# daemon. And a daemon that keeps failing at start (exits before its socket ever answers) is
# reported with its last words and given up after its backoff: while the suite starts, the
# start fails; later on, the others go on serving and it is not started again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
need_root
suite_user_ensure
SEPVIRTD=$abs_top_builddir/sepvirtd
suite_vm_uids

locked=$(mktemp -d /tmp/sepvirt-locked.XXXXXX) # 0700, root's
cleanup() {
	local rc=$?
	[ -f "$locked/root/run/sepvirtd.pid" ] && kill "$(cat "$locked/root/run/sepvirtd.pid")" 2>/dev/null
	sleep 0.5
	pkill -KILL -P "$(cat "$locked/root/run/sepvirtd.pid" 2>/dev/null || echo 0)" 2>/dev/null || true
	# a sanitizer report in any log fails the test (ASan/UBSan builds)
	if grep -h -A 30 -E "ERROR: (AddressSanitizer|LeakSanitizer)|Sanitizer has encountered|runtime error:" \
		"$locked"/root/log/*.log >&2 2>/dev/null; then
		rc=1
	fi
	rm -rf "$locked"
	exit "$rc"
}
trap cleanup EXIT
# The sepvirt processes started under this test's root (other suites may run beside it).
root_procs() {
	local e p
	for e in /proc/[0-9]*/environ; do
		p=${e#/proc/}; p=${p%/environ}
		case "$(cat "/proc/$p/comm" 2>/dev/null)" in sepvirt*) ;; *) continue ;; esac
		{ tr '\0' '\n' <"$e"; } 2>/dev/null | grep -qx "SEPVIRT_ROOT=$SEPVIRT_ROOT" && echo "$p"
	done
	return 0
}
export SEPVIRT_ROOT=$locked/root
mkdir -m 0755 "$SEPVIRT_ROOT"

# 1. Unreachable: refused at once, in one message, nothing started.
start=$(now_ms)
if out=$("$SEPVIRTD" 2>&1); then
	die "sepvirtd started under a root the daemons' users cannot reach"
fi
elapsed=$(( $(now_ms) - start ))
case "$out" in *Sanitizer* | *"runtime error:"*) die "sanitizer report: $out" ;; esac
[ "$elapsed" -lt 20000 ] || die "sepvirtd took $elapsed ms to refuse"
for u in "$SUITE_PROXY_USER" "$SUITE_QEMU_USER" "$SUITE_STORAGE_USER"; do
	case "$out" in
	*"user $u (uid $(id -u "$u")) needs search (x) access to '$locked' (owner uid 0 gid 0, mode 0700), on the way to '$SEPVIRT_ROOT/"*) ;;
	*) die "the refusal does not say what $u needs: $out" ;;
	esac
done
case "$out" in *"not starting the daemons"*) ;; *) die "the refusal does not say nothing was started: $out" ;; esac
[ "$(grep -c "cannot reach their directories" "$SEPVIRT_ROOT/log/sepvirtd.log")" = 1 ] ||
	die "sepvirtd's log should say it once: $(cat "$SEPVIRT_ROOT/log/sepvirtd.log")"
for d in netd storaged qemud lxcd proxyd; do
	[ ! -e "$SEPVIRT_ROOT/log/sepvirt-$d.log" ] || die "sepvirt-$d was started: $(cat "$SEPVIRT_ROOT/log/sepvirt-$d.log")"
done
[ -z "$(root_procs)" ] || die "processes are running: $(root_procs)"
log "unreachable root: refused once, naming each user and the directory"

# 2. What it says to do is enough.
chmod 0711 "$locked"
"$SEPVIRTD" || { cat "$SEPVIRT_ROOT"/log/*.log >&2; die "sepvirtd did not start once the root was reachable"; }
SUITE_PID=$(cat "$SEPVIRT_ROOT/run/sepvirtd.pid")
"$SEPVIRSH" list --all >/dev/null || die "the suite does not answer"

# 3. A daemon that fails at start after the suite is up: qemud's configuration directory
#    replaced by a file. Reported and given up after its backoff; the others go on.
mv "$SEPVIRT_ROOT/etc/qemu" "$SEPVIRT_ROOT/etc/qemu.away"
echo "not a directory" >"$SEPVIRT_ROOT/etc/qemu"
qpid=$(daemon_pid qemud)
kill -KILL "$qpid"
deadline=$(( $(now_ms) + 60000 ))
until grep -q "sepvirt-qemud failed at start 5 times in a row" "$SEPVIRT_ROOT/log/sepvirtd.log"; do
	[ "$(now_ms)" -lt "$deadline" ] || { tail -n 20 "$SEPVIRT_ROOT/log/sepvirtd.log" >&2; die "sepvirtd did not give qemud up"; }
	sleep 0.2
done
grep "failed at start" "$SEPVIRT_ROOT/log/sepvirtd.log" | grep -q "Its last words: .*qemu" ||
	die "the report does not carry qemud's last words: $(grep "failed at start" "$SEPVIRT_ROOT/log/sepvirtd.log")"
starts=$(grep -c "started sepvirt-qemud" "$SEPVIRT_ROOT/log/sepvirtd.log")
sleep 5
[ "$(grep -c "started sepvirt-qemud" "$SEPVIRT_ROOT/log/sepvirtd.log")" = "$starts" ] ||
	die "qemud is still being restarted after sepvirtd gave it up"
[ "$starts" -le 7 ] || die "qemud was started $starts times"
[ -z "$(daemon_pid qemud)" ] || die "a qemud runs"
"$SEPVIRSH" pool-list --all >/dev/null || die "storaged stopped serving"
kill -0 "$SUITE_PID" || die "sepvirtd exited"
kill "$SUITE_PID"
wait_pid_exit "$SUITE_PID" 20 || die "sepvirtd did not stop"
rm -f "$SEPVIRT_ROOT/etc/qemu"
mv "$SEPVIRT_ROOT/etc/qemu.away" "$SEPVIRT_ROOT/etc/qemu"
log "a daemon failing at start after start-up: given up after its backoff, the others serve"

# 4. The same while the suite starts: the start fails, saying why, and nothing is left running.
echo "not a directory" >"$SEPVIRT_ROOT/etc/storage.file"
mv "$SEPVIRT_ROOT/etc/storage" "$SEPVIRT_ROOT/etc/storage.away"
mv "$SEPVIRT_ROOT/etc/storage.file" "$SEPVIRT_ROOT/etc/storage"
if out=$("$SEPVIRTD" 2>&1); then
	die "sepvirtd reported the suite up with storaged failing at start"
fi
case "$out" in *Sanitizer* | *"runtime error:"*) die "sanitizer report: $out" ;; esac
case "$out" in
*"sepvirt-storaged failed at start 5 times in a row"*"not restarting it"*) ;;
*) die "the start failure does not say which daemon: $out" ;;
esac
sleep 1

[ -z "$(root_procs)" ] || die "processes of the failed start are still running: $(root_procs)"
log "a daemon failing while the suite starts: the start fails once, naming it"
