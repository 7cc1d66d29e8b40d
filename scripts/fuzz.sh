#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs every libFuzzer target for a bounded time on its seed corpus, in an instrumented
# AddressSanitizer + UBSan build (clang). Fails when any target finds a crash, a leak or a
# sanitizer report; the input that triggered it is kept in BUILDDIR/fuzz-artifacts/.
#   scripts/fuzz.sh [SECONDS-PER-TARGET] [BUILDDIR]     (default 20, _build-fuzz)
# Needs clang (scripts/deps.sh installs it). New inputs found go to a scratch directory, never
# into the tree: tests/fuzz/README.md says how to run a longer campaign and keep what it finds.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-20}
build=${2:-$src/_build-fuzz}
command -v clang >/dev/null || { echo "fuzz: clang is not installed (apt-get install clang)"; exit 77; }
targets=(domain network pool volume frame qcow2 launch journal libvirt-xdr)
# Only the targets (and the library they link) are built: the rest is the other builds' job.
[ -x "$src/configure" ] || (cd "$src" && ./autogen.sh >/dev/null)
mkdir -p "$build"
if [ ! -f "$build/Makefile" ] || [ "$src/configure" -nt "$build/Makefile" ]; then
	(cd "$build" && "$src/configure" -q --enable-fuzz CC=clang) || { echo "fuzz: CONFIGURE FAILED"; exit 1; }
fi
make -C "$build" -j"$(nproc)" fuzz-targets >"$build/fuzz-build.log" 2>&1 ||
	{ tail -n 30 "$build/fuzz-build.log"; echo "fuzz: BUILD FAILED"; exit 1; }
art=$build/fuzz-artifacts
mkdir -p "$art"
failed=0
for t in "${targets[@]}"; do
	seeds=("$src/tests/fuzz/corpus/$t")
	[ -d "$src/tests/xml/$t" ] && seeds=("$src/tests/xml/$t")
	work=$(mktemp -d /tmp/sepvirt-fuzz-$t.XXXXXX)
	log=$build/fuzz-$t.log
	# One process, bounded in time and per input; a leak or a slow input is a failure too.
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$build/tests/fuzz/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="$art/$t-" -print_final_stats=1 "$work" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1)
	if [ $rc -eq 0 ]; then
		printf 'fuzz-%-8s ok   %8s runs %6s/s %s\n' "$t" "${execs:-?}" "${rate:-?}" "$cov"
	else
		printf 'fuzz-%-8s FAIL (exit %d): see %s, inputs in %s\n' "$t" $rc "$log" "$art"
		grep -E -A20 'ERROR: |runtime error|==ABORTING|deadly signal' "$log" | head -n 40
		failed=$((failed + 1))
	fi
	rm -rf "$work"
done
[ $failed -eq 0 ] && echo "fuzz: ${#targets[@]} targets, ${secs} s each, nothing found" && exit 0
echo "fuzz: $failed of ${#targets[@]} targets failed"
exit 1
