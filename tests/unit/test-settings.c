/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt.conf: each key sets the default of its environment variable, the environment wins, and
 * every bad line is one error naming the file, the line and the value. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "test-skip.h"

#include "settings.h"
#include "util.h"

static char dir[] = "/tmp/sv-settings.XXXXXX";

static char *write_conf(const char *text, mode_t mode)
{
	char *path = xasprintf("%s/sepvirt.conf", dir);
	FILE *f = fopen(path, "we");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

static void clear_env(void)
{
	for (const struct settings_key *k = settings_keys; k->key; k++)
		unsetenv(k->env);
}

static void test_keys_set_defaults_and_env_wins(void **state)
{
	struct sv_error err;

	clear_env();
	setenv("SEPVIRT_MAX_CLIENTS", "77", 1);
	_cleanup_free_ char *p = write_conf("# a comment\n\n  vm_uids = 300000-300099  \nmax_clients=5\n"
					    "image_dirs = \"/srv/images:/var/lib/sepvirt/images\"\nlog_level = debug\n", 0644);
	assert_int_equal(settings_load(dir, &err), 0);
	assert_string_equal(getenv("SEPVIRT_VM_UIDS"), "300000-300099");
	assert_string_equal(getenv("SEPVIRT_MAX_CLIENTS"), "77"); /* the environment overrides */
	assert_string_equal(getenv("SEPVIRT_IMAGE_DIRS"), "/srv/images:/var/lib/sepvirt/images");
	assert_string_equal(getenv("SEPVIRT_LOG_LEVEL"), "debug");
	assert_null(getenv("SEPVIRT_QEMU_USER"));
	clear_env();
}

static void expect_error(const char *text, mode_t mode, const char *needle)
{
	struct sv_error err;
	_cleanup_free_ char *p = write_conf(text, mode);

	clear_env();
	assert_true(settings_load(dir, &err) < 0);
	if (!strstr(err.message, needle))
		fail_msg("expected '%s' in: %s", needle, err.message);
	clear_env();
}

static void test_bad_lines_name_line_and_value(void **state)
{
	expect_error("vm_uids = 1-10\nqemu_usr = x\n", 0644, "sepvirt.conf line 2: unknown key 'qemu_usr'");
	expect_error("\n\nvm_uids = 10-1\n", 0644, "line 3: vm_uids '10-1' is not a range FIRST-LAST");
	expect_error("max_clients = -4\n", 0644, "line 1: max_clients '-4' is not a number");
	expect_error("image_dirs = images\n", 0644, "image_dirs 'images' is not a list of absolute paths");
	expect_error("log_level = loud\n", 0644, "log_level 'loud' is not one of error, warning, info, debug");
	expect_error("qemu_user = a b\n", 0644, "qemu_user 'a b' is not a user or group name");
	expect_error("qemu_user = \n", 0644, "line 1: qemu_user '' is empty");
	expect_error("vm_uids = 1-2\nvm_uids = 1-2\n", 0644, "line 2: key 'vm_uids' is set twice");
	expect_error("just words\n", 0644, "line 1: 'just words' is not 'key = value'");
}

static void test_file_others_may_write_is_refused(void **state)
{
	expect_error("vm_uids = 300000-300099\n", 0666, "may be written by others (mode 0666)");
	expect_error("vm_uids = 300000-300099\n", 0664, "may be written by others (mode 0664)");
}

static void test_missing_file_is_fine_and_lookup(void **state)
{
	struct sv_error err;
	char v[32];
	_cleanup_free_ char *p = xasprintf("%s/sepvirt.conf", dir);

	clear_env();
	unlink(p);
	assert_int_equal(settings_load(dir, &err), 0);
	assert_false(settings_lookup(dir, "client_spin_us", v, sizeof(v)));
	free(write_conf("client_spin_us = 0\n", 0644));
	assert_true(settings_lookup(dir, "client_spin_us", v, sizeof(v)));
	assert_string_equal(v, "0");
	assert_null(getenv("SEPVIRT_CLIENT_SPIN_US")); /* a lookup sets nothing */
	setenv("SEPVIRT_CLIENT_SPIN_US", "40", 1);
	assert_true(settings_lookup(dir, "client_spin_us", v, sizeof(v)));
	assert_string_equal(v, "40");
	clear_env();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_set_defaults_and_env_wins),
		cmocka_unit_test(test_bad_lines_name_line_and_value),
		cmocka_unit_test(test_file_others_may_write_is_refused),
		cmocka_unit_test(test_missing_file_is_fine_and_lookup),
	};
	int r;

	if (!mkdtemp(dir))
		return 99;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	_cleanup_free_ char *p = xasprintf("%s/sepvirt.conf", dir);
	unlink(p);
	rmdir(dir);
	return r;
}
