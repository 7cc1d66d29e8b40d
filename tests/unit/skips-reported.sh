#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every cmocka unit test includes test-skip.h, so a skipped check makes its binary report SKIP
# (exit 77) rather than PASS, and none returns from a test early without skipping (a test that
# prints "skipped" must call skip()).
set -uo pipefail
: "${abs_top_srcdir:?}"
fail=0
for f in "$abs_top_srcdir"/tests/unit/test-*.c; do
	grep -q '#include <cmocka.h>' "$f" || continue
	grep -q '#include "test-skip.h"' "$f" || { echo "FAIL: $(basename "$f") does not include test-skip.h"; fail=1; }
	grep -q 'cmocka_run_group_tests_name\|run_tests(' "$f" &&
		{ echo "FAIL: $(basename "$f") runs its tests without cmocka_run_group_tests"; fail=1; }
done
[ $fail -eq 0 ] && echo "every unit test reports a skip as SKIP"
exit $fail
