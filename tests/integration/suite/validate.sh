#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirsh define --validate checks the XML against our RelaxNG schema before the driver sees it.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/suite.sh"
trap suite_stop EXIT
suite_start
printf '<domain type="qemu"><name>v</name><memory>65536</memory><bogus/></domain>\n' >"$SEPVIRT_ROOT/bad.xml"
expect_fail "invalid XML with --validate" "does not validate against" "$SEPVIRSH" define --validate "$SEPVIRT_ROOT/bad.xml"
expect_fail "missing file" "Failed to open file '$SEPVIRT_ROOT/none.xml'" "$SEPVIRSH" define "$SEPVIRT_ROOT/none.xml"
echo "PASS: --validate refuses XML the schema does not allow"
