#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# virsh nodeinfo and hostname: what the qemu and lxc drivers report is what the host says
# (nproc, /proc/meminfo, uname, lscpu's topology), on the read-only socket as well.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
need_cmd lscpu nproc
trap suite_stop EXIT
suite_start

field() { sed -n "s/^$1: *//p" <<<"$2"; }
lscpu_field() { LC_ALL=C lscpu | sed -n "s/^$1: *//p"; }
for uri in qemu:///system lxc:///system; do
	out=$("$SEPVIRSH" -c "$uri" -r nodeinfo) || die "nodeinfo on $uri: $out"
	[ "$(field 'CPU model' "$out")" = "$(uname -m)" ] || die "$uri: CPU model: $out"
	[ "$(field 'CPU(s)' "$out")" = "$(nproc)" ] || die "$uri: CPU(s): $out"
	[ "$(field 'Memory size' "$out")" = "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) KiB" ] || die "$uri: memory: $out"
	[ "$(field 'CPU socket(s)' "$out")" = "$(lscpu_field 'Socket(s)')" ] || die "$uri: sockets: $out"
	[ "$(field 'Core(s) per socket' "$out")" = "$(lscpu_field 'Core(s) per socket')" ] || die "$uri: cores: $out"
	[ "$(field 'Thread(s) per core' "$out")" = "$(lscpu_field 'Thread(s) per core')" ] || die "$uri: threads: $out"
	[ "$("$SEPVIRSH" -c "$uri" -r hostname | head -n1)" = "$(uname -n)" ] || die "$uri: hostname"
done
log "ok: nodeinfo and hostname from both domain drivers"
