/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pool and volume XML from untrusted clients: malformed, truncated and oversized documents are
 * refused with an error that says what is wrong, never a crash or a silent default. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "test-skip.h"
#include "util.h"
#include "xml/pool-def.h"
#include "xml/volume-def.h"

static const char pool_xml[] = "<pool type='dir'><name>p1</name><uuid>8f1b7c0e-2a53-4d0c-9a51-2f0c1d9e7a11</uuid>"
			       "<target><path>/srv/pool</path><permissions><mode>0750</mode>"
			       "<owner>107</owner><group>107</group></permissions></target></pool>";
static const char volume_xml[] = "<volume><name>disk0.qcow2</name><capacity unit='G'>10</capacity>"
				 "<allocation>0</allocation><target><format type='qcow2'/></target>"
				 "<backingStore><path>/srv/pool/base.qcow2</path><format type='qcow2'/>"
				 "</backingStore></volume>";

static int parse_pool(const char *xml, size_t len, struct sv_error *err)
{
	_cleanup_pool_def_ struct pool_def *def = NULL;
	return pool_def_parse(xml, len, 0, &def, err);
}

static int parse_volume(const char *xml, size_t len, struct sv_error *err)
{
	_cleanup_volume_def_ struct volume_def *def = NULL;
	return volume_def_parse(xml, len, 0, &def, err);
}

typedef int (*parse_fn)(const char *xml, size_t len, struct sv_error *err);

/* Refused, with want in the message. */
static void refused(parse_fn fn, const char *xml, const char *want)
{
	struct sv_error err = { 0 };

	if (fn(xml, strlen(xml), &err) >= 0)
		fail_msg("accepted: %s", xml);
	if (!strstr(err.message, want))
		fail_msg("refusal of %.200s says '%s', expected '%s'", xml, err.message, want);
}

/* Every prefix of a good document: each is refused with a message (a truncated document is
 * never taken for a shorter one), and none reads past its end (the copy is exactly cut bytes). */
static void truncated_everywhere(parse_fn fn, const char *xml)
{
	size_t len = strlen(xml);
	struct sv_error err = { 0 };

	assert_int_equal(fn(xml, len, &err), 0);
	for (size_t cut = 0; cut < len; cut++) {
		_cleanup_free_ char *part = xmalloc(cut ? cut : 1);

		memcpy(part, xml, cut);
		memset(&err, 0, sizeof(err));
		if (fn(part, cut, &err) >= 0)
			fail_msg("a document cut at %zu bytes was accepted: %.*s", cut, (int)cut, xml);
		if (!err.message[0])
			fail_msg("a document cut at %zu bytes was refused without a message", cut);
	}
}

static void test_pool_truncated(void **state) { truncated_everywhere(parse_pool, pool_xml); }
static void test_volume_truncated(void **state) { truncated_everywhere(parse_volume, volume_xml); }

static void test_pool_malformed(void **state)
{
	refused(parse_pool, "", "");
	refused(parse_pool, "<pool type='dir'><name>p</name>", "line");
	refused(parse_pool, "<volume><name>v</name></volume>", "expected root element 'pool', found 'volume'");
	refused(parse_pool, "<!DOCTYPE pool [<!ENTITY x 'y'>]><pool type='dir'><name>&x;</name></pool>",
		"DOCTYPE");
	refused(parse_pool, "<pool type='dir'><name>p</name><target><path>/srv</path><permissions>"
			    "<mode>99999</mode></permissions></target></pool>", "99999");
	refused(parse_pool, "<pool type='dir'><name>p</name><uuid>not-a-uuid</uuid>"
			    "<target><path>/srv</path></target></pool>", "not-a-uuid");
	refused(parse_pool, "<pool type='dir'><name>a/b</name><target><path>/srv</path></target></pool>", "a/b");
	refused(parse_pool, "<pool type='dir'><name>p</name><target><path>/srv</path><permissions>"
			    "<owner>-7</owner></permissions></target></pool>", "-7");
	refused(parse_pool, "<pool type='dir'><name>p</name><target><path>/srv/a\nb</path></target></pool>",
		"in element 'target/path' contains a control character (0x0a)");
	refused(parse_volume, "<volume><name>v</name><capacity>1</capacity><target><path>/srv/a&#9;v</path>"
			      "</target></volume>", "contains a control character (0x09)");
}

/* Found by fuzz-pool: a path ending in spaces before its trailing '/' formatted into one that
 * parsed differently. Now what is formatted parses back to itself. */
static void test_path_fixed_point(void **state)
{
	static const char xml[] = "<pool type='dir'><name>p</name><target><path>/srv/a  //</path></target></pool>";
	_cleanup_pool_def_ struct pool_def *def = NULL, *again = NULL;
	_cleanup_free_ char *out = NULL, *out2 = NULL;
	struct sv_error err;

	assert_int_equal(pool_def_parse(xml, strlen(xml), 0, &def, &err), 0);
	assert_string_equal(def->target_path, "/srv/a");
	assert_int_equal(pool_def_format(def, 0, &out, &err), 0);
	assert_int_equal(pool_def_parse(out, strlen(out), 0, &again, &err), 0);
	assert_int_equal(pool_def_format(again, 0, &out2, &err), 0);
	assert_string_equal(out, out2);
}

static void test_volume_malformed(void **state)
{
	refused(parse_volume, "<volume><name>v</name><capacity>12x</capacity></volume>", "12x");
	refused(parse_volume, "<volume><name>v</name><capacity unit='parsecs'>1</capacity></volume>", "parsecs");
	refused(parse_volume, "<volume><name>v</name><capacity>-1</capacity></volume>", "-1");
	refused(parse_volume, "<volume><name>v</name><capacity>99999999999999999999999</capacity></volume>",
		"99999999999999999999999");
	/* In range as a number, not once scaled to bytes. */
	refused(parse_volume, "<volume><name>v</name><capacity unit='E'>99999</capacity></volume>", "99999");
	refused(parse_volume, "<volume><name>../etc/passwd</name><capacity>1</capacity></volume>", "../etc/passwd");
	refused(parse_volume, "<volume><name>v</name><capacity>1</capacity><target><format type='vmdk'/>"
			      "</target></volume>", "vmdk");
	refused(parse_volume, "<volume><name>v</name><capacity>1</capacity>\xff\xfe</volume>", "line");
}

/* Far beyond anything real, still within a frame (4 MiB): refused by name, not parsed for long
 * and not truncated silently. */
static void test_oversized(void **state)
{
	size_t big = 1024 * 1024;
	_cleanup_free_ char *name = xmalloc(big + 1);
	_cleanup_free_ char *pool = NULL, *vol = NULL, *path = NULL;
	struct sv_error err = { 0 };

	memset(name, 'n', big);
	name[big] = '\0';
	pool = xasprintf("<pool type='dir'><name>%s</name><target><path>/srv</path></target></pool>", name);
	assert_true(parse_pool(pool, strlen(pool), &err) < 0);
	assert_non_null(strstr(err.message, "nnnn"));
	vol = xasprintf("<volume><name>%s</name><capacity>1</capacity></volume>", name);
	memset(&err, 0, sizeof(err));
	assert_true(parse_volume(vol, strlen(vol), &err) < 0);
	assert_non_null(strstr(err.message, "nnnn"));
	/* A path longer than PATH_MAX. */
	name[8192] = '\0';
	path = xasprintf("<pool type='dir'><name>p</name><target><path>/%s</path></target></pool>", name);
	memset(&err, 0, sizeof(err));
	assert_true(parse_pool(path, strlen(path), &err) < 0);
	assert_non_null(strstr(err.message, "in element 'target/path' is longer than 4095 bytes"));
}

/* Deep nesting: libxml2's own limit, reported as an error. */
static void test_deeply_nested(void **state)
{
	size_t depth = 100000;
	char *xml = xmalloc(depth * 7 + 64), *p = xml;
	struct sv_error err = { 0 };

	p += sprintf(p, "<volume><name>v</name>");
	for (size_t i = 0; i < depth; i++)
		p += sprintf(p, "<a>");
	for (size_t i = 0; i < depth; i++)
		p += sprintf(p, "</a>");
	sprintf(p, "</volume>");
	assert_true(parse_volume(xml, strlen(xml), &err) < 0);
	assert_true(err.message[0] != '\0');
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_truncated),
		cmocka_unit_test(test_volume_truncated),
		cmocka_unit_test(test_pool_malformed),
		cmocka_unit_test(test_volume_malformed),
		cmocka_unit_test(test_path_fixed_point),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_deeply_nested),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
