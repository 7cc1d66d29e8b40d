/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* storaged's qcow2 header probe reads images users uploaded: every damaged header is refused
 * with "damaged qcow2 header: WHAT", a truncated image never reads past its end, and the facts of
 * a good one (size, backing file and format, external data file) are read as QEMU reads them. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test-skip.h"
#include <endian.h>
#include <sys/mman.h>

#include "storaged_qcow2.h"
#include "util.h"

#define HDR_LEN 104

static void put32(uint8_t *p, uint32_t v) { v = htobe32(v); memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { v = htobe64(v); memcpy(p, &v, 8); }

/* An anonymous file holding len bytes of data. */
static int image(const uint8_t *data, size_t len)
{
	int fd = memfd_create("qcow2", MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, 0), (ssize_t)len);
	return fd;
}

/* A new image as storaged creates it, read back whole. */
static uint8_t *created(const char *backing, const char *format, size_t *len)
{
	_cleanup_close_ int fd = memfd_create("qcow2", MFD_CLOEXEC);
	struct sv_error err;
	uint8_t *buf;
	off_t end;

	assert_int_equal(storaged_qcow2_create(fd, 1ull << 30, backing, format, &err), 0);
	end = lseek(fd, 0, SEEK_END);
	assert_true(end >= 4096);
	buf = xmalloc((size_t)end);
	assert_int_equal(pread(fd, buf, (size_t)end, 0), end);
	*len = (size_t)end;
	return buf;
}

static int probe(const uint8_t *data, size_t len, struct qcow2_info *info, struct sv_error *err)
{
	_cleanup_close_ int fd = image(data, len);
	return storaged_qcow2_probe(fd, info, err);
}

static void damaged(const uint8_t *data, size_t len, const char *want)
{
	struct qcow2_info info;
	struct sv_error err = { 0 };
	_cleanup_free_ char *full = xasprintf("damaged qcow2 header: %s", want);

	assert_int_equal(probe(data, len, &info, &err), -EINVAL);
	if (!streq(err.message, full))
		fail_msg("expected '%s', got '%s'", full, err.message);
}

static void test_good_image(void **state)
{
	size_t len;
	_cleanup_free_ uint8_t *buf = created("/pool/base.qcow2", "qcow2", &len);
	struct qcow2_info info;
	struct sv_error err;

	assert_int_equal(probe(buf, len, &info, &err), 0);
	assert_int_equal(info.version, 3);
	assert_true(info.size == 1ull << 30);
	assert_string_equal(info.backing, "/pool/base.qcow2");
	assert_string_equal(info.backing_format, "qcow2");
	assert_false(info.external_data);
	assert_string_equal(info.data_file, "");
}

/* Cut anywhere: refused (or, cut inside the zero-filled header cluster, read as QEMU reads it),
 * never a read past the end. */
static void test_truncated_everywhere(void **state)
{
	size_t len;
	_cleanup_free_ uint8_t *buf = created("/pool/base.qcow2", "qcow2", &len);

	for (size_t cut = 0; cut < 1024; cut++) {
		struct qcow2_info info;
		struct sv_error err = { 0 };
		int r = probe(buf, cut, &info, &err);

		if (r < 0 && !startswith(err.message, "damaged qcow2 header: "))
			fail_msg("cut at %zu: '%s'", cut, err.message);
		if (r == 0 && info.backing[0] && !streq(info.backing, "/pool/base.qcow2"))
			fail_msg("cut at %zu: backing '%s'", cut, info.backing);
	}
	damaged(buf, 0, "no qcow2 magic");
	damaged(buf, 71, "no qcow2 magic");
	damaged(buf, 100, "header length out of range");
}

static void test_damaged_fields(void **state)
{
	size_t len;
	_cleanup_free_ uint8_t *good = created("/pool/base.qcow2", "qcow2", &len);
	_cleanup_free_ uint8_t *buf = xmalloc(len);

#define FRESH() memcpy(buf, good, len)
	FRESH();
	put32(buf, 0x514649fa);
	damaged(buf, len, "no qcow2 magic");
	FRESH();
	put32(buf + 4, 4);
	damaged(buf, len, "no qcow2 magic");
	FRESH();
	put32(buf + 20, 30);
	damaged(buf, len, "cluster size out of range");
	FRESH();
	put32(buf + 20, 8);
	damaged(buf, len, "cluster size out of range");
	FRESH();
	put32(buf + 100, 50);
	damaged(buf, len, "header length out of range");
	FRESH();
	put32(buf + 100, 0xffffffff);
	damaged(buf, len, "header length out of range");
	FRESH();
	put64(buf + 8, 1ull << 40);
	damaged(buf, len, "backing file name beyond the first cluster");
	FRESH();
	put32(buf + 16, 0);
	damaged(buf, len, "backing file name length out of range");
	FRESH();
	put32(buf + 16, 5000);
	damaged(buf, len, "backing file name length out of range");
	/* The backing name runs past the end of a short file. */
	FRESH();
	put64(buf + 8, 60000);
	put32(buf + 16, 1000);
	damaged(buf, 60500, "backing file name beyond the end of the file");
	/* An extension longer than the area it lies in. */
	FRESH();
	put32(buf + HDR_LEN + 4, 0x7fffffff);
	damaged(buf, len, "header extension too large");
#undef FRESH
}

/* The extensions QEMU reads: a data file name (the image would make QEMU open a host path) is
 * found even after other extensions, twice is refused, a NUL inside is refused. */
static void test_data_file_extension(void **state)
{
	uint8_t buf[65536] = { 0 };
	struct qcow2_info info;
	struct sv_error err;
	size_t off = HDR_LEN;

	put32(buf, 0x514649fb);
	put32(buf + 4, 3);
	put32(buf + 20, 16);
	put64(buf + 24, 1 << 20);
	put64(buf + 72, 4); /* incompatible feature: external data file */
	put32(buf + 100, HDR_LEN);
	put32(buf + off, 0x6803f857); /* feature name table: skipped */
	put32(buf + off + 4, 48);
	off += 8 + 48;
	put32(buf + off, 0x44415441);
	put32(buf + off + 4, 11);
	memcpy(buf + off + 8, "/etc/shadow", 11);
	assert_int_equal(probe(buf, sizeof(buf), &info, &err), 0);
	assert_true(info.external_data);
	assert_string_equal(info.data_file, "/etc/shadow");

	/* The next extension: 11 bytes of name padded to 16. */
	put32(buf + off + 24, 0x44415441);
	put32(buf + off + 28, 4);
	memcpy(buf + off + 32, "/tmp", 4);
	damaged(buf, sizeof(buf), "two data file names");

	put32(buf + off + 24, 0); /* end of the extensions */
	buf[off + 12] = '\0';
	damaged(buf, sizeof(buf), "data file name contains NUL");
	put32(buf + off + 4, 0);
	damaged(buf, sizeof(buf), "data file name length out of range");
}

/* A v2 image: 72-byte header, no extensions area of its own size. */
static void test_version2(void **state)
{
	uint8_t buf[1024] = { 0 };
	struct qcow2_info info;
	struct sv_error err;

	put32(buf, 0x514649fb);
	put32(buf + 4, 2);
	put32(buf + 20, 9);
	put64(buf + 24, 4096);
	assert_int_equal(probe(buf, 72, &info, &err), 0);
	assert_int_equal(info.version, 2);
	assert_true(info.size == 4096);
	assert_false(storaged_qcow2_detect(buf, 7));
	assert_true(storaged_qcow2_detect(buf, 8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_image),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_damaged_fields),
		cmocka_unit_test(test_data_file_extension),
		cmocka_unit_test(test_version2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
