#!/usr/bin/env bash
# Ten domains started at once through proxyd overlap their starts (netd's taps, the spawner's
# launches, the QMP handshakes run side by side in qemud's loop): together they take well under
# ten times one start. Each comes up running with its own tap; all ten are destroyed at once too.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/../lib/suite.sh"
. "$here/lib.sh"
qemud_prepare "$@"

N=10
trap qemud_stop EXIT
suite_start
qemud_vmdir
for i in $(seq 0 $N); do
    define_guest "c$i" "" "$(ethernet_xml "52:54:00:00:7a:$(printf %02x "$i")")"
done

# start_ms NAME: one start, timed (ms)
start_ms() {
    local t0=${EPOCHREALTIME/./} out
    out=$("$SEPVIRSH" start "$1" 2>&1) || { suite_logs; die "start $1: $out"; }
    echo $(( (${EPOCHREALTIME/./} - t0) / 1000 ))
}

# One start alone (the best of three, on a domain that is not part of the ten).
single=0
for _ in 1 2 3; do
    ms=$(start_ms "c$N")
    [ "$single" -ne 0 ] && [ "$ms" -ge "$single" ] || single=$ms
    "$SEPVIRSH" destroy "c$N" >/dev/null || die "destroy c$N"
done
log "one start alone: $single ms"

t0=${EPOCHREALTIME/./}
pids=()
for i in $(seq 0 $((N - 1))); do
    ( start_ms "c$i" >"$SEPVIRT_ROOT/c$i.ms" ) &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "a concurrent start failed"; done
total=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
log "$N starts at once: $total ms in all ($(( total * 100 / single / N ))% of $N single starts back to back); each: $(cat "$SEPVIRT_ROOT"/c[0-9].ms | tr '\n' ' ')"
for i in $(seq 0 $((N - 1))); do
    domstate_is "c$i" "running (booted)" 5
    [ "$("$SEPVIRSH" domiflist "c$i" | grep -c "52:54:00:00:7a:")" = 1 ] || die "c$i has no tap"
done
# Serialised starts would take N x single; overlapped ones well under: at most half of it.
[ "$total" -lt $(( N * single / 2 )) ] ||
    die "$N concurrent starts took $total ms, not well under $N x $single ms: they did not overlap"

pids=()
for i in $(seq 0 $((N - 1))); do
    "$SEPVIRSH" destroy "c$i" >/dev/null &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "a concurrent destroy failed"; done
for i in $(seq 0 $((N - 1))); do domstate_is "c$i" "shut off (destroyed)" 10; done
[ -z "$(ip -o link show type tun 2>/dev/null)" ] || die "taps left after destroy: $(ip -o link show type tun)"
log "ok: $N concurrent starts overlap"
