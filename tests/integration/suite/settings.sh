#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirt.conf: a bad line stops sepvirtd at once with one error naming the line; a file others
# may write is refused; a good file sets the daemons' settings (here proxyd's connection limit
# per uid, and the QEMUs' uid range), and the environment still overrides the file.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
need_root
suite_user_ensure
suite_vm_uids # its qemud must not take other tests' QEMUs for orphans
SEPVIRT_ROOT=$(mktemp -d /tmp/sepvirt-test.XXXXXX)
chmod 755 "$SEPVIRT_ROOT"
export SEPVIRT_ROOT
trap 'rc=$?; [ -n "${SUITE_PID:-}" ] || rm -rf "$SEPVIRT_ROOT"; suite_stop $rc' EXIT
mkdir -p "$SEPVIRT_ROOT/etc"
conf=$SEPVIRT_ROOT/etc/sepvirt.conf

printf '# sepvirt.conf\nmax_clients_per_uid = 3\nqemu_usr = sepvirt-qemu\n' >"$conf"
expect_fail "unknown key" "sepvirtd: $conf line 3: unknown key 'qemu_usr'" "$abs_top_builddir/sepvirtd"
printf 'vm_uids = 5-2\n' >"$conf"
expect_fail "bad value" "$conf line 1: vm_uids '5-2' is not a range FIRST-LAST" "$abs_top_builddir/sepvirtd"
printf 'max_clients_per_uid = 3\n' >"$conf"
chmod 0666 "$conf"
expect_fail "world-writable file" "may be written by others (mode 0666)" "$abs_top_builddir/sepvirtd"
[ ! -e "$SEPVIRT_ROOT/run/sepvirtd.pid" ] || ! kill -0 "$(cat "$SEPVIRT_ROOT/run/sepvirtd.pid")" 2>/dev/null ||
	die "sepvirtd runs with a bad configuration"

# A good file: the limit of 3 connections per uid comes from it.
chmod 0644 "$conf"
unset SEPVIRT_MAX_CLIENTS_PER_UID
"$abs_top_builddir/sepvirtd" || { cat "$SEPVIRT_ROOT"/log/*.log >&2; die "sepvirtd with a good file"; }
SUITE_PID=$(cat "$SEPVIRT_ROOT/run/sepvirtd.pid")
out=$(setpriv --reuid nobody --regid nogroup --clear-groups timeout 20 "$SV_PROBE" hold "$SEPVIRT_ROOT/run/proxyd-ro.sock" 5 1 2>&1) || true
echo "$out"
case $out in *"open=3 refused=2"*) ;; *) die "max_clients_per_uid = 3 from the file not applied: $out" ;; esac
grep -q "too many connections from uid $(id -u nobody) (limit 3)" <<<"$out" || die "no refusal naming the limit: $out"
suite_stop 0
SEPVIRT_ROOT=$(mktemp -d /tmp/sepvirt-test.XXXXXX)
chmod 755 "$SEPVIRT_ROOT"
mkdir -p "$SEPVIRT_ROOT/etc"
printf 'max_clients_per_uid = 3\n' >"$SEPVIRT_ROOT/etc/sepvirt.conf"
# The environment overrides the file.
SEPVIRT_MAX_CLIENTS_PER_UID=4 "$abs_top_builddir/sepvirtd" || die "sepvirtd with an override"
SUITE_PID=$(cat "$SEPVIRT_ROOT/run/sepvirtd.pid")
out=$(setpriv --reuid nobody --regid nogroup --clear-groups timeout 20 "$SV_PROBE" hold "$SEPVIRT_ROOT/run/proxyd-ro.sock" 5 1 2>&1) || true
case $out in *"open=4 refused=1"*) ;; *) die "the environment did not override the file: $out" ;; esac
echo "PASS: sepvirt.conf: bad lines refused by line and value, a writable file refused, keys applied, the environment overrides"
