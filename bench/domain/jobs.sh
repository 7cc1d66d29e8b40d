#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench/domain/jobs.sh: qemud's jobs under load (as root, run by hand), in a private network
# namespace under a private SEPVIRT_ROOT:
#   1. define+undefine of N domains with 1 and with 8 clients at once (group commit);
#   2. G guests (default 20) started at once through proxyd, against one start alone;
#   3. list latency (p50/p99/max over 2,000 calls) with the G guests running, then with one of
#      them wedged (its QEMU SIGSTOPped while a suspend waits on it).
#   bench/domain/jobs.sh [BUILDDIR]     (N=2000 G=20 by default)
set -euo pipefail
. "$(dirname "$0")/lib.sh" "$@"
. "$src/tests/integration/qemud/lib.sh"
SV_TEST_NAME=bench-jobs
N=${N:-2000}
G=${G:-20}
make -C "$build" bench >/dev/null
qemud_prepare "$@"
trap 'kill -CONT $(suite_qemus) 2>/dev/null || true; qemud_stop' EXIT
suite_start
bench=$build/bench/domain/bench-domain
"$bench" define -n "$N" -c 1
"$bench" define -n "$N" -c 8

# Guests with nothing to boot and no NIC: they idle in the firmware once started, so the CPUs
# (two, shared) are not what the figures measure.
for i in $(seq 0 "$G"); do
    printf "<domain type='qemu'><name>g%s</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>\n" "$i" >"$SEPVIRT_ROOT/g$i.xml"
    "$SEPVIRSH" define "$SEPVIRT_ROOT/g$i.xml" >/dev/null
done
t0=${EPOCHREALTIME/./}
sepvirsh_direct start "g$G" >/dev/null
single=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
"$SEPVIRSH" destroy "g$G" >/dev/null
t0=${EPOCHREALTIME/./}
pids=()
for i in $(seq 0 $((G - 1))); do sepvirsh_direct start "g$i" >/dev/null & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
total=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
echo "start: one alone $single ms; $G at once $total ms in all ($(( total * 100 / (single * G) ))% of $G back to back)"
sleep 5
echo "with $G guests running:"
"$bench" list -n 2000
pid=$(qemu_pid g0)
kill -STOP "$pid"
SEPVIRT_CALL_TIMEOUT_MS=600000 "$SEPVIRSH" suspend g0 >/dev/null 2>&1 &
sleep 0.5
echo "with g0 wedged (QEMU stopped, a suspend waiting on it):"
"$bench" list -n 2000
kill -CONT "$pid"
wait || true
