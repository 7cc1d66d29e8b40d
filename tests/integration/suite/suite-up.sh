#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The suite comes up under sepvirtd, every daemon answers through proxyd, and each one runs
# with exactly its row of the privilege table (uid, CapEff, Seccomp 2).
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
trap suite_stop EXIT
suite_start

out=$("$SEPVIRSH" version --daemon) || { suite_logs; die "sepvirsh version --daemon failed"; }
echo "$out"
for d in proxyd qemud lxcd netd storaged; do
	echo "$out" | grep -Eq "^ sepvirt-$d +[0-9.]+ +[0-9]+ " || die "sepvirt-$d did not answer through the proxy"
done

proxy_uid=$(id -u "$SUITE_PROXY_USER")
qemu_uid=$(id -u "$SUITE_QEMU_USER")
storage_uid=$(id -u "$SUITE_STORAGE_USER")
# Three users, three uids: no daemon shares its identity with another.
[ "$proxy_uid" != "$qemu_uid" ] && [ "$qemu_uid" != "$storage_uid" ] && [ "$proxy_uid" != "$storage_uid" ] ||
	die "the daemons' users share a uid"
# daemon  expected-uid  expected-CapEff
while read -r d uid capeff; do
	pid=$(daemon_pid "$d")
	[ -n "$pid" ] || die "no sepvirt-$d process"
	[ "$(proc_status "$pid" Uid | head -c 20)" = "$uid" ] || die "sepvirt-$d runs as uid $(proc_status "$pid" Uid), expected $uid"
	[ "$(proc_status "$pid" CapEff)" = "$capeff" ] || die "sepvirt-$d CapEff $(proc_status "$pid" CapEff), expected $capeff"
	[ "$(proc_status "$pid" CapBnd)" = "$capeff" ] || die "sepvirt-$d CapBnd $(proc_status "$pid" CapBnd), expected $capeff"
	[ "$(proc_status "$pid" Seccomp)" = 2 ] || die "sepvirt-$d has no seccomp filter"
	[ "$(proc_status "$pid" NoNewPrivs)" = 1 ] || die "sepvirt-$d lacks no_new_privs"
done <<ROWS
proxyd $proxy_uid 0000000000000000
qemud $qemu_uid 0000000000000000
netd 0 0000000000001000
storaged $storage_uid 0000000000000009
lxcd 0 0000000000000020
ROWS

# Supplementary groups: the driver sockets' group only; qemud is not even in kvm (only QEMUs are).
daemons_gid=$(getent group "${SEPVIRT_DAEMON_GROUP:-sepvirt-daemons}" | cut -d: -f3)
for d in proxyd qemud storaged netd lxcd; do
	groups=$(proc_status "$(daemon_pid "$d")" Groups)
	[ "$groups" = "$daemons_gid" ] || die "sepvirt-$d has supplementary groups '$groups', expected '$daemons_gid'"
done
# The spawner of qemud: root with CAP_SETUID and CAP_SETGID only (bits 6, 7), no_new_privs.
spawner=$(pgrep -P "$(daemon_pid qemud)" -x qemud-spawner | head -n1)
[ -n "$spawner" ] || die "no qemud-spawner"
[ "$(proc_status "$spawner" Uid | head -c 1)" = 0 ] || die "the spawner is not uid 0"
[ "$(proc_status "$spawner" CapEff)" = 00000000000000c0 ] || die "spawner CapEff $(proc_status "$spawner" CapEff), expected 00000000000000c0"
[ "$(proc_status "$spawner" CapBnd)" = 00000000000000c0 ] || die "spawner CapBnd $(proc_status "$spawner" CapBnd)"
[ "$(proc_status "$spawner" NoNewPrivs)" = 1 ] || die "the spawner lacks no_new_privs"

# Only netd holds CAP_NET_ADMIN (bit 12).
for d in proxyd qemud lxcd storaged; do
	cap=$((16#$(proc_status "$(daemon_pid "$d")" CapEff)))
	[ $((cap & (1 << 12))) -eq 0 ] || die "sepvirt-$d holds CAP_NET_ADMIN"
done

# A client cannot forge its identity: proxyd stamps what SO_PEERCRED says.
nobody_uid=$(id -u nobody)
seen=$(setpriv --reuid nobody --regid nogroup --clear-groups "$SV_PROBE" forge "$SEPVIRT_ROOT/run/proxyd-ro.sock" 2 0)
[ "$seen" = "seen uid=$nobody_uid" ] || die "forged identity passed through: $seen"
echo "PASS: every daemon answers, with its own privileges"
