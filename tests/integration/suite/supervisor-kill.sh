#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The supervisor killed as an attacker would (issue 18): SIGKILL of sepvirtd while two TCG VMs
# and a container run. Every daemon of the old suite (and its spawner) dies with it, a new
# sepvirtd on the same root starts one copy of each, and the VMs and the container live on
# under the same pids, listed as running and controllable. Then SIGKILL of each daemon alone,
# with the same checks. A daemon of the old suite that is still alive (stopped) makes the next
# sepvirtd refuse rather than start a second copy; a second sepvirtd, a second copy of a daemon,
# and a daemon whose socket is held by a live listener refuse too.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/../qemud/lib.sh"
. "$here/../lxcd/lib.sh"
qemud_prepare "$@"

DAEMONS="netd storaged qemud lxcd proxyd"

# gone PID: no such process, or a zombie nobody reaped yet (it holds nothing any more).
gone() {
	local st
	st=$(sed -e 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 0
	[ -z "$st" ] || [ "$st" = Z ]
}

# wait_gone SECONDS PID...: every PID is gone within SECONDS.
wait_gone() {
	local deadline=$(( $(now_ms) + $1 * 1000 )) p
	shift
	for p in "$@"; do
		until gone "$p"; do
			[ "$(now_ms)" -lt "$deadline" ] || { ps -o pid,ppid,stat,comm -p "$p" >&2 || true; return 1; }
			sleep 0.1
		done
	done
}

# suite_pids: every daemon of the running suite and its children (the spawners). QEMUs and
# container inits are not among them: they are children of the subreaper, not of a daemon.
suite_pids() {
	local d p
	for d in $DAEMONS; do
		p=$(daemon_pid "$d")
		[ -n "$p" ] || die "no $d in the suite"
		echo "$p"
		pgrep -P "$p" || true
	done
}

# guests_live WHEN: the QEMUs and the container init have the pids they started with.
guests_live() {
	local n
	for n in k1 k2; do
		if [ "$(qemu_pid "$n")" != "${QPID[$n]}" ]; then
			# what became of it: alive with another log, or gone, and what qemud said
			log "pid ${QPID[$n]}: $(tr '\0' ' ' <"/proc/${QPID[$n]}/cmdline" 2>&1 | cut -c1-120); fd 1: $(readlink "/proc/${QPID[$n]}/fd/1" 2>&1)"
			grep -h -i -E "$n|orphan|re-attach" "$SEPVIRT_ROOT"/log/sepvirt-qemud.log 2>/dev/null | tail -n 20 >&2
			die "$1: QEMU of $n is $(qemu_pid "$n"), was ${QPID[$n]}"
		fi
		gone "${QPID[$n]}" && die "$1: QEMU of $n (pid ${QPID[$n]}) is gone"
	done
	if [ "$have_lxc" = 1 ]; then
		gone "$CPID" && die "$1: the container's init (pid $CPID) is gone"
		[ "$(lxc_init_pid c1)" = "$CPID" ] || die "$1: container init is $(lxc_init_pid c1), was $CPID"
	fi
	return 0
}

# guests_listed WHEN: the suite lists and reports them running.
guests_listed() {
	local out n
	for n in k1 k2; do domstate_is "$n" "running (booted)"; done
	out=$("$SEPVIRSH" list)
	for n in k1 k2; do
		echo "$out" | grep -Eq "^ *[0-9]+ +$n +running$" || die "$1: $n not listed running: $out"
	done
	if [ "$have_lxc" = 1 ]; then
		[ "$(lxc_state c1)" = running ] || die "$1: c1 is '$(lxc_state c1)'"
		local a b
		a=$(wc -l <"$SEPVIRT_ROOT/run/lxc/c1.log"); sleep 0.5; b=$(wc -l <"$SEPVIRT_ROOT/run/lxc/c1.log")
		[ "$b" -gt "$a" ] || die "$1: the container's console log stopped ($a -> $b lines)"
	fi
	ip link show "$VNET" >/dev/null 2>&1 || die "$1: k2's tap $VNET is gone"
}

# one_copy_each: each daemon's lock is held by the one daemon_pid finds.
one_copy_each() {
	local d p
	for d in $DAEMONS; do
		p=$(daemon_pid "$d")
		[ -n "$p" ] && [ "$(cat "$SEPVIRT_ROOT/run/sepvirt-$d.pid")" = "$p" ] ||
			die "sepvirt-$d: pid '$p', lock file says $(cat "$SEPVIRT_ROOT/run/sepvirt-$d.pid")"
		[ "$(pgrep -P "$SUITE_PID" -x "$(printf '%.15s' "sepvirt-$d")" | wc -l)" = 1 ] || die "two sepvirt-$d"
	done
}

kill_supervisor() {
	local old
	old=$(suite_pids | tr '\n' ' ')
	kill -9 "$SUITE_PID"
	wait_gone 5 "$SUITE_PID" || die "sepvirtd survived SIGKILL"
	wait_gone 10 $old || die "$1: a daemon of the killed sepvirtd is still running (of $old)"
	log "$1: sepvirtd $SUITE_PID killed, its daemons and spawners ($old) gone"
	SUITE_PID=
}

restart_supervisor() {
	"$abs_top_builddir/sepvirtd" || { suite_logs; die "$1: the new sepvirtd did not come up"; }
	SUITE_PID=$(cat "$SEPVIRT_ROOT/run/sepvirtd.pid")
}

trap qemud_stop EXIT
suite_start
qemud_vmdir
define_guest k1 "" ""
define_guest k2 "" "$(ethernet_xml 52:54:00:00:7a:02)"
"$SEPVIRSH" start k1 >/dev/null || { suite_logs; die "start k1"; }
"$SEPVIRSH" start k2 >/dev/null || { suite_logs; die "start k2"; }
VNET=$("$SEPVIRSH" domiflist k2 | awk '$5 == "52:54:00:00:7a:02" { print $1 }')
[ -n "$VNET" ] || die "k2 has no tap"
have_lxc=0
bb=$(command -v busybox || true)
if [ -n "$bb" ] && file -L "$bb" 2>/dev/null | grep -q "statically linked"; then
	have_lxc=1
	ROOTFS="$SEPVIRT_ROOT/rootfs"
	lxc_rootfs "$ROOTFS"
	lxc_define c1 "$ROOTFS" 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.1; done'
	"$SEPVIRSH" -c "$LXC" start c1 >/dev/null || { suite_logs; die "start c1"; }
	wait_console c1 "tick 2" || die "c1 does not tick"
	CPID=$(lxc_init_pid c1)
else
	log "no static busybox: the container part is left out"
fi
wait_serial k1 SEPVIRT-GUEST-UP
wait_serial k2 SEPVIRT-GUEST-UP
declare -A QPID
for n in k1 k2; do QPID[$n]=$(qemu_pid "$n"); [ -n "${QPID[$n]}" ] || die "no QEMU for $n"; done
log "QEMU pids: k1 ${QPID[k1]}, k2 ${QPID[k2]}; container init ${CPID:-none}"

# A second supervisor, a second copy of a daemon: refused, and the running suite keeps its sockets.
expect_fail "second sepvirtd" "sepvirtd is already running (pid $SUITE_PID)" "$abs_top_builddir/sepvirtd"
expect_fail "second sepvirtd --foreground" "sepvirtd is already running (pid $SUITE_PID)" \
	"$abs_top_builddir/sepvirtd" --foreground
q=$(daemon_pid qemud)
expect_fail "second qemud" "sepvirt-qemud is already running (pid $q)" "$abs_top_builddir/sepvirt-qemud"
"$SEPVIRSH" list >/dev/null || die "the suite stopped serving after the refused starts"

# The attack: SIGKILL of the supervisor, then a new one on the same root.
kill_supervisor "supervisor SIGKILL"
guests_live "with no suite"
# (started with a low soft limit of open files: sepvirtd raises it to the hard one for all)
hard=$(ulimit -Hn)
if command -v prlimit >/dev/null && [ "$hard" != unlimited ] && [ "$hard" -gt 1024 ]; then
	prlimit --nofile=1024:"$hard" "$abs_top_builddir/sepvirtd" || { suite_logs; die "the new sepvirtd did not come up"; }
	SUITE_PID=$(cat "$SEPVIRT_ROOT/run/sepvirtd.pid")
	grep -q "open files limit raised from 1024 to $hard" "$SEPVIRT_ROOT/log/sepvirtd.log" || die "no raise logged"
	soft=$(awk '/^Max open files/ { print $4 }' "/proc/$(daemon_pid proxyd)/limits")
	[ "$soft" = "$hard" ] || die "proxyd's open files limit is $soft, not $hard"
else
	restart_supervisor "supervisor SIGKILL"
fi
one_copy_each
guests_live "after the new sepvirtd"
guests_listed "after the new sepvirtd"
log "new sepvirtd $SUITE_PID: k1 ${QPID[k1]} and k2 ${QPID[k2]} still running, listed"

# Each daemon alone: SIGKILL, sepvirtd restarts it (its spawner goes with it).
for d in $DAEMONS; do
	old=$(daemon_pid "$d")
	kids=$(pgrep -P "$old" | tr '\n' ' ' || true)
	kill -9 "$old"
	wait_gone 5 "$old" $kids || die "sepvirt-$d or its spawner ($kids) survived SIGKILL"
	for i in $(seq 1 100); do
		new=$(daemon_pid "$d")
		[ -n "$new" ] && [ "$new" != "$old" ] && "$SEPVIRSH" list >/dev/null 2>&1 && break
		sleep 0.1
	done
	[ -n "$new" ] && [ "$new" != "$old" ] || die "sepvirt-$d was not restarted"
	one_copy_each
	guests_live "after SIGKILL of $d"
	guests_listed "after SIGKILL of $d"
	log "SIGKILL of sepvirt-$d ($old -> $new): guests unchanged"
done

# An orphan of the old suite (stopped, so its parent-death signal waits): the next sepvirtd
# waits for it, then refuses rather than starting a second copy; once it is gone, it starts.
st=$(daemon_pid storaged)
kill -STOP "$st"
old=$(suite_pids | grep -vx "$st" | tr '\n' ' ')
kill -9 "$SUITE_PID"
wait_gone 10 "$SUITE_PID" $old || die "the suite did not die around the stopped storaged"
SUITE_PID=
expect_fail "sepvirtd beside an old storaged" "sepvirt-storaged (pid $st) of an earlier start is still running" \
	"$abs_top_builddir/sepvirtd"
[ -S "$SEPVIRT_ROOT/run/storaged.sock" ] || die "the refused sepvirtd unlinked storaged's socket"
kill -CONT "$st"
wait_gone 10 "$st" || die "storaged did not stop on its parent-death signal"
restart_supervisor "after the orphan"
one_copy_each
guests_live "after the orphan"
guests_listed "after the orphan"

# A daemon never unlinks a socket a live process listens on, even without that process's lock.
if command -v python3 >/dev/null; then
	other=$(mktemp -d /tmp/sepvirt-test.XXXXXX)
	mkdir -p "$other/run"
	python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); time.sleep(30)' \
		"$other/run/netd.sock" &
	lpid=$!
	for i in $(seq 1 50); do [ -S "$other/run/netd.sock" ] && break; sleep 0.1; done
	expect_fail "netd over a live socket" "socket '$other/run/netd.sock' is in use by a running copy of sepvirt-netd" \
		env SEPVIRT_ROOT="$other" "$abs_top_builddir/sepvirt-netd"
	[ -S "$other/run/netd.sock" ] || die "netd unlinked a live socket"
	kill "$lpid"
	wait "$lpid" 2>/dev/null || true
	rm -rf "$other"
fi

# Still controllable: destroy ends the very QEMUs and container started at the beginning.
"$SEPVIRSH" destroy k1 >/dev/null || die "destroy k1"
"$SEPVIRSH" destroy k2 >/dev/null || die "destroy k2"
wait_gone 10 "${QPID[k1]}" "${QPID[k2]}" || die "destroy left a QEMU running"
for i in $(seq 1 50); do ip link show "$VNET" >/dev/null 2>&1 || break; sleep 0.1; done
ip link show "$VNET" >/dev/null 2>&1 && die "$VNET was not released by destroy"
if [ "$have_lxc" = 1 ]; then
	"$SEPVIRSH" -c "$LXC" destroy c1 >/dev/null || die "destroy c1"
	wait_gone 10 "$CPID" || die "destroy left the container's init running"
fi
echo "PASS: SIGKILL of sepvirtd and of each daemon: open files raised to $hard; no daemon left behind, one copy each, QEMU pids ${QPID[k1]} ${QPID[k2]} and container ${CPID:-none} unchanged, destroyable; a second sepvirtd, qemud and a netd over a live socket refuse"
