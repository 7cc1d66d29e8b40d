/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Network, storage pool and volume XML models: corpus round trips, refusals, and
 * conformance with libvirt's own test inputs. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "test-skip.h"

#include "test-xml-util.h"
#include "util.h"
#include "xml/network-def.h"
#include "xml/pool-def.h"
#include "xml/validate.h"
#include "xml/volume-def.h"

#define ROUNDTRIP(model)                                                                   \
	static int model##_roundtrip(const char *xml, size_t len, unsigned flags, char **out, \
				     struct sv_error *err)                                 \
	{                                                                                  \
		_cleanup_(model##_def_freep) struct model##_def *def = NULL;               \
		int r = model##_def_parse(xml, len, flags, &def, err);                     \
                                                                                           \
		return r < 0 ? r : model##_def_format(def, 0, out, err);                   \
	}
ROUNDTRIP(network)
ROUNDTRIP(pool)
ROUNDTRIP(volume)

struct model {
	const char *kind;
	test_roundtrip_fn fn;
	const char *schema;
	const char *const *must_accept;
};

static const char *const network_accept[] = { "nat-network.xml", "isolated-network.xml", "routed-network.xml", NULL };
static const char *const pool_accept[] = { "pool-dir.xml", NULL };
static const char *const volume_accept[] = { "vol-file.xml", "vol-qcow2.xml", NULL };
static const struct model models[] = {
	{ "network", network_roundtrip, "network.rng", network_accept },
	{ "pool", pool_roundtrip, "pool.rng", pool_accept },
	{ "volume", volume_roundtrip, "volume.rng", volume_accept },
};

static void test_corpus(void **state)
{
	const char *top = getenv("abs_top_srcdir");

	for (size_t i = 0; i < ARRAY_SIZE(models); i++) {
		_cleanup_free_ char *schema = xasprintf("%s/data/schemas/%s", top ? top : ".", models[i].schema);

		print_message("%s corpus: %d cases\n", models[i].kind,
			      test_run_corpus(models[i].kind, models[i].fn, schema));
		if (test_libvirt_schema(models[i].kind))
			test_run_corpus(models[i].kind, models[i].fn, test_libvirt_schema(models[i].kind));
	}
}

static bool listed(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (streq(*list, name))
			return true;
	return false;
}

/* README "Known version skew": isolated-network's ipv6='no' and pool-dir's owner/group
 * differ between input and output revisions; neither is among the compared facts. */
static bool conform_model(const struct model *m)
{
	_cleanup_free_ char *in_dir = NULL, *out_dir = NULL;
	const char *schema = test_libvirt_schema(m->kind);
	int accepted = 0, refused = 0;
	char **files;

	{
		_cleanup_free_ char *in = xasprintf("%s/in", m->kind), *out = xasprintf("%s/out", m->kind);

		in_dir = test_shared_dir(in);
		out_dir = test_shared_dir(out);
	}
	if (!in_dir) {
		print_message("%s: no libvirt test data in %s\n", m->kind, getenv("SHARED_TESTDATA") ?: "../shared/testdata");
		return false;
	}
	files = test_list_dir(in_dir, ".xml");
	for (char **f = files; *f; f++) {
		_cleanup_free_ char *path = xasprintf("%s/%s", in_dir, *f);
		_cleanup_free_ char *exp_path = xasprintf("%s/%s", out_dir ? out_dir : "", *f);
		_cleanup_free_ char *xml = NULL, *out = NULL, *expected = NULL, *ours = NULL, *theirs = NULL;
		struct sv_error err = { 0 };
		size_t len;

		xml = test_read_file(path, &len);
		if (m->fn(xml, len, 0, &out, &err) < 0) {
			print_message("  refused  %s/%-32s %s\n", m->kind, *f, err.message);
			if (listed(*f, m->must_accept))
				fail_msg("%s must be accepted: %s", *f, err.message);
			if (!strstr(err.message, "'"))
				fail_msg("%s: refusal does not name what is unsupported: %s", *f, err.message);
			refused++;
			continue;
		}
		accepted++;
		if (schema && xml_validate_rng(schema, out, strlen(out), &err) < 0)
			fail_msg("%s: our output is not valid for libvirt: %s", *f, err.message);
		expected = test_read_file(exp_path, NULL);
		if (!expected)
			continue;
		ours = test_facts(m->kind, out, strlen(out));
		theirs = test_facts(m->kind, expected, strlen(expected));
		if (!streq(ours, theirs))
			fail_msg("%s: facts differ from libvirt's output\n--- ours\n%s--- libvirt\n%s", *f,
				 ours, theirs);
	}
	test_strv_free(files);
	print_message("libvirt %s conformance: %d accepted, %d refused\n", m->kind, accepted, refused);
	return true;
}

static void test_conformance(void **state)
{
	size_t missing = 0;

	/* Every model that has data is checked; any without it makes the test (and the binary) SKIP. */
	for (size_t i = 0; i < ARRAY_SIZE(models); i++)
		if (!conform_model(&models[i]))
			missing++;
	if (missing)
		test_skip("libvirt conformance: %zu of %zu models have no test data: skipped\n", missing,
			  ARRAY_SIZE(models));
}

static void test_network_model(void **state)
{
	static const char xml[] =
		"<network><name>n1</name><forward/><bridge name='virbr9'/>"
		"<ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.0.2' end='10.0.0.9'/>"
		"<host mac='52:54:00:00:00:01' name='a' ip='10.0.0.5'/></dhcp></ip></network>";
	_cleanup_network_def_ struct network_def *def = NULL;
	struct sv_error err = { 0 };

	assert_int_equal(network_def_parse(xml, strlen(xml), 0, &def, &err), 0);
	assert_int_equal(def->forward, NETWORK_FORWARD_NAT);
	assert_string_equal(def->bridge, "virbr9");
	assert_true(def->stp);
	assert_true(def->uuid_generated);
	assert_int_equal(def->nips, 1);
	assert_int_equal(def->ips[0].prefix, 24);
	assert_string_equal(def->ips[0].ranges[0].end, "10.0.0.9");
	assert_true(def->ips[0].hosts[0].has_mac);
}

static void test_volume_units(void **state)
{
	static const char xml[] = "<volume><name>v</name><capacity unit='G'>5</capacity>"
				  "<allocation unit='KB'>3</allocation></volume>";
	_cleanup_volume_def_ struct volume_def *def = NULL;
	struct sv_error err = { 0 };

	assert_int_equal(volume_def_parse(xml, strlen(xml), 0, &def, &err), 0);
	assert_int_equal(def->capacity, 5368709120ULL);
	assert_int_equal(def->allocation, 3000);
	assert_int_equal(def->format, VOLUME_FORMAT_NONE);
}

static void test_pool_path_and_perms(void **state)
{
	static const char xml[] = "<pool type='dir'><name>p</name><target><path>//srv//images/</path>"
				  "<permissions><mode>0711</mode><owner>107</owner></permissions></target></pool>";
	_cleanup_pool_def_ struct pool_def *def = NULL;
	struct sv_error err = { 0 };

	assert_int_equal(pool_def_parse(xml, strlen(xml), 0, &def, &err), 0);
	assert_string_equal(def->target_path, "/srv/images");
	assert_int_equal(def->perms.mode, 0711);
	assert_int_equal(def->perms.uid, 107);
	assert_int_equal(def->perms.gid, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_network_model),
		cmocka_unit_test(test_volume_units),
		cmocka_unit_test(test_pool_path_and_perms),
		cmocka_unit_test(test_conformance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
