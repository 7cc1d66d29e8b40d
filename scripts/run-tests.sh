#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs every test: the whole suite (unit + integration with real QEMU, taps, namespaces),
# once in a plain build and once built with AddressSanitizer + UBSan.
# Run as root (integration tests need namespaces and taps; without root they skip).
# Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
pass=0 fail=0 skip=0 rc=0

run_suite() { # name builddir configure-options...
	local name=$1 build=$2
	shift 2
	echo "== $name: building in $build"
	if ! "$src/scripts/build.sh" "$build" "$@"; then
		echo "== $name: BUILD FAILED"
		fail=$((fail + 1))
		rc=1
		return
	fi
	echo "== $name: make check"
	(cd "$build" && make -j2 check) || rc=1
	local p f s
	p=$(find "$build/tests" -name '*.trs' -exec grep -h '^:test-result: PASS' {} + | wc -l)
	f=$(find "$build/tests" -name '*.trs' -exec grep -h -E '^:test-result: (FAIL|ERROR|XPASS)' {} + | wc -l)
	s=$(find "$build/tests" -name '*.trs' -exec grep -h '^:test-result: SKIP' {} + | wc -l)
	echo "== $name: $p passed, $f failed, $s skipped"
	if [ "$f" -gt 0 ]; then
		# the end of each failed test's own log: what it said before it failed
		find "$build/tests" -name '*.trs' -exec grep -l -E '^:test-result: (FAIL|ERROR|XPASS)' {} + |
			while read -r trs; do
				echo "---- ${trs%.trs}.log (last 60 lines)"
				tail -n 60 "${trs%.trs}.log"
			done
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
}

run_suite plain "$src/_build"
# LeakSanitizer needs ptrace, which the sandbox allows only in this build. The integration
# tests fail when a daemon's log shows a sanitizer report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
run_suite sanitizers "$src/_build-asan" --enable-sanitizers
# Every fuzz target for a short bounded time on its seed corpus (scripts/fuzz.sh; a longer
# campaign is run by hand: tests/fuzz/README.md). Counted as one test.
if command -v clang >/dev/null; then
	echo "== fuzz: ${SEPVIRT_FUZZ_SECONDS:-12} s per target in $src/_build-fuzz"
	if "$src/scripts/fuzz.sh" "${SEPVIRT_FUZZ_SECONDS:-12}" "$src/_build-fuzz"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
else
	echo "== fuzz: skipped, clang is not installed (scripts/deps.sh installs it)"
	skip=$((skip + 1))
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && exit $rc || exit 1
