#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Resource exhaustion (issue 18), each written as the attack, by an ordinary user (nobody)
# against the read-only socket, while root administers:
#  1. 1,100 idle connections: nobody gets its share, the rest are refused by name; root's
#     list answers within 1 s and proxyd does not spin;
#  2. 200 connections each announcing a 4 MiB frame and sending nothing: proxyd's memory does
#     not grow by what was announced;
#  3. a client that never reads its replies is dropped and the memory comes back;
#  4. a domain with 10,000 interfaces (or disks) is refused at define, at once, by qemud and
#     lxcd; netd refuses an interface index past the limit before creating anything;
#  5. the fds run out all the same (a suite with a hard limit of 64): refused, no spinning;
#  6. several users together use up what is not kept for root: root still gets in.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
in_netns "$@"
need_cmd setpriv
HELD=()
state=$(mktemp /tmp/sepvirt-limits.XXXXXX)
cleanup() {
	local rc=$? p
	for p in "${HELD[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -f "$state"
	[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || suite_logs
	suite_stop "$rc"
}
trap cleanup EXIT
# The usual soft limit of a login shell or a systemd service: the daemons raise it themselves.
ulimit -Sn 1024
suite_start
proxy_pid=$(daemon_pid proxyd)
ro="$SEPVIRT_ROOT/run/proxyd-ro.sock"
nobody_uid=$(id -u nobody)
nobody_group=$(id -gn nobody)
as_nobody() { setpriv --reuid nobody --regid "$nobody_group" --clear-groups "$@"; }
hz=$(getconf CLK_TCK)

# proxyd's CPU use over 2 s, in percent of one CPU.
cpu_percent() {
	local t0 t1
	t0=$(awk '{ print $14 + $15 }' "/proc/$proxy_pid/stat")
	sleep 2
	t1=$(awk '{ print $14 + $15 }' "/proc/$proxy_pid/stat")
	echo $(((t1 - t0) * 100 / (2 * hz)))
}
# A field of proxyd's /proc status in KiB, e.g. kib VmRSS.
kib() { proc_status "$proxy_pid" "$1"; }
# root's `sepvirsh list --all`, timed in ms; fails the test when it fails.
# The best of three: one slow answer on a loaded machine (a sanitizer build beside other
# tests) is scheduling; a proxyd that spins or is starved of fds is slow every time.
timed_list() {
	local t0 out ms best=
	for _ in 1 2 3; do
		t0=$(now_ms)
		out=$(timeout 20 "$SEPVIRSH" list --all 2>&1) || die "root's list failed: $out"
		ms=$(($(now_ms) - t0))
		[ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
		[ "$best" -lt 1000 ] && break
	done
	echo "$best"
}
# hold_as WHO OUT MODE N: sv-probe holding N connections in the background, once it reports.
hold_as() {
	local who=$1 out=$2
	shift 2
	if [ "$who" = nobody ]; then
		# setpriv execs sv-probe, so $! is the holder itself (a function would be a subshell)
		setpriv --reuid nobody --regid "$nobody_group" --clear-groups "$SV_PROBE" "$@" >"$out" 2>&1 &
	else
		"$SV_PROBE" "$@" >"$out" 2>&1 &
	fi
	HELD+=($!)
	wait_for_file_pattern "$out" '^held$' 60 $! || { cat "$out" >&2; die "sv-probe $* did not report"; }
}
# restart_suite FDS VAR=VALUE...: a new suite with that hard limit on fds and environment.
restart_suite() {
	local fds=$1
	shift
	suite_stop 0
	(
		ulimit -n "$fds"
		export "$@"
		suite_start
		echo "$SEPVIRT_ROOT $SUITE_PID" >"$state"
	)
	read -r SEPVIRT_ROOT SUITE_PID <"$state"
	export SEPVIRT_ROOT
	proxy_pid=$(daemon_pid proxyd)
	ro="$SEPVIRT_ROOT/run/proxyd-ro.sock"
}
release_held() {
	local p
	for p in "${HELD[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	HELD=()
}

soft=$(awk '/^Max open files/ { print $4 }' "/proc/$proxy_pid/limits")
[ "$soft" = unlimited ] || [ "$soft" -gt 1024 ] || die "proxyd kept the soft limit of $soft fds"
grep -q "client limits: 1000 connections, 100 per uid other than root, 100 kept for root" \
	"$SEPVIRT_ROOT/log/sepvirt-proxyd.log" || die "proxyd does not log its client limits"

# 1. 1,100 idle connections from nobody.
hold_as nobody "$SEPVIRT_ROOT/idle.out" hold "$ro" 1100 300
cat "$SEPVIRT_ROOT/idle.out" >&2
grep -q "^open=100 refused=1000$" "$SEPVIRT_ROOT/idle.out" || die "expected 100 open and 1000 refused"
grep -q "^error: too many connections from uid $nobody_uid (limit 100)$" "$SEPVIRT_ROOT/idle.out" ||
	die "the refusal does not name the uid and the limit"
list_ms=$(timed_list)
[ "$list_ms" -lt 1000 ] || die "root's list took $list_ms ms with nobody's connections held"
cpu=$(cpu_percent)
[ "$cpu" -lt 20 ] || die "proxyd uses $cpu% CPU with idle connections held"
# nobody's next client is told why.
expect_fail "nobody's 101st connection" "too many connections from uid $nobody_uid (limit 100)" \
	as_nobody env SEPVIRT_ROOT="$SEPVIRT_ROOT" "$SEPVIRSH" -r list --all
release_held
sleep 0.2
as_nobody env SEPVIRT_ROOT="$SEPVIRT_ROOT" "$SEPVIRSH" -r list --all >/dev/null ||
	die "nobody's connections were not counted down when they closed"
log "1,100 idle connections: root's list in $list_ms ms, proxyd at $cpu% CPU"

# 2. 200 connections announcing a 4 MiB frame each, sending nothing more.
rss0=$(kib VmRSS) data0=$(kib VmData)
hold_as root "$SEPVIRT_ROOT/announce.out" announce "$SEPVIRT_ROOT/run/proxyd.sock" 200 300
grep -q "^open=200 refused=0$" "$SEPVIRT_ROOT/announce.out" || die "announcing clients: $(cat "$SEPVIRT_ROOT/announce.out")"
rss1=$(kib VmRSS) data1=$(kib VmData)
release_held
log "200 clients announcing 4 MiB: VmRSS $rss0 -> $rss1 KiB, VmData $data0 -> $data1 KiB"
[ $((rss1 - rss0)) -lt 4096 ] || die "VmRSS grew by $((rss1 - rss0)) KiB for 200 announced frames"
[ $((data1 - data0)) -lt 12800 ] || die "VmData grew by $((data1 - data0)) KiB for 200 announced frames"

# 3. A client that never reads its replies.
sleep 0.2
rss2=$(kib VmRSS) hwm2=$(kib VmHWM)
out=$(as_nobody "$SV_PROBE" slow-reader "$ro") || die "slow reader: $out"
grep -q "^dropped after" <<<"$out" || die "slow reader: $out"
sleep 0.2
rss3=$(kib VmRSS) hwm3=$(kib VmHWM)
log "slow reader ($out): VmRSS $rss2 -> $rss3 KiB (peak VmHWM $hwm2 -> $hwm3 KiB)"
# AddressSanitizer's allocator keeps freed memory in quarantine: nothing to measure there.
if grep -q libasan "/proc/$proxy_pid/maps"; then
	log "sanitizer build: the memory given back is not checked"
else
	[ $((rss3 - rss2)) -lt 2048 ] || die "VmRSS stayed $((rss3 - rss2)) KiB up after the slow reader was dropped"
fi
grep -q "client uid $nobody_uid does not read its replies: dropped with" "$SEPVIRT_ROOT/log/sepvirt-proxyd.log" ||
	die "the drop was not logged"

# 4. 10,000 interfaces, or disks, at define.
many() { # many TYPE ELEMENT-FORMAT N: FORMAT has one %d, the device's number
	local i
	printf "<domain type='%s'><name>many</name><memory unit='MiB'>64</memory>" "$1"
	if [ "$1" = lxc ]; then
		printf "<os><type>exe</type><init>/bin/sh</init></os><devices>"
	else
		printf "<os><type>hvm</type></os><devices>"
	fi
	for i in $(seq 1 "$3"); do printf "$2" "$i"; done
	printf "</devices></domain>\n"
}
for type in qemu lxc; do
	many "$type" "<interface type='ethernet'><target dev='t%d'/></interface>" 10000 >"$SEPVIRT_ROOT/nics-$type.xml"
	t0=$(now_ms)
	expect_fail "$type domain with 10,000 interfaces" "too many interface devices: 10000 (limit 256 per domain)" \
		"$SEPVIRSH" define "$SEPVIRT_ROOT/nics-$type.xml"
	define_ms=$(($(now_ms) - t0))
	[ "$define_ms" -lt 2000 ] || die "refusing 10,000 interfaces took $define_ms ms"
	log "$type: 10,000 interfaces refused in $define_ms ms"
done
many qemu "<disk type='file'><source file='/img'/><target dev='vd%d'/></disk>" 10000 >"$SEPVIRT_ROOT/disks.xml"
expect_fail "domain with 10,000 disks" "too many disk devices: 10000 (limit 256 per domain)" \
	"$SEPVIRSH" define "$SEPVIRT_ROOT/disks.xml"
# At the limit the count is no reason to refuse: a container takes 256 veths (no PCI slots; a
# QEMU domain's 256 NICs need more slots than PCI bus 0 has, and sepvirt adds no PCI bridges
# of its own yet: that refusal names the bus).
many lxc "<interface type='ethernet'><target dev='t%d'/></interface>" 256 |
	sed "s|<devices>|<devices><filesystem type='mount'><source dir='/srv/none'/><target dir='/'/></filesystem>|" \
	>"$SEPVIRT_ROOT/nics-256.xml"
"$SEPVIRSH" -c lxc:///system define "$SEPVIRT_ROOT/nics-256.xml" >/dev/null || die "256 interfaces were refused"
"$SEPVIRSH" -c lxc:///system undefine many >/dev/null
many qemu "<interface type='ethernet'><target dev='t%d'/></interface>" 256 >"$SEPVIRT_ROOT/nics-256q.xml"
expect_fail "256 NICs of a QEMU domain" "no free slot left on PCI bus 0" "$SEPVIRSH" define "$SEPVIRT_ROOT/nics-256q.xml"
# netd, asked directly as qemud would: nothing is created past the limit.
netd_client=$abs_top_builddir/tests/integration/netd/netd-client
if [ -x "$netd_client" ]; then
	expect_fail "netd: interface index 256" "too many interfaces: index 256 of domain" \
		"$netd_client" open 00000000-0000-4000-8000-000000000001 256 --dev limtap0
	ip link show limtap0 >/dev/null 2>&1 && die "netd created limtap0 past the limit"
fi
[ "$(daemon_pid proxyd)" = "$proxy_pid" ] || die "proxyd was restarted"

# 5. Out of fds all the same: a suite whose hard limit is 64 fds, limits set above that through
# the environment, and nobody holding 200 connections.
restart_suite 64 SEPVIRT_MAX_CLIENTS=1000 SEPVIRT_MAX_CLIENTS_PER_UID=500
grep -q "client limits: 1000 connections, 500 per uid other than root" "$SEPVIRT_ROOT/log/sepvirt-proxyd.log" ||
	die "SEPVIRT_MAX_CLIENTS_PER_UID was not applied"
grep -q "64 file descriptors for up to 1000 clients" "$SEPVIRT_ROOT/log/sepvirt-proxyd.log" ||
	die "proxyd does not warn that its fd limit is below its client limit"
hold_as nobody "$SEPVIRT_ROOT/nofd.out" hold "$ro" 200 300
cat "$SEPVIRT_ROOT/nofd.out" >&2
grep -q "^error: sepvirt-proxyd cannot accept more connections now: Too many open files$" "$SEPVIRT_ROOT/nofd.out" ||
	die "a client refused for want of fds was not told why"
cpu_nofd=$(cpu_percent)
[ "$cpu_nofd" -lt 20 ] || die "proxyd uses $cpu_nofd% CPU when out of fds"
release_held
sleep 0.2
list_ms2=$(timed_list)
[ "$list_ms2" -lt 1000 ] || die "root's list took $list_ms2 ms once the fds were back"
log "out of fds: proxyd at $cpu_nofd% CPU, serving again at once ($list_ms2 ms)"

# 6. Many users: with 30 connections in all (3 kept for root) and 20 per uid, nobody and a uid
# of no account hold 27 together; the rest are refused by name and root still gets in.
restart_suite "$(ulimit -Hn)" SEPVIRT_MAX_CLIENTS=30 SEPVIRT_MAX_CLIENTS_PER_UID=20
hold_as nobody "$SEPVIRT_ROOT/share1.out" hold "$ro" 25 300
grep -q "^open=20 refused=5$" "$SEPVIRT_ROOT/share1.out" || die "nobody: $(cat "$SEPVIRT_ROOT/share1.out")"
setpriv --reuid 54321 --regid 54321 --clear-groups "$SV_PROBE" hold "$ro" 20 300 >"$SEPVIRT_ROOT/share2.out" 2>&1 &
HELD+=($!)
wait_for_file_pattern "$SEPVIRT_ROOT/share2.out" '^held$' 60 $! || die "uid 54321's holder did not report"
grep -q "^open=7 refused=13$" "$SEPVIRT_ROOT/share2.out" || die "uid 54321: $(cat "$SEPVIRT_ROOT/share2.out")"
grep -q "^error: too many connections to sepvirt-proxyd (limit 27 for users other than root)$" \
	"$SEPVIRT_ROOT/share2.out" || die "the refusal does not name the shared limit"
list_ms3=$(timed_list)
[ "$list_ms3" -lt 1000 ] || die "root's list took $list_ms3 ms with the users' share used up"
release_held
log "users' share used up: root's list in $list_ms3 ms"
echo "PASS: connection limits (root's list in $list_ms ms, proxyd at $cpu% CPU), no spinning without fds ($cpu_nofd% CPU), frames allocated as they arrive (VmRSS +$((rss1 - rss0)) KiB for 200), slow reader dropped (VmRSS $rss2 -> $rss3 KiB), 10,000 interfaces refused at define"
