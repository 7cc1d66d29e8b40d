#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Truncated, oversized, garbage and zero-length frames sent to proxyd: each gets an error or
# a closed connection, proxyd keeps running, and other clients are served throughout.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
trap suite_stop EXIT
suite_start
sock="$SEPVIRT_ROOT/run/proxyd.sock"
proxy_pid=$(daemon_pid proxyd)

out=$("$SV_PROBE" oversize "$sock")
echo "$out" | grep -q "exceeds the maximum" || die "oversized frame: $out"
echo "$out" | grep -q "^closed$" || die "oversized frame did not close the connection: $out"
out=$("$SV_PROBE" zero "$sock")
echo "$out" | grep -q "empty RPC frame" || die "zero-length frame: $out"
out=$("$SV_PROBE" garbage "$sock")
echo "$out" | grep -q "malformed RPC envelope" || die "garbage frame: $out"
echo "$out" | grep -q "^open$" || die "a garbage frame should not cost the connection: $out"
out=$("$SV_PROBE" truncated "$sock")
echo "$out" | grep -q "^closed$" || die "truncated frame: $out"
out=$("$SV_PROBE" send-fd "$sock")
echo "$out" | grep -q "announces 2 file descriptors but 1 arrived" || die "missing fds: $out"

# The same abuse straight at a driver's socket.
out=$("$SV_PROBE" oversize "$SEPVIRT_ROOT/run/qemud.sock")
echo "$out" | grep -q "exceeds the maximum" || die "oversized frame to qemud: $out"

[ "$(daemon_pid proxyd)" = "$proxy_pid" ] || die "proxyd was restarted"
"$SV_PROBE" ping "$sock" 2 >/dev/null || die "qemud no longer reachable through proxyd"
"$SEPVIRSH" version --daemon >/dev/null || die "the suite stopped serving"
echo "PASS: bad frames refused, everyone else served"
