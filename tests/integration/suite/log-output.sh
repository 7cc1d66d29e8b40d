#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# log_output of sepvirt.conf: syslog sends every daemon's lines (and sepvirtd's) to the system
# logger's /dev/log with facility daemon, the daemon's name as tag and the level's severity, and
# keeps them out of the per-daemon files; stderr gathers them all on sepvirtd's standard error;
# a bad value is refused naming the line; syslog without a logger is one clear error at start.
# The logger is a socket of the test's own on a /dev of its own (a private mount namespace), so
# the host's /dev is never touched.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
need_root
need_cmd unshare
need_cmd python3
if [ -z "${SV_LOG_OUTPUT_NS:-}" ]; then
	SV_LOG_OUTPUT_NS=1 exec unshare -m --propagation private "$0" "$@"
fi
suite_user_ensure
suite_vm_uids

# /dev anew: a tmpfs holding the host's entries bound one by one, so /dev/log can be ours.
olddev=$(mktemp -d /tmp/sepvirt-olddev.XXXXXX)
mount --rbind /dev "$olddev"
mount -t tmpfs -o mode=755 sepvirt-test-dev /dev
for e in "$olddev"/* "$olddev"/.[!.]*; do
	[ -e "$e" ] || [ -L "$e" ] || continue
	n=/dev/${e##*/}
	[ "$n" != /dev/log ] || continue
	if [ -L "$e" ]; then
		cp -P "$e" "$n"
	elif [ -d "$e" ]; then
		mkdir "$n" && mount --rbind "$e" "$n"
	else
		touch "$n" && mount --bind "$e" "$n"
	fi
done
# The binds stand on their own: the old tree goes (rmdir only: never remove below a /dev).
umount -l "$olddev" && rmdir "$olddev"

SEPVIRT_ROOT=$(mktemp -d /tmp/sepvirt-test.XXXXXX)
chmod 755 "$SEPVIRT_ROOT"
export SEPVIRT_ROOT
work=$(mktemp -d /tmp/sepvirt-log-output.XXXXXX)
logger_pid=
trap 'rc=$?; [ -z "$logger_pid" ] || kill "$logger_pid" 2>/dev/null; suite_stop $rc; rm -rf "$SEPVIRT_ROOT" "$work"' EXIT
mkdir -p "$SEPVIRT_ROOT/etc" "$SEPVIRT_ROOT/log"
conf=$SEPVIRT_ROOT/etc/sepvirt.conf
unset SEPVIRT_LOG_OUTPUT

printf 'log_level = info\nlog_output = journal\n' >"$conf"
expect_fail "bad log_output" "$conf line 2: log_output 'journal' is not one of file, stderr, syslog" \
	"$abs_top_builddir/sepvirtd"

printf 'log_output = syslog\n' >"$conf"
expect_fail "syslog without a logger" \
	"log_output is syslog but the system logger's socket /dev/log cannot be reached" "$abs_top_builddir/sepvirtd"

# The logger: one line of the file per datagram received.
received=$work/syslog.out # outside SEPVIRT_ROOT, which suite_stop removes
python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
os.chmod("/dev/log", 0o666)
with open(sys.argv[1], "ab", 0) as f:
    while True:
        f.write(s.recv(65536) + b"\n")
' "$received" &
logger_pid=$!
for _ in $(seq 1 50); do [ -S /dev/log ] && break; sleep 0.1; done
[ -S /dev/log ] || die "the test's logger did not bind /dev/log"

"$abs_top_builddir/sepvirtd" || { cat "$SEPVIRT_ROOT"/log/*.log >&2; die "sepvirtd with log_output = syslog"; }
SUITE_PID=$(cat "$SEPVIRT_ROOT/run/sepvirtd.pid")
"$SEPVIRSH" list --all >/dev/null || die "list with log_output = syslog"
expect_fail "unknown domain" "error: failed to get domain 'absent'" "$SEPVIRSH" dominfo absent
suite_stop 0
# <30>: facility daemon (3 * 8) + severity info (6); each process tags its lines with its name.
for d in sepvirtd sepvirt-proxyd sepvirt-qemud sepvirt-storaged sepvirt-netd sepvirt-lxcd; do
	grep -q -E "^<30>$d\[[0-9]+\]: info: " "$received" || { cat "$received" >&2; die "no info line of $d at the logger"; }
done
if grep -h -E ' (info|warning|error): ' "$SEPVIRT_ROOT"/log/*.log 2>/dev/null | grep -q .; then
	grep -h -E ' (info|warning|error): ' "$SEPVIRT_ROOT"/log/*.log >&2
	die "log lines went to the files as well as to the logger"
fi
syslog_lines=$(wc -l <"$received")

# stderr: one stream, sepvirtd's own standard error, with every daemon's lines.
SEPVIRT_ROOT=$(mktemp -d /tmp/sepvirt-test.XXXXXX)
chmod 755 "$SEPVIRT_ROOT"
mkdir -p "$SEPVIRT_ROOT/etc" "$SEPVIRT_ROOT/log"
printf 'log_output = stderr\n' >"$SEPVIRT_ROOT/etc/sepvirt.conf"
stream=$SEPVIRT_ROOT/log/stderr-of-sepvirtd.log # under log/: suite_stop checks it for sanitizer reports
"$abs_top_builddir/sepvirtd" --foreground 2>"$stream" &
SUITE_PID=$!
for _ in $(seq 1 200); do [ -S "$SEPVIRT_ROOT/run/proxyd.sock" ] && break; sleep 0.1; done
"$SEPVIRSH" list --all >/dev/null || { cat "$stream" >&2; die "list with log_output = stderr"; }
for d in sepvirtd sepvirt-proxyd sepvirt-qemud sepvirt-storaged sepvirt-netd sepvirt-lxcd; do
	grep -q -E " $d\[[0-9]+\]: info: " "$stream" || { cat "$stream" >&2; die "no line of $d on sepvirtd's stderr"; }
done
for f in "$SEPVIRT_ROOT"/log/sepvirt-*.log; do
	[ -e "$f" ] || continue
	die "log_output = stderr still wrote $f"
done
echo "PASS: log_output: syslog ($syslog_lines datagrams, every process tagged, facility daemon), stderr (one stream), bad values and a missing logger refused"
