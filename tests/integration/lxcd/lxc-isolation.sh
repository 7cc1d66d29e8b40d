#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# What a container's root cannot do: create a tap or touch the host's links (no CAP_NET_ADMIN
# over the host, its own empty network namespace), see host processes, write outside its rootfs;
# it runs under the default seccomp filter.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
. "$(dirname "$0")/lib.sh"
in_netns "$@"
trap 'rc=$?; ip link del svhost0 2>/dev/null || true; suite_stop $rc' EXIT
lxc_suite_start
ip link add svhost0 type veth peer name svhost1
ip link set svhost1 up
ip link set svhost0 up
sleep 300 & # a host process the container must not see
host_sleeper=$!
marker="$SEPVIRT_ROOT/outside-marker"

script='
echo "links=$(ls /sys/class/net | tr "\n" " ")"
ip tuntap add dev evil0 mode tap 2>/dev/null && echo "TAP=created" || echo "TAP=refused"
ip link set svhost0 down 2>/dev/null && echo "HOSTLINK=changed" || echo "HOSTLINK=refused"
echo "procs=$(ls /proc | grep -c "^[0-9]")"
cat /proc/[0-9]*/comm | grep -qx "sleep" && echo "HOSTPROC=seen" || echo "HOSTPROC=hidden"
kill -0 '"$host_sleeper"' 2>/dev/null && echo "KILLHOST=yes" || echo "KILLHOST=no"
echo x > '"$marker"' 2>/dev/null && echo "OUTSIDE=written" || echo "OUTSIDE=refused"
echo x > /sys/kernel/mm/evil 2>/dev/null && echo "SYS=written" || echo "SYS=refused"
mount -t proc proc /mnt 2>/dev/null; umount /mnt 2>/dev/null
echo "rootls=$(ls / | tr "\n" " ")"
echo "seccomp=$(grep "^Seccomp:" /proc/self/status | tr -d "\t ")"
grep -q "sepvirt-lxc" /proc/self/cgroup && echo "CGROUPS=host" || echo "CGROUPS=own"
echo DONE; while :; do sleep 1; done'
lxc_define iso "$ROOTFS" "$script"
$V start iso >/dev/null || { suite_logs; die "start failed"; }
wait_console iso DONE || die "the probe did not finish"
out=$(tr -d '\r' <"$SEPVIRT_ROOT/run/lxc/iso.log") # a pty writes CR LF
echo "$out" >&2
grep -q "^links=lo $" <<<"$out" || die "the container sees links other than its own lo"
grep -q "^TAP=refused" <<<"$out" || die "the container created a tap"
grep -q "^HOSTLINK=refused" <<<"$out" || die "the container changed a host link"
ip link show svhost0 | grep -q "UP" || die "the host link went down"
grep -q "^HOSTPROC=hidden" <<<"$out" || die "the container sees host processes"
n=$(echo "$out" | sed -n 's/^procs=//p')
[ "$n" -le 5 ] || die "the container sees $n processes (its init and the probe's pipeline at most)"
grep -q "^KILLHOST=no" <<<"$out" || die "the container can signal a host process"
grep -q "^OUTSIDE=refused" <<<"$out" || die "the container wrote outside its rootfs"
[ ! -e "$marker" ] || die "a file appeared outside the rootfs"
grep -q "^SYS=refused" <<<"$out" || die "the container wrote to the host's /sys"
# the default filter (lxcd/sandbox.c) holds for init and all it starts
grep -q "^seccomp=Seccomp:2$" <<<"$out" || die "a container process runs without the default seccomp filter"
pid=$(lxc_init_pid iso)
# its own cgroup namespace: its cgroups are its root, the host's tree is not named
grep -q "^CGROUPS=own" <<<"$out" || die "the container sees the host's cgroup paths"
[ "$(readlink /proc/"$pid"/ns/cgroup)" != "$(readlink /proc/self/ns/cgroup)" ] ||
	die "the container shares the host's cgroup namespace"
[ "$(proc_status "$pid" Seccomp)" = 2 ] || die "init runs without the default seccomp filter"
# init holds no capability over the host: CapEff is relative to its own user namespace
[ "$(stat -c %u /proc/"$pid")" != 0 ] || die "init runs as host root"
capbnd=$((16#$(proc_status "$pid" CapBnd)))
[ $((capbnd & (1 << 16))) -eq 0 ] || die "CAP_SYS_MODULE in the container's bounding set"
# the spawner holds its table (lxcd_spawner_caps: CHOWN, DAC_OVERRIDE, KILL, SETGID, SETUID)
# and no more could ever come back: its bounding set is the same
spw=$(pgrep -P "$(daemon_pid lxcd)" -x sepvirt-lxc-spw)
[ "$(proc_status "$spw" CapEff)" = 00000000000000e3 ] || die "spawner CapEff $(proc_status "$spw" CapEff)"
[ "$(proc_status "$spw" CapBnd)" = 00000000000000e3 ] || die "spawner CapBnd $(proc_status "$spw" CapBnd)"
# lxcd (uid 0) writes only in its directories (Landlock; tests/unit/test-sandbox proves the rules)
grep -Eq "writes limited to '$SEPVIRT_ROOT/etc/lxc', '$SEPVIRT_ROOT/run/lxc' and [0-9]+ cgroup director(y|ies) \(Landlock ABI|Landlock is not available" \
	"$SEPVIRT_ROOT/log/sepvirt-lxcd.log" || die "lxcd did not limit its writes with Landlock"
kill "$host_sleeper"
$V destroy iso >/dev/null
echo "PASS: container isolation"
