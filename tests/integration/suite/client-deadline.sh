#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A daemon that accepts a call and never answers (proxyd SIGSTOPped: the kernel still queues the
# connection and the call): sepvirsh fails at its deadline (SEPVIRT_CALL_TIMEOUT_MS) with an error
# that says so, never hangs; once proxyd runs again, calls work.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
trap 'rc=$?; kill -CONT $(daemon_pid proxyd) 2>/dev/null || true; suite_stop $rc' EXIT
suite_start
"$SEPVIRSH" list >/dev/null || die "list before"
proxy=$(daemon_pid proxyd)
kill -STOP "$proxy"
t0=$(now_ms)
rc=0
out=$(SEPVIRT_CALL_TIMEOUT_MS=1500 timeout 60 "$SEPVIRSH" list 2>&1) || rc=$?
took=$(( $(now_ms) - t0 ))
kill -CONT "$proxy"
[ "$rc" -ne 124 ] || die "sepvirsh hung past its deadline (killed by timeout after 60 s)"
[ "$rc" -eq 1 ] || die "sepvirsh exited $rc against a silent daemon: $out"
grep -q "^error: .*no reply from '$SEPVIRT_ROOT/run/proxyd.sock' within 1500 ms" <<<"$out" ||
    die "the error does not name the socket and the deadline: $out"
# at the deadline (sepvirsh's own start on the shared CPUs may add a second or two)
[ "$took" -ge 1500 ] && [ "$took" -lt 6000 ] || die "sepvirsh gave up after $took ms, its deadline was 1500 ms"
log "gave up after $took ms: $(tr '\n' ' ' <<<"$out")"
"$SEPVIRSH" list >/dev/null || die "list after proxyd runs again"
log "ok: a silent daemon gives a clear error at the deadline"
