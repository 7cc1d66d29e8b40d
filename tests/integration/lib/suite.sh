# SPDX-License-Identifier: LGPL-2.1-or-later
# Start and stop the real suite under a temporary SEPVIRT_ROOT. Source after common.sh.
# Binaries come from the build tree ($abs_top_builddir, set by `make check`).

: "${abs_top_builddir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}"
: "${abs_top_srcdir:=$abs_top_builddir}"
SEPVIRSH="$abs_top_builddir/sepvirsh"
SV_PROBE="$abs_top_builddir/tests/tools/sv-probe"

# The daemons' users and groups (sepvirt-proxy, sepvirt-qemu, sepvirt-storage, ...), as make install
# creates them.
suite_user_ensure() {
	"$abs_top_srcdir/scripts/create-users.sh" || die "cannot create the suite's users and groups"
}
SUITE_PROXY_USER=${SEPVIRT_PROXY_USER:-sepvirt-proxy}
SUITE_QEMU_USER=${SEPVIRT_QEMU_USER:-sepvirt-qemu}
SUITE_STORAGE_USER=${SEPVIRT_STORAGE_USER:-sepvirt-storage}

# suite_vm_uids: suites run side by side (make -j check), each with QEMU uids of its own: 200
# from a slot of the default range that no live test holds (a symlink per slot whose target is
# its holder's pid, made atomically; the slot is free again once that test has ended: a later
# test takes over a dead holder's slot). Every test that starts a sepvirtd needs one: a qemud of
# the whole default range would stop every other test's QEMUs as orphans at its start. Sets and
# exports SEPVIRT_VM_UIDS.
SUITE_VM_SLOTS=/tmp/sepvirt-vm-slots
suite_vm_uids() {
	local i s holder
	[ -z "${SEPVIRT_VM_UIDS:-}" ] || { export SEPVIRT_VM_UIDS; return 0; }
	mkdir -p "$SUITE_VM_SLOTS"
	for i in $(seq 0 299); do
		s=$((($$ + i) % 300))
		if ! ln -s "$$" "$SUITE_VM_SLOTS/$s" 2>/dev/null; then
			holder=$(readlink "$SUITE_VM_SLOTS/$s" 2>/dev/null || echo 0)
			[ "$holder" != 0 ] && kill -0 "$holder" 2>/dev/null && continue
			rm -f "$SUITE_VM_SLOTS/$s"
			ln -s "$$" "$SUITE_VM_SLOTS/$s" 2>/dev/null || continue
		fi
		SUITE_VM_SLOT=$s
		export SEPVIRT_VM_UIDS=$((200000 + s * 200))-$((200000 + s * 200 + 199))
		return 0
	done
	die "no free slot of QEMU uids in $SUITE_VM_SLOTS"
}

# suite_start: a fresh SEPVIRT_ROOT, sepvirtd detached once every socket is up.
suite_start() {
	need_root
	suite_user_ensure
	SEPVIRT_ROOT=$(mktemp -d /tmp/sepvirt-test.XXXXXX)
	chmod 755 "$SEPVIRT_ROOT" # the daemons run as their own users and must reach their sockets
	export SEPVIRT_ROOT
	suite_vm_uids
	"$abs_top_builddir/sepvirtd" || { cat "$SEPVIRT_ROOT"/log/*.log >&2; die "sepvirtd did not come up"; }
	SUITE_PID=$(cat "$SEPVIRT_ROOT/run/sepvirtd.pid")
}

# The pid of one daemon of the suite, e.g. daemon_pid qemud.
daemon_pid() {
	# By comm (cut at 15 characters: sepvirt-storage), not by command line: a container's
	# console relay is a child of sepvirtd too (a subreaper) with lxcd's command line, and
	# only its comm (sepvirt-lxc-con) tells it apart; pids wrap, so "the lowest" proves nothing.
	local comm
	comm=$(printf '%.15s' "sepvirt-$1")
	{ pgrep -P "$SUITE_PID" -x "$comm" || true; } | head -n1
}

# suite_stop [RC]: RC is the status the test is ending with (default: the last command's).
suite_stop() {
	local rc=${1:-$?}
	[ -n "${SUITE_PID:-}" ] || return 0
	kill "$SUITE_PID" 2>/dev/null || true
	local i
	for i in $(seq 1 100); do
		kill -0 "$SUITE_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$SUITE_PID" 2>/dev/null || true
	SUITE_PID=
	# A sanitizer report in any daemon's log fails the test (ASan/UBSan builds).
	if grep -l -E "ERROR: (AddressSanitizer|LeakSanitizer)|Sanitizer has encountered|runtime error:" "$SEPVIRT_ROOT"/log/*.log 2>/dev/null; then
		grep -h -A 30 -E "ERROR: (AddressSanitizer|LeakSanitizer)|Sanitizer has encountered|runtime error:" "$SEPVIRT_ROOT"/log/*.log >&2
		rc=1
	fi
	if [ -n "${SEPVIRT_ROOT:-}" ] && [ -d "$SEPVIRT_ROOT" ]; then
		if [ "${SV_KEEP_ROOT:-0}" = 1 ]; then
			echo "kept $SEPVIRT_ROOT" >&2
		else
			rm -rf "$SEPVIRT_ROOT"
		fi
	fi
	[ "$rc" -eq 0 ] || exit "$rc"
}

# Prints the daemons' logs (for a failing test).
suite_logs() {
	[ -d "${SEPVIRT_ROOT:-/nonexistent}/log" ] && tail -n 30 "$SEPVIRT_ROOT"/log/*.log >&2 || true
}

# field of /proc/PID/status, e.g. proc_status 123 CapEff
proc_status() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}

# expect_fail "what" "needle" cmd...: the command must fail and print needle.
expect_fail() {
	local what="$1" needle="$2" out
	shift 2
	if out=$("$@" 2>&1); then
		die "$what: succeeded but should have failed: $out"
	fi
	case "$out" in
	*"$needle"*) ;;
	*) die "$what: expected '$needle' in: $out" ;;
	esac
}
