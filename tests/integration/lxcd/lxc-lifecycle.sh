#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A container from libvirt LXC XML: define, start, init as pid 1 in its own namespaces (checked
# from inside: /proc/1/cmdline, hostname, uid map), memory limit in its cgroup, console log,
# destroy with no process left, shutdown on SIGTERM, init exit -> shut off, undefine.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
in_netns "$@"
trap suite_stop EXIT
lxc_suite_start

# 1. an init that reports what it sees, then waits
LXC_MEM_KIB=49152 lxc_define box1 "$ROOTFS" \
	'echo "cmdline=$(tr "\0" " " </proc/1/cmdline)"; echo "pid=$$"; echo "host=$(hostname)"; echo "map=$(cat /proc/self/uid_map)"; echo "ps=$(ls /proc | grep -c "^[0-9]")"; echo READY; while :; do sleep 1; done'
$V list --all | grep -q "box1.*shut off" || die "box1 not listed shut off"
$V start box1 >/dev/null || { suite_logs; die "start failed"; }
[ "$(lxc_state box1)" = running ] || die "box1 not running: $(lxc_state box1)"
wait_console box1 READY || { suite_logs; die "init did not report"; }
log=$(cat "$SEPVIRT_ROOT/run/lxc/box1.log")
echo "$log" | grep -q "^cmdline=/bin/sh -c " || die "init is not pid 1's command: $log"
echo "$log" | grep -q "^pid=1$" || die "init is not pid 1: $log"
echo "$log" | grep -q "^host=box1$" || die "hostname is not the domain name: $log"
echo "$log" | grep -Eq "^map= +0 +$LXC_ID_BASE +65536$" || die "uid map is not the default range: $log"
pid=$(lxc_init_pid box1)
[ -n "$pid" ] && kill -0 "$pid" || die "no init pid in the status file"
[ "$(stat -c %u /proc/"$pid")" = "$LXC_ID_BASE" ] || die "init does not run as uid $LXC_ID_BASE outside"
for ns in user mnt pid uts ipc net; do
	[ "$(readlink /proc/"$pid"/ns/$ns)" != "$(readlink /proc/self/ns/$ns)" ] || die "init shares the $ns namespace"
done
# memory limit in force in its cgroup
cg=$(sed -n 's/^cg_memory=//p' "$SEPVIRT_ROOT/run/lxc/box1.status")
if [ -f "$cg/memory.max" ]; then lim=$(cat "$cg/memory.max"); else lim=$(cat "$cg/memory.limit_in_bytes"); fi
[ "$lim" = $((49152 * 1024)) ] || die "memory limit is $lim, expected $((49152 * 1024))"
grep -qx "$pid" "$cg/cgroup.procs" || die "init is not in its memory cgroup"
$V dumpxml box1 | grep -q "<domain type='lxc' id=" || die "dumpxml of a running container has no id"
$V dominfo box1 | grep -q "exe" || die "dominfo does not say exe"
# start twice is refused
expect_fail "second start" "already running" $V start box1
# statistics are not there for containers yet: refused by name, not with an empty answer
expect_fail "domblkstat" "procedure DOMAIN_BLOCK_STATS (119) is not supported by sepvirt-lxcd" $V domblkstat box1
expect_fail "domstats" "procedure DOMAIN_GET_STATS (124) is not supported by sepvirt-lxcd" $V domstats box1

# 2. destroy: init and every process of its pid namespace gone, cgroup removed
pidns=$(readlink /proc/"$pid"/ns/pid)
$V destroy box1 >/dev/null || die "destroy failed"
[ "$(lxc_state box1)" = "shut off" ] || die "not shut off after destroy"
! kill -0 "$pid" 2>/dev/null || die "init $pid still alive after destroy"
[ ! -d "$cg" ] || die "cgroup $cg left behind"
# (a process of the namespace may still be on its way out for a moment on a loaded machine)
for _ in $(seq 1 50); do
	left=0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" != "$pidns" ] || left=$((left + 1))
	done
	[ "$left" = 0 ] && break
	sleep 0.1
done
[ "$left" = 0 ] || die "$left processes of the container's pid namespace left after destroy"
[ ! -e "$SEPVIRT_ROOT/run/lxc/box1.status" ] || die "status file left after destroy"

# 3. shutdown: an init that stops on SIGTERM
lxc_define box2 "$ROOTFS" 'trap "echo BYE; exit 0" TERM; echo UP; while :; do sleep 0.1; done'
$V start box2 >/dev/null
wait_console box2 UP || die "box2 did not come up"
$V shutdown box2 >/dev/null
for i in $(seq 1 50); do [ "$(lxc_state box2)" = "shut off" ] && break; sleep 0.1; done
[ "$(lxc_state box2)" = "shut off" ] || die "box2 not shut off after shutdown"
wait_console box2 BYE || die "init did not see SIGTERM"

# 4. init exits by itself: shut off
lxc_define box3 "$ROOTFS" 'echo DONE'
$V start box3 >/dev/null
for i in $(seq 1 50); do [ "$(lxc_state box3)" = "shut off" ] && break; sleep 0.1; done
[ "$(lxc_state box3)" = "shut off" ] || die "box3 not shut off after init exited"

# 5. refusals name what is wrong
bad=$(mktemp)
lxc_xml bad "$ROOTFS" 'true' | sed "s|<target dir='/'/>|<target dir='/data'/>|" >"$bad"
expect_fail "no root filesystem" "target dir '/'" $V define "$bad"
lxc_xml bad2 "$ROOTFS" 'true' | sed "s|<init>/bin/sh</init>|<init>/nonexistent</init>|" >"$bad"
$V define "$bad" >/dev/null
expect_fail "init missing in the rootfs" "/nonexistent" $V start bad2
[ "$(lxc_state bad2)" = "shut off" ] || die "bad2 not shut off after a failed start"
# an interface a container cannot have (only ethernet and bridge, as veths: lxc-veth.sh) is
# refused, never silently left out
lxc_xml bad3 "$ROOTFS" 'true' | sed "s|</devices>|<interface type='user'/></devices>|" >"$bad"
grep -q "<interface" "$bad" || die "test XML has no interface"
expect_fail "user interface in a container" "interface type 'user' is not supported for containers" $V define "$bad"
rm -f "$bad"

# 6. a console flood is kept within bounds (lxcd/console.h): 3 MiB of output leave the log
# and one older log, each at most 1 MiB, and the newest output is in the log
lxc_define flood "$ROOTFS" 'yes 0123456789abcdef | head -c 3145728; echo; echo FLOOD-DONE; while :; do sleep 1; done'
$V start flood >/dev/null
wait_console flood FLOOD-DONE 30 >/dev/null || die "the end of the flood is not in the console log"
for f in flood.log flood.log.1; do
	sz=$(stat -c %s "$SEPVIRT_ROOT/run/lxc/$f")
	[ "$sz" -le 1048576 ] || die "$f has $sz bytes (more than 1 MiB)"
done
[ ! -e "$SEPVIRT_ROOT/run/lxc/flood.log.2" ] || die "more than one older log"
$V destroy flood >/dev/null

# 7. create: a transient container, never written to disk, gone when it stops; a failed create
# leaves nothing; a name in use is refused
lxc_xml tbox "$ROOTFS" 'while :; do sleep 1; done' >"$SEPVIRT_ROOT/t.xml"
$V create "$SEPVIRT_ROOT/t.xml" | grep -q "^Domain 'tbox' created from " || die "create"
[ "$(lxc_state tbox)" = running ] || die "tbox not running after create"
$V dominfo tbox | grep -Eq "^Persistent: +no" || die "tbox is persistent"
[ ! -e "$SEPVIRT_ROOT/etc/lxc/tbox.xml" ] || die "a created domain was written to disk"
expect_fail "create twice" "domain 'tbox' already exists" $V create "$SEPVIRT_ROOT/t.xml"
$V destroy tbox >/dev/null
if $V list --all --name | grep -qx tbox; then die "tbox still listed after it stopped"; fi
lxc_xml tbad "$ROOTFS" 'true' | sed "s|<init>/bin/sh</init>|<init>/nonexistent</init>|" >"$SEPVIRT_ROOT/t.xml"
expect_fail "create with a missing init" "/nonexistent" $V create "$SEPVIRT_ROOT/t.xml"
if $V list --all --name | grep -qx tbad; then die "a failed create left tbad defined"; fi

# 8. persistence: undefine removes the file
[ -f "$SEPVIRT_ROOT/etc/lxc/box1.xml" ] || die "no definition file"
$V undefine box1 >/dev/null
[ ! -f "$SEPVIRT_ROOT/etc/lxc/box1.xml" ] || die "definition file left after undefine"
echo "PASS: container lifecycle"
