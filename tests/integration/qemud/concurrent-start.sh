#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Ten domains started at once through proxyd overlap their starts (the spawner's launches and
# the QMP handshakes run side by side in qemud's loop). Seen from outside: the ten start calls
# written at once (sv-probe starts), a `list` every 5 ms meanwhile shows many of them launched
# and not yet running ("paused", starting up) at the same time, where starts one after the other
# would show at most one. How long the ten take against one start is
# printed, not checked: each QEMU's own start-up is ~250 ms of CPU under TCG, so on two CPUs shared
# with other builds that figure measures the CPUs' load (44-96% of ten single starts here, with
# all ten in progress at once) more than qemud. Then ten domains with a managed tap each (netd's calls on qemud's kept connection)
# start at once, each running with its own tap, and ten destroys at once release every tap.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

N=10
trap qemud_stop EXIT
suite_start

# define_idle NAME [DEVICES]: a guest with nothing to boot. Without a NIC its QEMU idles in the
# firmware once started, so finished starts do not take the two shared CPUs from those still
# going; a NIC's boot ROM (iPXE) keeps each QEMU busy (~30% of a CPU under TCG).
define_idle() {
    cat >"$SEPVIRT_ROOT/$1.xml" <<XML
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>${2:-}</devices>
</domain>
XML
    "$SEPVIRSH" define "$SEPVIRT_ROOT/$1.xml" >/dev/null || die "define $1"
}

# start_ms NAME: one start, timed (ms)
start_ms() {
    local t0=${EPOCHREALTIME/./} out
    out=$(sepvirsh_direct start "$1" 2>&1) || { suite_logs; die "start $1: $out"; }
    echo $(( (${EPOCHREALTIME/./} - t0) / 1000 ))
}

# start_all PREFIX: PREFIX0..PREFIX9 at once; prints the time it took them all (ms)
start_all() {
    local t0=${EPOCHREALTIME/./} i pids=()
    for i in $(seq 0 $((N - 1))); do
        ( start_ms "$1$i" >"$SEPVIRT_ROOT/$1$i.ms" ) &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || die "a concurrent start failed"; done
    echo $(( (${EPOCHREALTIME/./} - t0) / 1000 ))
}

destroy_all() {
    local i pids=()
    for i in $(seq 0 $((N - 1))); do
        sepvirsh_direct destroy "$1$i" >/dev/null &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || die "a concurrent destroy failed"; done
    for i in $(seq 0 $((N - 1))); do domstate_is "$1$i" "shut off (destroyed)" 10; done
}

for i in $(seq 0 $N); do define_idle "c$i"; done
# One start alone (the best of three, on a domain that is not one of the ten).
single=0
for _ in 1 2 3; do
    ms=$("$SV_PROBE" starts "$SEPVIRT_ROOT/run/proxyd.sock" "c$N" | sed -n 's/^ms=\([0-9]*\) .*/\1/p')
    [ "$single" -ne 0 ] && [ "$ms" -ge "$single" ] || single=$ms
    "$SEPVIRSH" destroy "c$N" >/dev/null || die "destroy c$N"
done
log "one start alone: $single ms"
names=$(for i in $(seq 0 $((N - 1))); do echo "c$i"; done)
# shellcheck disable=SC2086
out=$("$SV_PROBE" starts "$SEPVIRT_ROOT/run/proxyd.sock" $names) || { suite_logs; die "concurrent starts: $out"; }
total=$(sed -n 's/^ms=\([0-9]*\) .*/\1/p' <<<"$out")
peak=$(sed -n 's/.* peak=\([0-9]*\)$/\1/p' <<<"$out")
log "$N starts at once: $total ms in all ($(( total * 100 / single / N ))% of $N single starts back to back), up to $peak starting at the same time"
for i in $(seq 0 $((N - 1))); do domstate_is "c$i" "running (booted)" 5; done
[ "$peak" -ge $((N / 2)) ] || die "at most $peak of $N concurrent starts were in progress at the same time"
destroy_all c

# With a managed tap each.
for i in $(seq 0 $((N - 1))); do define_idle "n$i" "$(ethernet_xml "52:54:00:00:7a:$(printf %02x "$i")")"; done
total=$(start_all n)
log "$N starts with a tap each at once: $total ms in all"
for i in $(seq 0 $((N - 1))); do
    domstate_is "n$i" "running (booted)" 5
    tap=$("$SEPVIRSH" domiflist "n$i" | awk '$5 ~ /^52:54:00:00:7a:/ { print $1 }')
    ip link show "$tap" >/dev/null 2>&1 || die "n$i runs without its tap ('$tap')"
done
[ "$(ip -o link show | grep -c vnet)" = $N ] || die "expected $N taps: $(ip -o link show | grep vnet)"
destroy_all n
for _ in $(seq 50); do [ "$(ip -o link show | grep -c vnet)" = 0 ] && break; sleep 0.1; done
[ "$(ip -o link show | grep -c vnet)" = 0 ] || die "taps left after destroy: $(ip -o link show | grep vnet)"
log "ok: $N concurrent starts overlap"
