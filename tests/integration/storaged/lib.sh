# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Helpers of the storaged tests. Source after common.sh and suite.sh.

STORAGED_PROBE="$abs_top_builddir/tests/integration/storaged/storaged-probe"

# storage_start: the suite, and $POOLS: a directory the suite user may create pools in.
storage_start() {
	suite_start
	POOLS="$SEPVIRT_ROOT/pools"
	mkdir -p "$POOLS"
	chown "$SUITE_STORAGE_USER" "$POOLS"
}

# storaged_uid, storaged_gid: who storaged runs as, read from its process (each daemon may
# have a user of its own: never assume a user name).
storaged_uid() { proc_status "$(daemon_pid storaged)" Uid; }
storaged_gid() { proc_status "$(daemon_pid storaged)" Gid; }

# pool_xml NAME PATH [EXTRA-TARGET-XML]: a dir pool definition in a file; prints the file.
pool_xml() {
	local f="$SEPVIRT_ROOT/$1.pool.xml"
	printf "<pool type='dir'><name>%s</name><target><path>%s</path>%s</target></pool>\n" "$1" "$2" "${3:-}" >"$f"
	echo "$f"
}

# pool_up NAME: defined, built and started under $POOLS/NAME.
pool_up() {
	"$SEPVIRSH" pool-define "$(pool_xml "$1" "$POOLS/$1")" >/dev/null || die "pool-define $1"
	"$SEPVIRSH" pool-build "$1" >/dev/null || die "pool-build $1"
	"$SEPVIRSH" pool-start "$1" >/dev/null || die "pool-start $1"
}

# qimg_field FILE FIELD: a field of `qemu-img info --output=json` (format, virtual-size, backing-filename).
qimg_field() {
	qemu-img info -U --output=json "$1" | sed -n "s/^ *\"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" | head -n1
}

# storaged_restart: kill -9 storaged and wait until sepvirtd has it back.
storaged_restart() {
	local old i
	old=$(daemon_pid storaged)
	kill -9 "$old"
	wait_pid_exit "$old" 5 || die "storaged did not die"
	for i in $(seq 1 100); do
		if "$SEPVIRSH" pool-list >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	suite_logs
	die "storaged did not come back"
}
