#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Many clients, many calls in flight, replies matched by serial; a stuck driver does not block
# calls to another driver.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
trap 'rc=$?; kill -CONT $(daemon_pid qemud) 2>/dev/null || true; suite_stop $rc' EXIT
suite_start
sock="$SEPVIRT_ROOT/run/proxyd.sock"

# One client, 500 calls written before any reply is read, spread over two drivers.
"$SV_PROBE" pipeline "$sock" 2 500 || die "pipelined calls to qemud lost or mismatched"
"$SV_PROBE" pipeline "$sock" 4 500 || die "pipelined calls to netd lost or mismatched"

# 16 clients at once.
pids=()
for i in $(seq 1 16); do
	"$SV_PROBE" pipeline "$sock" $((2 + i % 4)) 200 >/dev/null &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || die "a concurrent client lost replies"; done

# qemud stopped (SIGSTOP): a call to it waits, a call to netd is answered at once.
qpid=$(daemon_pid qemud)
kill -STOP "$qpid"
"$SV_PROBE" ping "$sock" 2 >"$SEPVIRT_ROOT/slow.out" &
slow=$!
start=$(now_ms)
"$SV_PROBE" ping "$sock" 4 | grep -q sepvirt-netd || die "netd did not answer while qemud was stuck"
elapsed=$(($(now_ms) - start))
[ "$elapsed" -lt 1000 ] || die "netd's answer took ${elapsed} ms while qemud was stuck"
kill -0 "$slow" || die "the call to the stopped qemud returned early"
kill -CONT "$qpid"
wait "$slow" || die "the call to qemud failed after it resumed"
grep -q sepvirt-qemud "$SEPVIRT_ROOT/slow.out" || die "wrong reply for the delayed call"
echo "PASS: concurrent clients, in-flight calls, no head-of-line blocking (${elapsed} ms)"
