/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netd's journal (state_dir/netd/devices) is replayed at start to know which devices are its
 * own: a torn or corrupted line is skipped, never trusted (a bad record could make netd delete a
 * device it does not own); records of an earlier boot are dropped; an unreadable file is an error
 * saying so. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test-skip.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "netd.h"
#include "state.h"
#include "util.h"

#define BOOT "6c1f3d4e-9b0a-4c1e-8f55-0a1b2c3d4e5f"
#define U1 "11111111-2222-3333-4444-555555555555"
#define U2 "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

struct netd netd; /* state.c's header declares it; the tests use their own */

struct fixture {
	char dir[64];
	struct netd n;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/netd-journal.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->n.state_dirfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	f->n.journal_fd = -1;
	snprintf(f->n.boot_id, sizeof(f->n.boot_id), "%s", BOOT);
	*state = f;
	return f->n.state_dirfd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	netd_state_clear(&f->n);
	unlinkat(f->n.state_dirfd, "devices", 0);
	unlinkat(f->n.state_dirfd, "devices", AT_REMOVEDIR);
	unlinkat(f->n.state_dirfd, "devices.tmp", 0);
	close(f->n.state_dirfd);
	if (f->n.journal_fd >= 0)
		close(f->n.journal_fd);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void write_journal(struct fixture *f, const char *data, size_t len)
{
	int fd = openat(f->n.state_dirfd, "devices", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static int load(struct fixture *f, const char *data, size_t len, struct sv_error *err)
{
	netd_state_clear(&f->n);
	write_journal(f, data, len);
	return netd_state_load(&f->n, err);
}

static void test_replay(void **state)
{
	static const char j[] = "boot " BOOT "\n"
				"+ tap " U1 " 0 vnet0 1 7 web one\n"
				"+ tap " U1 " 1 mytap0 0 8 web one\n"
				"+ veth " U2 " 0 veth9 1 9 box\n"
				"- " U1 " vnet0\n"
				"- " U2 " mytap0\n"; /* not U2's: ignored */
	struct fixture *f = *state;
	struct sv_error err;

	assert_int_equal(load(f, j, sizeof(j) - 1, &err), 0);
	assert_int_equal(f->n.ndevs, 2);
	assert_string_equal(f->n.devs[0].ifname, "mytap0");
	assert_false(f->n.devs[0].managed);
	assert_int_equal(f->n.devs[0].ifindex, 8);
	assert_string_equal(f->n.devs[0].domain_name, "web one");
	assert_string_equal(f->n.devs[1].kind, "veth");
}

static void test_missing_and_other_boot(void **state)
{
	static const char old[] = "boot 00000000-0000-0000-0000-000000000000\n+ tap " U1 " 0 vnet0 1 7 web\n";
	struct fixture *f = *state;
	struct sv_error err;

	assert_int_equal(netd_state_load(&f->n, &err), 0);
	assert_int_equal(f->n.ndevs, 0);
	assert_int_equal(load(f, old, sizeof(old) - 1, &err), 0);
	assert_int_equal(f->n.ndevs, 0);
	/* No boot line at all: nothing trusted either. */
	assert_int_equal(load(f, old + 42, sizeof(old) - 43, &err), 0);
	assert_int_equal(f->n.ndevs, 0);
}

/* Every malformed record is skipped; the good ones around it still load. */
static void test_malformed_lines_skipped(void **state)
{
	static const char *const bad[] = {
		"+ tap " U1 " 0 vnet0 1\n",                                 /* too few fields */
		"+ bridge " U1 " 0 vnet0 1 7 web\n",                        /* unknown kind */
		"+ tap not-a-uuid 0 vnet0 1 7 web\n",                       /* bad uuid */
		"+ tap " U1 " 0 vnet0 2 7 web\n",                           /* managed is 0 or 1 */
		"+ tap " U1 " 0 a/b 1 7 web\n",                             /* not an interface name */
		"+ tap " U1 " 0 averyveryverylongname 1 7 web\n",           /* longer than IFNAMSIZ */
		"+ tap " U1 " x vnet0 1 7 web\n",                           /* index not a number */
		"* tap " U1 " 0 vnet0 1 7 web\n",                           /* neither + nor - */
		"+tap " U1 " 0 vnet0 1 7 web\n",
		"-\n",
		"\x01\x02\xff\xfe garbage\n",
	};
	struct fixture *f = *state;
	struct sv_error err;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		_cleanup_free_ char *j = xasprintf("boot " BOOT "\n+ tap " U2 " 0 good0 1 3 ok\n%s"
						   "+ tap " U2 " 1 good1 1 4 ok\n", bad[i]);

		assert_int_equal(load(f, j, strlen(j), &err), 0);
		if (f->n.ndevs != 2)
			fail_msg("line %zu (%s) was not skipped: %zu devices", i, bad[i], f->n.ndevs);
		assert_string_equal(f->n.devs[1].ifname, "good1");
	}
}

/* netd killed mid-write: the journal is cut anywhere in its last record. */
static void test_torn_last_line(void **state)
{
	static const char j[] = "boot " BOOT "\n+ tap " U1 " 0 vnet0 1 7 web\n+ tap " U2 " 0 vnet1 1 8 db\n";
	size_t second = strlen("boot " BOOT "\n+ tap " U1 " 0 vnet0 1 7 web\n");
	struct fixture *f = *state;
	struct sv_error err;

	for (size_t cut = 0; cut <= sizeof(j) - 1; cut++) {
		size_t want = cut == sizeof(j) - 1 ? 2 : cut >= second ? 1 : 0;

		assert_int_equal(load(f, j, cut, &err), 0);
		/* A record counts once its newline is written: a torn one, even cut after a digit of
		 * its ifindex ("7" of "71"), would name another device. */
		if (f->n.ndevs != want)
			fail_msg("journal cut at %zu: %zu devices, expected %zu", cut, f->n.ndevs, want);
	}
}

/* NUL bytes, a huge line, a directory in its place. */
static void test_oversized_and_unreadable(void **state)
{
	struct fixture *f = *state;
	struct sv_error err = { 0 };
	size_t big = 4 * 1024 * 1024;
	_cleanup_free_ char *j = xmalloc(big);
	static const char nul[] = "boot " BOOT "\n+ tap " U1 " 0 vnet0 1 7 w\0eb\n+ tap " U2 " 0 vnet1 1 8 db\n";

	assert_int_equal(load(f, nul, sizeof(nul) - 1, &err), 0);
	assert_true(f->n.ndevs <= 1); /* the bytes after the NUL are not read as records */

	memset(j, 'x', big);
	memcpy(j, "boot " BOOT "\n", strlen("boot " BOOT "\n"));
	j[big - 1] = '\n';
	assert_int_equal(load(f, j, big, &err), 0);
	assert_int_equal(f->n.ndevs, 0);

	netd_state_clear(&f->n);
	assert_int_equal(unlinkat(f->n.state_dirfd, "devices", 0), 0);
	assert_int_equal(mkdirat(f->n.state_dirfd, "devices", 0700), 0);
	assert_true(netd_state_load(&f->n, &err) < 0);
	assert_non_null(strstr(err.message, "cannot read the netd state file"));
}

/* What netd writes, it reads back: save then load. */
static void test_save_load(void **state)
{
	struct fixture *f = *state;
	struct netd_dev d = { .kind = "tap", .uuid = U1, .index = 3, .ifname = "vnet5", .managed = true,
			      .ifindex = 42 };
	struct sv_error err;

	d.domain_name = xstrdup("a name with spaces");
	netd_state_add(&f->n, &d);
	assert_int_equal(netd_state_save(&f->n, &err), 0);
	netd_state_clear(&f->n);
	assert_int_equal(netd_state_load(&f->n, &err), 0);
	assert_int_equal(f->n.ndevs, 1);
	assert_string_equal(f->n.devs[0].domain_name, "a name with spaces");
	assert_int_equal(f->n.devs[0].ifindex, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_other_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_lines_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_last_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_and_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_load, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
