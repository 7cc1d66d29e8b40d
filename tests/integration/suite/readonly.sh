#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The read-only socket serves read-only calls and refuses mutating ones with a clear error;
# a non-admin user gets no read-write access; driver-only procedures are refused to clients.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
trap suite_stop EXIT
suite_start

"$SEPVIRSH" -r version >/dev/null || die "read-only version failed"
cat >"$SEPVIRT_ROOT/ro.xml" <<XML
<domain type='qemu'><name>ro</name><memory>65536</memory><os><type>hvm</type></os></domain>
XML
expect_fail "define on the read-only socket" "operation forbidden: read only access prevents virDomainDefineXML" \
	"$SEPVIRSH" -r define "$SEPVIRT_ROOT/ro.xml"
# Refused by proxyd before any driver is asked (DOMAIN_START = 104, DOMAIN_DESTROY = 106).
expect_fail "start on the read-only socket" "read only access prevents virDomainCreate" \
	"$SV_PROBE" call "$SEPVIRT_ROOT/run/proxyd-ro.sock" 2 104
expect_fail "destroy on the read-only socket" "read only access prevents virDomainDestroy" \
	"$SV_PROBE" call "$SEPVIRT_ROOT/run/proxyd-ro.sock" 3 106
# The exit status is 1, like virsh.
set +e
"$SEPVIRSH" -r define "$SEPVIRT_ROOT/ro.xml" >/dev/null 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || die "exit status $rc, expected 1"

# An ordinary user may use the read-only socket, but not the read-write one.
setpriv --reuid nobody --regid nogroup --clear-groups env SEPVIRT_ROOT="$SEPVIRT_ROOT" "$SEPVIRSH" -r version >/dev/null ||
	die "nobody cannot use the read-only socket"
expect_fail "nobody on the read-write socket" "Permission denied" \
	setpriv --reuid nobody --regid nogroup --clear-groups env SEPVIRT_ROOT="$SEPVIRT_ROOT" "$SEPVIRSH" version

# netd's open-tap is for the driver daemons only, even on the read-write socket.
expect_fail "open-tap from a client" "may only be called by the driver daemons" \
	"$SV_PROBE" call "$SEPVIRT_ROOT/run/proxyd.sock" 4 200
# Unknown programs and procedures get an error, not a hang.
expect_fail "unknown procedure" "unknown procedure 4242" "$SV_PROBE" call "$SEPVIRT_ROOT/run/proxyd.sock" 2 4242
expect_fail "unknown program" "unknown program 77" "$SV_PROBE" call "$SEPVIRT_ROOT/run/proxyd.sock" 77 1
echo "PASS: read-only and access checks"
