#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# boot-smoke.sh [--user USER]: plain-QEMU proof that the test guest boots under TCG,
# gets a static address on a pre-created tap, answers ping, reboots on system_reset
# and powers itself off on QMP system_powerdown (ACPI power button).
# With --user, the tap is created owned by USER and QEMU runs as USER (session
# mode / <target managed='no'/>): QEMU needs no privilege to open an owned tap.
# Runs in a private network namespace; the host's interfaces are never touched.
# Exit: 0 pass, 1 fail, 77 skip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/common.sh
. "$here/../lib/common.sh"

qemu_user=
if [ "${1:-}" = --user ]; then
    qemu_user=${2:?--user needs a user name}
fi

need_root
need_cmd qemu-system-x86_64 ip ping socat setpriv flock cpio gzip
in_netns "$@"

tap=svtap0
host_ip=10.77.0.1
guest_ip=10.77.0.2
mac=52:54:00:12:34:56

rc=0; guest=$(guest_dir) || rc=$?
[ "$rc" -ne 77 ] || skip "cannot build the test guest"
[ "$rc" -eq 0 ] || die "mkguest.sh failed"

wd=$(mktemp -d "${TMPDIR:-/tmp}/sv-boot-smoke.XXXXXX")
qpid=
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    local rc=$?
    set +e
    if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
        kill "$qpid"
        wait_pid_exit "$qpid" 5 || kill -9 "$qpid"
    fi
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -f "$wd/serial.log" ]; then
        log "--- guest serial console (last 40 lines) ---"
        tail -n 40 "$wd/serial.log" >&2
        [ -s "$wd/qemu.err" ] && { log "--- qemu stderr ---"; cat "$wd/qemu.err" >&2; }
    fi
    tap_delete "$tap"
    rm -rf "$wd"
    # Anything but pass/skip (e.g. a command failing under set -e) is a failure.
    case $rc in 0|1|77) exit "$rc" ;; *) log "FAIL: unexpected error (status $rc)"; exit 1 ;; esac
}
trap cleanup EXIT
trap 'log "interrupted"; exit 1' INT TERM HUP

run_as=()
if [ -n "$qemu_user" ]; then
    id "$qemu_user" >/dev/null 2>&1 || skip "no user '$qemu_user'"
    # QEMU creates its serial log and QMP socket here.
    chown "$qemu_user:" "$wd"
    run_as=(setpriv --reuid="$qemu_user" --regid="$(id -g "$qemu_user")" --init-groups
            --inh-caps=-all --)
fi
tap_create "$tap" "$qemu_user"
ip addr add "$host_ip/24" dev "$tap"

serial=$wd/serial.log
qmp=$wd/qmp.sock
t0=$(now_ms)
"${run_as[@]}" qemu-system-x86_64 \
    -accel tcg -m 256 -smp 1 -nodefaults -no-user-config -display none \
    -kernel "$(guest_kernel "$guest")" -initrd "$guest/initramfs.cpio.gz" \
    -append "console=ttyS0 sv.ip=$guest_ip/24 quiet" \
    -serial "file:$serial" \
    -qmp "unix:$qmp,server=on,wait=off" \
    -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" \
    -device "virtio-net-pci,netdev=n0,mac=$mac" \
    </dev/null 2>"$wd/qemu.err" &
qpid=$!

wait_for_file_pattern "$serial" '^SEPVIRT-GUEST-UP' 60 "$qpid" || die "guest did not come up"
t_up=$(( $(now_ms) - t0 ))
if [ -n "$qemu_user" ]; then
    # Prove QEMU really runs unprivileged: its /proc entry belongs to its euid.
    [ "$(stat -c %u "/proc/$qpid")" = "$(id -u "$qemu_user")" ] || die "QEMU is not running as $qemu_user"
    grep -q '^CapEff:[[:space:]]*0*$' "/proc/$qpid/status" || die "QEMU has capabilities"
fi
wait_for_file_pattern "$serial" "^SEPVIRT-NET-UP eth0 ${guest_ip//./\\.}[[:space:]]*\$" 60 "$qpid" \
    || die "guest network did not come up"
t_net=$(( $(now_ms) - t0 ))
log "kernel: $(guest_kernel "$guest")"
log "QEMU start -> SEPVIRT-GUEST-UP: ${t_up} ms, -> SEPVIRT-NET-UP: ${t_net} ms${qemu_user:+ (QEMU as $qemu_user)}"

ping -c 3 -W 2 "$guest_ip" >"$wd/ping.out" 2>&1 || { cat "$wd/ping.out" >&2; die "ping $guest_ip failed"; }
log "ping ok: $(grep -E 'packets transmitted' "$wd/ping.out")"

# Reboot: the guest boots again and prints its markers again.
qmp_cmd "$qmp" '{"execute":"system_reset"}' >/dev/null || die "QMP system_reset failed"
wait_for_file_count "$serial" "^SEPVIRT-NET-UP eth0 ${guest_ip//./\\.}[[:space:]]*\$" 2 60 "$qpid" \
    || die "guest did not come back after system_reset"
ping -c 3 -W 2 "$guest_ip" >"$wd/ping.out" 2>&1 || { cat "$wd/ping.out" >&2; die "ping after reset failed"; }
log "system_reset: guest rebooted, network up again"

# ACPI power-off: QEMU must exit by itself once the guest powers off.
t1=$(now_ms)
qmp_cmd "$qmp" '{"execute":"system_powerdown"}' >/dev/null || die "QMP system_powerdown failed"
wait_pid_exit "$qpid" 30 || die "QEMU still running 30 s after system_powerdown"
qrc=0; wait "$qpid" || qrc=$?
qpid=
[ "$qrc" -eq 0 ] || die "QEMU exited with status $qrc"
grep -q '^SEPVIRT-POWER-BUTTON' "$serial" || die "guest did not see the power button"
log "system_powerdown -> QEMU exit: $(( $(now_ms) - t1 )) ms"

if [ -n "$qemu_user" ] && id nobody >/dev/null 2>&1 && [ "$qemu_user" != nobody ]; then
    # The kernel's TUNSETIFF check is what protects a tap: one owned by another
    # user must be refused. (A tap created with neither user nor group is open to
    # every user: tun_not_capable() only checks an owner that is set.)
    tap_create svtapx nobody
    "${run_as[@]}" qemu-system-x86_64 -accel tcg -m 64 -nodefaults -display none -S \
        -netdev tap,id=n0,ifname=svtapx,script=no,downscript=no \
        -device virtio-net-pci,netdev=n0 </dev/null 2>"$wd/qemu-x.err" &
    xpid=$!
    if wait_pid_exit "$xpid" 10; then
        wait "$xpid" || true
    else
        kill "$xpid"; wait "$xpid" || true
        tap_delete svtapx
        die "QEMU as $qemu_user opened a tap owned by nobody"
    fi
    tap_delete svtapx
    grep -q 'Operation not permitted' "$wd/qemu-x.err" || { cat "$wd/qemu-x.err" >&2; die "unexpected QEMU error"; }
    log "tap owned by another user: refused as expected (EPERM)"
fi
log "PASS"
exit 0
