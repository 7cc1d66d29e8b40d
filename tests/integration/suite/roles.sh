#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The role matrix: each driver procedure says which roles may call it, and each driver socket
# says so by its mode. A call from the wrong daemon's uid is refused naming the procedure, the
# caller's uid and who may; an unrelated uid cannot even connect; the right caller gets through
# the check (its empty request then fails on its content, not on who sent it); and the daemon
# goes on serving.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
need_cmd setpriv
trap suite_stop EXIT
suite_start
R=$SEPVIRT_ROOT/run
daemons=${SEPVIRT_DAEMON_GROUP:-sepvirt-daemons}

# as USER cmd...: with that daemon user's exact credentials (its group and the daemons' group).
as() {
	local u=$1
	shift
	setpriv --reuid "$u" --regid "$(id -g "$u")" --groups "$(getent group "$daemons" | cut -d: -f3)" \
		--inh-caps=-all "$@"
}
# refused USER SOCKET PROGRAM PROC NAME ALLOWED
refused() {
	local out
	out=$(as "$1" "$SV_PROBE" call "$R/$2.sock" "$3" "$4" 2>&1) && die "$5 from $1 was accepted: $out"
	case $out in
	*"procedure $5 may not be called by uid $(id -u "$1") ("*"): only by $6"*) ;;
	*) die "$5 from $1: unexpected answer: $out" ;;
	esac
}
# passes USER SOCKET PROGRAM PROC NAME: through the role check (any other answer).
passes() {
	local out
	out=$(as "$1" "$SV_PROBE" call "$R/$2.sock" "$3" "$4" 2>&1) || true
	case $out in *"may not be called"* | *"does not accept connections"* | *"Permission denied"*)
		die "$5 from $1 was refused: $out" ;;
	esac
}

P=$SUITE_PROXY_USER Q=$SUITE_QEMU_USER S=$SUITE_STORAGE_USER
# Driver-only procedures: never from proxyd (a client's way in) nor from another daemon.
refused "$P" netd 4 200 NET_OPEN_TAP "root or sepvirt-qemud"
refused "$S" netd 4 200 NET_OPEN_TAP "root or sepvirt-qemud"
refused "$P" netd 4 202 NET_RELEASE_TAPS "root or sepvirt-qemud"
refused "$P" netd 4 203 NET_CREATE_VETH "root"
refused "$Q" netd 4 203 NET_CREATE_VETH "root"
refused "$P" storaged 5 329 VOL_OPEN "root or sepvirt-qemud"
passes "$Q" netd 4 200 NET_OPEN_TAP
passes "$Q" netd 4 202 NET_RELEASE_TAPS
passes "$Q" storaged 5 329 VOL_OPEN
passes root storaged 5 329 VOL_OPEN
# User procedures: only proxyd (for its clients) and root, never another daemon.
refused "$Q" storaged 5 305 POOL_LIST "root or sepvirt-proxyd"
refused "$S" qemud 2 102 DOMAIN_LIST "root or sepvirt-proxyd"
passes "$P" storaged 5 305 POOL_LIST
passes "$P" qemud 2 102 DOMAIN_LIST
# A daemon with no role any procedure of lxcd accepts is refused at the connection, by uid.
out=$(as "$Q" "$SV_PROBE" call "$R/lxcd.sock" 3 100 2>&1) && die "qemud's uid reached lxcd: $out"
case $out in *"sepvirt-lxcd does not accept connections from uid $(id -u "$Q")"*) ;;
*) die "qemud's uid on lxcd.sock: unexpected: $out" ;; esac
# Only proxyd may stamp a client's identity on a call.
out=$(as "$Q" "$SV_PROBE" forge "$R/storaged.sock" 5 0 2>&1) && die "a forged client stamp from qemud passed: $out"
# An unrelated uid (nobody) is stopped by the sockets' modes before any frame.
for s in qemud lxcd netd storaged proxyd; do
	out=$(setpriv --reuid nobody --regid nogroup --clear-groups "$SV_PROBE" call "$R/$s.sock" 1 1 2>&1) &&
		die "nobody reached $s.sock: $out"
	case $out in *"Permission denied"*) ;; *) die "nobody on $s.sock: unexpected: $out" ;; esac
done
ls -l "$R"/*.sock
# Every daemon still serves.
"$SEPVIRSH" version --daemon | grep -c "^ sepvirt-" | grep -qx 5 || die "a daemon stopped answering"
echo "PASS: driver-only and user procedures refused for the wrong roles by name, let through for the right ones; strangers cannot connect"
