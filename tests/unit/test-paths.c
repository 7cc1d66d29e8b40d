/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SEPVIRT_ROOT puts every path under one directory; anything else is refused or defaulted. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test-skip.h"
#include <stdlib.h>

#include "paths.h"

static void test_root_puts_everything_under_it(void **state)
{
	struct sv_paths p;
	struct sv_error err;
	char *s;

	setenv("SEPVIRT_ROOT", "/tmp/svroot", 1);
	assert_int_equal(paths_init(&p, &err), 0);
	assert_string_equal(p.run_dir, "/tmp/svroot/run");
	assert_string_equal(p.config_dir, "/tmp/svroot/etc");
	assert_string_equal(p.state_dir, "/tmp/svroot/lib");
	assert_string_equal(p.log_dir, "/tmp/svroot/log");
	s = paths_socket(&p, "qemud");
	assert_string_equal(s, "/tmp/svroot/run/qemud.sock");
	free(s);
	paths_free(&p);
}

static void test_relative_root_refused(void **state)
{
	struct sv_paths p;
	struct sv_error err;

	setenv("SEPVIRT_ROOT", "relative/dir", 1);
	assert_true(paths_init(&p, &err) < 0);
	assert_string_equal(err.message, "SEPVIRT_ROOT 'relative/dir' is not an absolute path");
}

static void test_defaults(void **state)
{
	struct sv_paths p;
	struct sv_error err;

	unsetenv("SEPVIRT_ROOT");
	setenv("XDG_RUNTIME_DIR", "/run/user/1234", 1);
	setenv("XDG_DATA_HOME", "/home/u/.local/share", 1);
	assert_int_equal(paths_init(&p, &err), 0);
	if (geteuid() == 0) {
		assert_string_equal(p.run_dir, "/run/sepvirt");
		assert_string_equal(p.config_dir, "/etc/sepvirt");
	} else {
		assert_string_equal(p.run_dir, "/run/user/1234/sepvirt");
		assert_string_equal(p.config_dir, "/home/u/.local/share/sepvirt/etc");
	}
	paths_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_puts_everything_under_it),
		cmocka_unit_test(test_relative_root_refused),
		cmocka_unit_test(test_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
