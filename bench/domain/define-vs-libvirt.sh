#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/domain/define-vs-libvirt.sh: durable define+undefine through sepvirt-proxyd against
# libvirt's libvirtd (qemu:///system) on the same disk, by hand, as root, with no libvirtd
# running (it starts one, with virtlogd, and stops both at the end). ROUNDS times, alternating:
#   1. define+undefine of N domains (default 1000) with 1 client, then with 8 at once;
#   2. N_BULK domains (default 10000) defined, then all undefined, each phase timed.
#   bench/domain/define-vs-libvirt.sh [BUILDDIR]     (ROUNDS=2 N=1000 N_BULK=10000)
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$@"
SV_TEST_NAME=bench-define
N=${N:-1000}
N_BULK=${N_BULK:-10000}
ROUNDS=${ROUNDS:-2}
make -C "$build" bench >/dev/null
need_root
pgrep -x libvirtd >/dev/null && die "a libvirtd runs already: stop it first"

lv_pids=""
stop_libvirt() {
    local p
    for p in $lv_pids; do kill "$p" 2>/dev/null || true; done
    for p in $lv_pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
    lv_pids=""
}
trap 'stop_libvirt; suite_stop' EXIT

sepvirt_round() {
    suite_start
    "$build/bench/domain/bench-domain" define -n "$N" -c 1
    "$build/bench/domain/bench-domain" define -n "$N" -c 8
    "$build/bench/domain/bench-domain" bulk -n "$N_BULK" -c 1
    suite_stop 0
}

libvirt_round() {
    virtlogd -d
    libvirtd -d
    for _ in $(seq 100); do virsh -c qemu:///system version >/dev/null 2>&1 && break; sleep 0.1; done
    lv_pids="$(pgrep -x libvirtd) $(pgrep -x virtlogd)"
    "$build/bench/domain/bench-libvirt-define" -n "$N" -c 1
    "$build/bench/domain/bench-libvirt-define" -n "$N" -c 8
    "$build/bench/domain/bench-libvirt-define" -n "$N_BULK" -c 1 -b
    stop_libvirt
}

for r in $(seq "$ROUNDS"); do
    echo "== round $r ($(uptime | sed 's/.*load/load/'))"
    sepvirt_round
    libvirt_round
done
