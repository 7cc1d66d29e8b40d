/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxcd's spawner decodes launch requests ("key=value\0" records) and trusts the daemon no more
 * than it must: a request lxcd encodes decodes to the same container; malformed, truncated and
 * oversized requests are refused with "launch request: bad WHAT 'VALUE'". */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test-skip.h"
#include "launch.h"
#include "util.h"

static const char good[] = "name=box\0rootfs=/srv/box\0log=/run/sepvirt/lxc/box.log\0arg=/sbin/init\0arg=-v\0"
			   "env=PATH=/bin\0mount_ro=/srv/data\0mount_dst=/data\0uidmap=0 100000 65536\0"
			   "gidmap=0 100000 65536\0memory=268435456\0vcpus=2";

/* Decodes a copy of len bytes (with the one writable byte after it the decoder needs). */
static int decode(const char *req, size_t len, struct lxcd_launch *out, struct sv_error *err, char **keep)
{
	char *buf = xmalloc(len + 1);

	memcpy(buf, req, len);
	*keep = buf;
	return lxcd_launch_decode(buf, len, out, err);
}

static void refused(const char *req, size_t len, const char *want)
{
	struct lxcd_launch out;
	struct sv_error err = { 0 };
	_cleanup_free_ char *buf = NULL;

	if (decode(req, len, &out, &err, &buf) >= 0)
		fail_msg("accepted a request of %zu bytes, expected '%s'", len, want);
	if (!strstr(err.message, want))
		fail_msg("refused with '%s', expected '%s'", err.message, want);
}

static void test_good(void **state)
{
	struct lxcd_launch out;
	struct sv_error err;
	_cleanup_free_ char *buf = NULL;

	assert_int_equal(decode(good, sizeof(good) - 1, &out, &err, &buf), 0);
	assert_string_equal(out.name, "box");
	assert_string_equal(out.rootfs, "/srv/box");
	assert_int_equal(out.argc, 2);
	assert_string_equal(out.argv[1], "-v");
	assert_int_equal(out.nmounts, 1);
	assert_true(out.mounts[0].readonly);
	assert_string_equal(out.mounts[0].dst, "/data");
	assert_int_equal(out.nuidmap, 1);
	assert_int_equal(out.uidmap[0].target, 100000);
	assert_true(out.memory_bytes == 268435456ULL);
	assert_int_equal(out.vcpus, 2);
}

/* Every prefix: refused with a message, or (cut at a record boundary after everything required)
 * a request with fewer records. */
static void test_truncated_everywhere(void **state)
{
	size_t len = sizeof(good) - 1;

	for (size_t cut = 0; cut < len; cut++) {
		struct lxcd_launch out;
		struct sv_error err = { 0 };
		_cleanup_free_ char *buf = NULL;

		if (decode(good, cut, &out, &err, &buf) < 0) {
			if (!startswith(err.message, "launch request: bad "))
				fail_msg("cut at %zu: '%s'", cut, err.message);
		} else if (cut < strlen("name=box") + 1) {
			fail_msg("cut at %zu accepted", cut);
		}
	}
	refused(good, 0, "bad name ''");
}

static void test_malformed(void **state)
{
#define R(lit, want) refused(lit, sizeof(lit) - 1, want)
	R("name=box\0rootfs=/srv/box\0noequals", "bad record 'noequals'");
	R("name=box\0\0rootfs=/srv/box", "bad record ''");
	R("name=box\0rootfs=/srv/box\0colour=blue", "bad record 'colour'");
	R("name=../x\0rootfs=/srv/box\0log=/l\0arg=/init\0uidmap=0 1 1\0gidmap=0 1 1", "bad name '../x'");
	R("name=a/b\0rootfs=/srv/box\0log=/l\0arg=/init\0uidmap=0 1 1\0gidmap=0 1 1", "bad name 'a/b'");
	R("name=box\0rootfs=/\0log=/l\0arg=/init\0uidmap=0 1 1\0gidmap=0 1 1", "bad root filesystem '/'");
	R("name=box\0rootfs=/srv/../etc\0log=/l\0arg=/init\0uidmap=0 1 1\0gidmap=0 1 1",
	  "bad root filesystem '/srv/../etc'");
	R("name=box\0rootfs=srv\0log=/l\0arg=/init\0uidmap=0 1 1\0gidmap=0 1 1", "bad root filesystem 'srv'");
	R("name=box\0rootfs=/srv/box\0log=/l\0arg=init\0uidmap=0 1 1\0gidmap=0 1 1", "bad init 'init'");
	R("name=box\0rootfs=/srv/box\0log=/l\0uidmap=0 1 1\0gidmap=0 1 1", "bad init ''");
	R("name=box\0rootfs=/srv/box\0log=/l\0arg=/init\0mount_rw=/a\0mount_dst=/..\0uidmap=0 1 1\0gidmap=0 1 1",
	  "bad filesystem '/..'");
	R("name=box\0rootfs=/srv/box\0log=/l\0arg=/init\0uidmap=0 1\0gidmap=0 1 1", "bad id map '0 1'");
	R("name=box\0rootfs=/srv/box\0log=/l\0arg=/init\0uidmap=0 1 0\0gidmap=0 1 1", "bad id map '0 1 0'");
	R("name=box\0rootfs=/srv/box\0log=/l\0arg=/init\0uidmap=0 1 1", "bad id map ''");
	R("name=box\0rootfs=/srv/box\0log=/l\0arg=/init\0uidmap=0 1 1\0gidmap=0 1 1\0memory=lots",
	  "bad memory 'lots'");
	R("name=box\0rootfs=/srv/box\0log=/l\0arg=/init\0uidmap=0 1 1\0gidmap=0 1 1\0memory=-1", "bad memory '-1'");
	R("name=box\0rootfs=/srv/box\0log=/l\0arg=/init\0uidmap=0 1 1\0gidmap=0 1 1\0vcpus=99999999999",
	  "bad vcpus '99999999999'");
	R("name=box\0rootfs=/srv/box\0log=/l\0arg=/init\0uidmap=0 1 1\0gidmap=0 1 1\0vcpus=2x", "bad vcpus '2x'");
#undef R
}

/* More records than a request may hold, and a name far too long: refused, nothing overflows. */
static void test_oversized(void **state)
{
	size_t cap = LXCD_LAUNCH_MAX + 64, len = 0;
	_cleanup_free_ char *req = xmalloc(cap);
	_cleanup_free_ char *longname = xmalloc(1000);

#define ADD(s) do { size_t l_ = strlen(s) + 1; memcpy(req + len, s, l_); len += l_; } while (0)
	ADD("name=box");
	ADD("rootfs=/srv/box");
	ADD("log=/l");
	for (int i = 0; i <= LXCD_LAUNCH_MAX_ITEMS; i++)
		ADD("arg=/init");
	refused(req, len, "bad record 'arg'");

	len = 0;
	ADD("name=box");
	for (int i = 0; i <= 32; i++)
		ADD("uidmap=0 1 1");
	refused(req, len, "bad id map '0 1 1'");

	len = 0;
	memset(longname, 'x', 999);
	memcpy(longname, "name=", 5);
	longname[999] = '\0';
	ADD(longname);
	ADD("rootfs=/srv/box");
	ADD("log=/l");
	ADD("arg=/init");
	ADD("uidmap=0 1 1");
	ADD("gidmap=0 1 1");
	refused(req, len, "bad name 'xxxx");
#undef ADD
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_oversized),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
