#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Session mode: the whole suite as an ordinary user with no capabilities; the tap was
# pre-created for that user (managed='no'); the guest boots and answers ping.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"
need_cmd runuser

user=${SV_SESSION_USER:-svsession}
id "$user" >/dev/null 2>&1 || useradd --no-create-home --shell /usr/sbin/nologin "$user" ||
    skip "cannot create the user $user"
[ -r "$GUEST_KERNEL" ] || skip "the guest kernel is not readable by $user"
runuser -u "$user" -- test -x "$abs_top_builddir/sepvirtd" || skip "the build tree is not reachable by $user"

tap_create sstap0 "$user"
ip addr add 10.80.0.1/24 dev sstap0
SEPVIRT_ROOT=$(mktemp -d /tmp/sepvirt-session.XXXXXX)
chown "$user" "$SEPVIRT_ROOT"
export SEPVIRT_ROOT
as_user() { runuser -u "$user" -- env SEPVIRT_ROOT="$SEPVIRT_ROOT" "$@"; }
stop() {
    local rc=$? pids
    pids=$(suite_qemus)
    [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
    [ -f "$SEPVIRT_ROOT/run/sepvirtd.pid" ] && kill "$(cat "$SEPVIRT_ROOT/run/sepvirtd.pid")" 2>/dev/null
    sleep 1
    rm -rf "$SEPVIRT_ROOT"
    exit "$rc"
}
trap stop EXIT
as_user "$abs_top_builddir/sepvirtd" || { cat "$SEPVIRT_ROOT"/log/*.log >&2; die "sepvirtd as $user"; }
VMDIR=$SEPVIRT_ROOT/vm
as_user mkdir -p "$VMDIR"
SEPVIRSH_USER="$abs_top_builddir/sepvirsh"
guest_xml s1 10.80.0.2 "$(ethernet_xml 52:54:00:00:80:02 sstap0 no)" >"$SEPVIRT_ROOT/s1.xml"
as_user "$SEPVIRSH_USER" define "$SEPVIRT_ROOT/s1.xml" >/dev/null || die "define as $user"
as_user "$SEPVIRSH_USER" start s1 >/dev/null || { tail -n 20 "$SEPVIRT_ROOT"/log/*.log >&2; die "start as $user"; }
qpid=$(qemu_pid s1)
[ "$(stat -c %U "/proc/$qpid")" = "$user" ] || die "QEMU does not run as $user"
qd=$(pgrep -u "$user" -x sepvirt-qemud | head -n1)
[ "$(proc_status "$qd" CapEff)" = 0000000000000000 ] || die "qemud has capabilities in session mode"
wait_serial s1 'SEPVIRT-NET-UP eth0 10.80.0.2'
ping_guest 10.80.0.2
as_user "$SEPVIRSH_USER" destroy s1 >/dev/null || die "destroy as $user"
ip link show sstap0 >/dev/null 2>&1 || die "the user's tap is gone"
log "ok: session mode as $user boots and pings"
