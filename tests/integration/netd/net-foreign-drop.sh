#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A host firewall of someone else's (as Docker leaves it: table ip filter, chain FORWARD, policy
# drop) would silently drop a NAT network's forwarded traffic: net-start and net-info say so on
# stderr (their output stays virsh's); once that chain accepts the bridge, or for an isolated
# network, nothing is said.
set -eu
. "$(dirname "$0")/lib.sh"
netd_test_init "$@"
need_cmd nft
netd_suite_start

nft add table ip filter
nft add chain ip filter FORWARD '{ type filter hook forward priority filter; policy drop; }'
cat >"$T/fd.xml" <<'XML'
<network><name>fd</name><forward mode='nat'/><ip address='10.82.0.1' prefix='24'/></network>
XML
sv net-define "$T/fd.xml" >/dev/null
out=$(sv net-start fd 2>"$T/err")
[ "$out" = "Network fd started" ] || die "net-start stdout: '$out'"
grep -q "^warning: the host's firewall drops forwarded traffic (chain FORWARD of table ip filter has policy drop): guests of network 'fd' cannot reach beyond the host" "$T/err" ||
    die "no warning from net-start: $(cat "$T/err")"
sv net-info fd 2>"$T/err" >/dev/null
grep -q "chain FORWARD of table ip filter has policy drop" "$T/err" || die "no warning from net-info: $(cat "$T/err")"

# the administrator lets the bridge through: no more warning
nft add rule ip filter FORWARD iifname virbr0 accept
nft add rule ip filter FORWARD oifname virbr0 accept
sv net-info fd 2>"$T/err" >/dev/null
[ ! -s "$T/err" ] || die "a warning although the chain accepts virbr0: $(cat "$T/err")"

# an isolated network forwards nothing: nothing to warn about
nft flush chain ip filter FORWARD
cat >"$T/iso.xml" <<'XML'
<network><name>iso2</name><ip address='10.83.0.1' prefix='24'/></network>
XML
sv net-create "$T/iso.xml" 2>"$T/err" >/dev/null
[ ! -s "$T/err" ] || die "a warning for an isolated network: $(cat "$T/err")"
sv net-destroy iso2 >/dev/null
sv net-destroy fd >/dev/null
nft list table ip filter >/dev/null || die "netd removed a table that is not its own"
nft delete table ip filter
log ok
