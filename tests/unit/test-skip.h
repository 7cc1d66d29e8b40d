/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmocka counts a skipped test as passed and its runner returns 0, so the automake driver would
 * say PASS for a binary whose checks did not run. Every unit test includes this after <cmocka.h>:
 * skip() is counted, and cmocka_run_group_tests() returns 77 (SKIP) when a test skipped and none
 * failed. tests/unit/skips-reported.sh checks that every unit test includes it. */
#pragma once

static unsigned test_nskipped;

#undef skip
#define skip()                                    \
	do {                                      \
		test_nskipped++;                  \
		_skip(__FILE__, __LINE__);        \
	} while (0)
/* Says why, then skips. */
#define test_skip(...)                            \
	do {                                      \
		print_message(__VA_ARGS__);       \
		skip();                           \
	} while (0)

static inline int test_group_status(int failed)
{
	return failed ? failed : test_nskipped ? 77 : 0;
}

#undef cmocka_run_group_tests
#define cmocka_run_group_tests(group_tests, group_setup, group_teardown)                              \
	test_group_status(_cmocka_run_group_tests(#group_tests, group_tests,                         \
						  sizeof(group_tests) / sizeof((group_tests)[0]),    \
						  group_setup, group_teardown))
