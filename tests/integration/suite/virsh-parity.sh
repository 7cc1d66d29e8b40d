#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirsh says what virsh 9.0 says: each case runs both (virsh on its test:///default driver,
# which has no domain, pool or volume by these names either) and their standard output (the
# blank line after every command that ran, none with -q), standard error and exit status must
# be the same, byte for byte: unknown domains (one line), unknown and duplicated
# options, option values given as --name=value and after --, missing and surplus arguments,
# unknown commands, malformed numbers.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
need_cmd virsh
trap suite_stop EXIT
suite_start

fails=0
same() { # ARGS...: one case; standard output compared byte for byte (virsh's blank lines)
	local sv_err lv_err sv_out lv_out sv_rc=0 lv_rc=0 t=$SEPVIRT_ROOT/parity
	"$SEPVIRSH" "$@" >"$t.sv.out" 2>"$t.sv.err" || sv_rc=$?
	virsh -c test:///default "$@" >"$t.lv.out" 2>"$t.lv.err" || lv_rc=$?
	sv_err=$(cat "$t.sv.err") lv_err=$(cat "$t.lv.err")
	sv_out=$(od -c <"$t.sv.out") lv_out=$(od -c <"$t.lv.out")
	if [ "$sv_err" != "$lv_err" ] || [ "$sv_rc" != "$lv_rc" ] || [ "$sv_out" != "$lv_out" ]; then
		log "differs: $*"
		log "  virsh    ($lv_rc): $lv_err / stdout: $lv_out"
		log "  sepvirsh ($sv_rc): $sv_err / stdout: $sv_out"
		fails=$((fails + 1))
	fi
}

same dominfo nosuch
same domstate --domain=nosuch
same start nosuch
same dominfo nosuch --domain other
same dominfo --domain
same dominfo
same list extra
same list --all --all
same list --nosuch
same -Z list
same --nosuch list
same nosuchcommand
same help nosuchcommand
same -- dominfo nosuch
same -q dominfo nosuch
same help nosuchcommand
same echo "a  b" c
same vol-download --pool p v /tmp/sv-parity-never --offset x1
same vol-upload --pool p v /etc/hostname --length -1x
same vncdisplay nosuch
same domxml-from-native qemu-argv /etc/hostname
same domdisplay nosuch
# the test driver's one pool, running: pool-list --name pads names as virsh does
mkdir -p "$SEPVIRT_ROOT/pools"
chown "$SUITE_STORAGE_USER" "$SEPVIRT_ROOT/pools"
printf "<pool type='dir'><name>default-pool</name><target><path>%s</path></target></pool>\n" \
	"$SEPVIRT_ROOT/pools/default-pool" >"$SEPVIRT_ROOT/dp.xml"
"$SEPVIRSH" -q pool-define "$SEPVIRT_ROOT/dp.xml" && "$SEPVIRSH" -q pool-build default-pool &&
	"$SEPVIRSH" -q pool-start default-pool || die "the pool default-pool"
same pool-list --name
same pool-list --all --name
[ ! -e /tmp/sv-parity-never ] || { rm -f /tmp/sv-parity-never; die "a refused download wrote its file"; }
[ "$fails" = 0 ] || die "$fails cases print otherwise than virsh"
echo "PASS: sepvirsh's output, errors and exit statuses are virsh's in 24 cases"
