/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain XML model: corpus round trips, the managed tap rules of DESIGN.md one by one,
 * generated MAC/uuid, and conformance with libvirt's own test inputs. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "test-skip.h"

#include "test-xml-util.h"
#include "util.h"
#include "xml/domain-def.h"
#include "xml/validate.h"

static int domain_roundtrip(const char *xml, size_t len, unsigned flags, char **out,
			    struct sv_error *err)
{
	_cleanup_domain_def_ struct domain_def *def = NULL;
	int r = domain_def_parse(xml, len, flags, &def, err);

	return r < 0 ? r : domain_def_format(def, 0, out, err);
}

static char *our_schema(const char *name)
{
	const char *top = getenv("abs_top_srcdir");

	return xasprintf("%s/data/schemas/%s", top ? top : ".", name);
}

static void test_corpus(void **state)
{
	_cleanup_free_ char *schema = our_schema("domain.rng");

	print_message("domain corpus: %d cases\n", test_run_corpus("domain", domain_roundtrip, schema));
}

static void test_corpus_libvirt_schema(void **state)
{
	const char *schema = test_libvirt_schema("domain");

	if (!schema)
		test_skip("libvirt's domain schema is not installed (/usr/share/libvirt/schemas): skipped\n");
	test_run_corpus("domain", domain_roundtrip, schema);
}

/* ---- the managed attribute, one rule per test ---- */

static char *with_devices(const char *devices)
{
	return xasprintf("<domain type='kvm'><name>t</name><memory unit='MiB'>64</memory>"
			 "<os><type>hvm</type></os><devices>%s</devices></domain>", devices);
}

static struct domain_def *parse_ok(const char *devices, unsigned flags)
{
	_cleanup_free_ char *xml = with_devices(devices);
	struct domain_def *def = NULL;
	struct sv_error err = { 0 };

	if (domain_def_parse(xml, strlen(xml), flags, &def, &err) < 0)
		fail_msg("refused: %s", err.message);
	return def;
}

static void assert_refused(const char *devices, unsigned flags, int code, const char *message)
{
	_cleanup_free_ char *xml = with_devices(devices);
	struct domain_def *def = NULL;
	struct sv_error err = { 0 };

	assert_true(domain_def_parse(xml, strlen(xml), flags, &def, &err) < 0);
	assert_null(def);
	assert_int_equal(err.code, code);
	if (!strstr(err.message, message))
		fail_msg("got '%s', expected '%s'", err.message, message);
}

static char *format_ok(const struct domain_def *def, unsigned flags)
{
	char *out = NULL;
	struct sv_error err = { 0 };

	assert_int_equal(domain_def_format(def, flags, &out, &err), 0);
	return out;
}

static void test_managed_absent_stays_absent(void **state)
{
	_cleanup_domain_def_ struct domain_def *def =
		parse_ok("<interface type='ethernet'><target dev='tap3'/></interface>", 0);
	_cleanup_free_ char *out = format_ok(def, 0);

	assert_int_equal(def->interfaces[0].managed, DOMAIN_NET_MANAGED_ABSENT);
	assert_false(domain_interface_is_unmanaged(&def->interfaces[0]));
	assert_non_null(strstr(out, "<target dev='tap3'/>"));
	assert_null(strstr(out, "managed="));
}

static void test_managed_yes_written_back(void **state)
{
	_cleanup_domain_def_ struct domain_def *def =
		parse_ok("<interface type='ethernet'><target dev='tap3' managed='yes'/></interface>", 0);
	_cleanup_free_ char *out = format_ok(def, 0);

	assert_int_equal(def->interfaces[0].managed, DOMAIN_NET_MANAGED_YES);
	assert_non_null(strstr(out, "<target dev='tap3' managed='yes'/>"));
}

static void test_managed_no_written_back(void **state)
{
	_cleanup_domain_def_ struct domain_def *def =
		parse_ok("<interface type='ethernet'><target dev='mytap0' managed='no'/></interface>", 0);
	_cleanup_free_ char *out = format_ok(def, 0);

	assert_true(domain_interface_is_unmanaged(&def->interfaces[0]));
	assert_string_equal(def->interfaces[0].target_dev, "mytap0");
	assert_non_null(strstr(out, "<target dev='mytap0' managed='no'/>"));
}

static void test_managed_no_only_ethernet(void **state)
{
	assert_refused("<interface type='bridge'><source bridge='br0'/>"
		       "<target dev='mytap0' managed='no'/></interface>", 0, SV_ERR_CONFIG_UNSUPPORTED,
		       "unmanaged target dev is not supported on interfaces of type 'bridge'");
	assert_refused("<interface type='network'><source network='default'/>"
		       "<target dev='mytap0' managed='no'/></interface>", 0, SV_ERR_CONFIG_UNSUPPORTED,
		       "unmanaged target dev is not supported on interfaces of type 'network'");
	assert_refused("<interface type='user'><target dev='mytap0' managed='no'/></interface>", 0,
		       SV_ERR_CONFIG_UNSUPPORTED,
		       "unmanaged target dev is not supported on interfaces of type 'user'");
}

/* libvirt accepts managed='yes' (the default) on any type and writes it back. */
static void test_managed_yes_on_bridge_kept(void **state)
{
	_cleanup_domain_def_ struct domain_def *def =
		parse_ok("<interface type='bridge'><source bridge='br0'/>"
			 "<target dev='tap9' managed='yes'/></interface>", 0);
	_cleanup_free_ char *out = format_ok(def, 0);

	assert_non_null(strstr(out, "<target dev='tap9' managed='yes'/>"));
}

static void test_managed_no_needs_dev(void **state)
{
	assert_refused("<interface type='ethernet'><target managed='no'/></interface>", 0, SV_ERR_XML,
		       "target dev must be supplied when managed='no'");
	assert_refused("<interface type='ethernet'><target dev='' managed='no'/></interface>", 0,
		       SV_ERR_XML, "target dev must be supplied when managed='no'");
}

static void test_managed_bad_value(void **state)
{
	assert_refused("<interface type='ethernet'><target dev='t0' managed='maybe'/></interface>", 0,
		       SV_ERR_XML, "Invalid value for attribute 'managed' in element 'target': 'maybe'");
	assert_refused("<interface type='ethernet'><target dev='t0' managed='YES'/></interface>", 0,
		       SV_ERR_XML, "Invalid value for attribute 'managed' in element 'target': 'YES'");
}

static void test_vnet_dropped_when_inactive_and_managed(void **state)
{
	_cleanup_domain_def_ struct domain_def *absent =
		parse_ok("<interface type='ethernet'><target dev='vnet7'/></interface>", DOMAIN_PARSE_INACTIVE);
	_cleanup_domain_def_ struct domain_def *yes =
		parse_ok("<interface type='ethernet'><target dev='vnet7' managed='yes'/></interface>",
			 DOMAIN_PARSE_INACTIVE);
	_cleanup_domain_def_ struct domain_def *bridge =
		parse_ok("<interface type='bridge'><source bridge='br0'/><target dev='vnet0'/></interface>",
			 DOMAIN_PARSE_INACTIVE);
	_cleanup_free_ char *out = format_ok(yes, 0);

	assert_null(absent->interfaces[0].target_dev);
	assert_null(yes->interfaces[0].target_dev);
	assert_null(bridge->interfaces[0].target_dev);
	/* the model keeps managed='yes'; without a dev libvirt's schema has no <target> */
	assert_int_equal(yes->interfaces[0].managed, DOMAIN_NET_MANAGED_YES);
	assert_null(strstr(out, "<target"));
}

static void test_vnet_kept_when_unmanaged(void **state)
{
	_cleanup_domain_def_ struct domain_def *def =
		parse_ok("<interface type='ethernet'><target dev='vnet7' managed='no'/></interface>",
			 DOMAIN_PARSE_INACTIVE);
	_cleanup_free_ char *out = format_ok(def, DOMAIN_FORMAT_INACTIVE);

	assert_string_equal(def->interfaces[0].target_dev, "vnet7");
	assert_non_null(strstr(out, "<target dev='vnet7' managed='no'/>"));
}

static void test_vnet_kept_when_live(void **state)
{
	_cleanup_domain_def_ struct domain_def *def =
		parse_ok("<interface type='ethernet'><target dev='vnet7'/></interface>", 0);
	_cleanup_free_ char *live = format_ok(def, 0);
	_cleanup_free_ char *inactive = format_ok(def, DOMAIN_FORMAT_INACTIVE);

	assert_string_equal(def->interfaces[0].target_dev, "vnet7");
	assert_non_null(strstr(live, "<target dev='vnet7'/>"));
	assert_null(strstr(inactive, "vnet7"));
	/* only the vnet prefix is a generated name */
	domain_def_free(def);
	def = parse_ok("<interface type='ethernet'><target dev='vne7'/></interface>", DOMAIN_PARSE_INACTIVE);
	assert_string_equal(def->interfaces[0].target_dev, "vne7");
}

static void test_tap_name_too_long(void **state)
{
	assert_refused("<interface type='ethernet'><target dev='abcdefghijklmnop' managed='no'/></interface>",
		       0, SV_ERR_XML, "interface name 'abcdefghijklmnop' is too long (maximum 15 bytes)");
	assert_refused("<interface type='ethernet'><target dev='a/b'/></interface>", 0, SV_ERR_XML,
		       "invalid interface name 'a/b'");
	/* exactly 15 bytes is fine */
	domain_def_free(parse_ok("<interface type='ethernet'><target dev='abcdefghijklmno' managed='no'/></interface>", 0));
}

/* Names the kernel would template ('%') or refuse, on every place an interface name goes:
 * refused at define naming the value, for QEMU domains and containers alike (issue 18). */
static void test_ifname_refused_at_define(void **state)
{
	static const struct { const char *dev, *message; } bad[] = {
		{ "ta%d", "invalid interface name 'ta%d': it cannot contain '%'" },
		{ "%d", "invalid interface name '%d': it cannot contain '%'" },
		{ "a%", "invalid interface name 'a%': it cannot contain '%'" },
		{ "", "interface name must not be empty" },
		{ "abcdefghijklmnop", "interface name 'abcdefghijklmnop' is too long (maximum 15 bytes)" },
		{ "a/b", "invalid interface name 'a/b': it cannot contain '/'" },
		{ "a:1", "invalid interface name 'a:1': it cannot contain ':'" },
		{ "a b", "invalid interface name 'a b': it cannot contain blanks" },
		{ "a\tb", "it cannot contain blanks" },
		{ ".", "invalid interface name '.'" },
		{ "..", "invalid interface name '..'" },
	};
	static const struct { const char *before, *after; } shapes[] = {
		{ "<interface type='ethernet'><target dev='", "'/></interface>" },
		{ "<interface type='ethernet'><target dev='", "' managed='no'/></interface>" },
		{ "<interface type='bridge'><source bridge='", "'/></interface>" },
		{ "<interface type='bridge'><source bridge='br0'/><target dev='", "'/></interface>" },
	};
	static const char *const types[] = { "qemu", "kvm", "lxc" };

	for (size_t t = 0; t < ARRAY_SIZE(types); t++)
		for (size_t s = 0; s < ARRAY_SIZE(shapes); s++)
			for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
				/* a tab goes in as a character reference, as a user would write it */
				const char *dev = streq(bad[i].dev, "a\\tb") ? "a&#9;b" : bad[i].dev;
				_cleanup_free_ char *iface = xasprintf("%s%s%s", shapes[s].before, dev, shapes[s].after);
				/* managed='no' with an empty dev has its own message (DESIGN.md) */
				const char *message = bad[i].message;
				if (!*dev && s == 1)
					message = "target dev must be supplied when managed='no'";
				else if (!*dev && s == 2)
					message = "missing attribute 'bridge' in element 'source'";
				_cleanup_free_ char *xml = xasprintf(
					"<domain type='%s'><name>t</name><memory unit='MiB'>64</memory>"
					"<os><type>%s</type>%s</os><devices>%s</devices></domain>", types[t],
					streq(types[t], "lxc") ? "exe" : "hvm",
					streq(types[t], "lxc") ? "<init>/sbin/init</init>" : "", iface);
				struct domain_def *def = NULL;
				struct sv_error err = { 0 };

				if (domain_def_parse(xml, strlen(xml), DOMAIN_PARSE_INACTIVE, &def, &err) == 0) {
					domain_def_free(def);
					fail_msg("%s: '%s' accepted in %s", types[t], bad[i].dev, iface);
				}
				assert_int_equal(err.code, SV_ERR_XML);
				if (!strstr(err.message, message))
					fail_msg("%s, %s: got '%s', expected '%s'", types[t], iface, err.message, message);
			}
	/* a name the kernel takes as it is still passes */
	domain_def_free(parse_ok("<interface type='ethernet'><target dev='ta0-x_y.z'/></interface>",
				 DOMAIN_PARSE_INACTIVE));
}

static void test_managed_stable_round_trip(void **state)
{
	static const char *const cases[] = {
		"<interface type='ethernet'><target dev='t1'/></interface>",
		"<interface type='ethernet'><target dev='t1' managed='yes'/></interface>",
		"<interface type='ethernet'><target dev='vnet1' managed='no'/></interface>",
		"<interface type='ethernet'><target dev='vnet1' managed='yes'/></interface>",
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_domain_def_ struct domain_def *a = parse_ok(cases[i], DOMAIN_PARSE_INACTIVE);
		_cleanup_free_ char *out1 = format_ok(a, 0);
		_cleanup_domain_def_ struct domain_def *b = NULL;
		_cleanup_free_ char *out2 = NULL;
		struct sv_error err = { 0 };

		assert_int_equal(domain_def_parse(out1, strlen(out1), DOMAIN_PARSE_INACTIVE, &b, &err), 0);
		if (a->interfaces[0].target_dev)
			assert_int_equal(a->interfaces[0].managed, b->interfaces[0].managed);
		assert_true(streq_ptr(a->interfaces[0].target_dev, b->interfaces[0].target_dev));
		out2 = format_ok(b, 0);
		assert_string_equal(out1, out2);
	}
}

/* ---- generated values ---- */

static void test_mac_generated_then_stable(void **state)
{
	_cleanup_domain_def_ struct domain_def *a =
		parse_ok("<interface type='network'><source network='default'/></interface>", 0);
	_cleanup_free_ char *out = format_ok(a, 0);
	_cleanup_domain_def_ struct domain_def *b = NULL;
	struct sv_error err = { 0 };
	char mac[SV_MAC_STRING_LEN];

	assert_true(a->interfaces[0].mac_generated);
	assert_memory_equal(a->interfaces[0].mac, "\x52\x54\x00", 3);
	assert_int_equal(domain_def_parse(out, strlen(out), 0, &b, &err), 0);
	assert_false(b->interfaces[0].mac_generated);
	assert_memory_equal(a->interfaces[0].mac, b->interfaces[0].mac, SV_MAC_LEN);
	assert_true(a->uuid_generated);
	assert_false(b->uuid_generated);
	assert_memory_equal(a->uuid, b->uuid, SV_UUID_LEN);
	sv_mac_format(a->interfaces[0].mac, mac);
	assert_int_equal(domain_def_find_interface(b, a->interfaces[0].mac), 0);
	assert_non_null(strstr(out, mac));
}

static void test_mac_rules(void **state)
{
	unsigned char mac[SV_MAC_LEN], host[SV_MAC_LEN];
	char s[SV_MAC_STRING_LEN];

	assert_int_equal(sv_mac_parse("52:54:00:AB:c:1", mac), 0);
	sv_mac_format(mac, s);
	assert_string_equal(s, "52:54:00:ab:0c:01");
	assert_int_equal(sv_mac_parse("52:54:00:ab:0c", mac), -EINVAL);
	assert_int_equal(sv_mac_parse("52:54:00:ab:0c:01:02", mac), -EINVAL);
	assert_int_equal(sv_mac_parse("52-54-00-ab-0c-01", mac), -EINVAL);
	sv_mac_host_side((const unsigned char *)"\x52\x54\x00\x01\x02\x03", host);
	assert_int_equal(host[0], 0xFE);
	sv_mac_host_side((const unsigned char *)"\xfe\x11\x22\x33\x44\x55", host);
	assert_int_equal(host[0], 0xFA);
	assert_memory_equal(host + 1, "\x11\x22\x33\x44\x55", 5);
	assert_refused("<interface type='ethernet'><mac address='01:00:5e:00:00:01'/></interface>", 0,
		       SV_ERR_XML, "expected unicast mac address, found multicast '01:00:5e:00:00:01'");
	assert_refused("<interface type='ethernet'><mac address='zz'/></interface>", 0, SV_ERR_XML,
		       "unable to parse mac address 'zz'");
}

static void test_uuid_rules(void **state)
{
	unsigned char u[SV_UUID_LEN], g[SV_UUID_LEN];
	char s[SV_UUID_STRING_LEN];

	assert_int_equal(sv_uuid_parse(" C7A5FDBD-EDAF-9455-926A-D65C16DB1809\n", u), 0);
	sv_uuid_format(u, s);
	assert_string_equal(s, "c7a5fdbd-edaf-9455-926a-d65c16db1809");
	assert_int_equal(sv_uuid_parse("c7a5fdbdedaf9455926ad65c16db1809", u), 0);
	assert_int_equal(sv_uuid_parse("c7a5fdbd-edaf-9455-926a-d65c16db180", u), -EINVAL);
	assert_int_equal(sv_uuid_parse("c7a5fdbd-edaf-9455-926a-d65c16db18090", u), -EINVAL);
	assert_int_equal(sv_uuid_generate(g), 0);
	assert_int_equal(g[6] >> 4, 4);
}

static void test_units(void **state)
{
	static const struct {
		const char *unit;
		unsigned long long bytes; /* of "2" */
	} cases[] = {
		{ NULL, 2048 }, { "", 2048 }, { "b", 2 }, { "bytes", 2 }, { "byte", 2 },
		{ "KB", 2000 }, { "k", 2048 }, { "KiB", 2048 }, { "K", 2048 },
		{ "MB", 2000000 }, { "M", 2097152 }, { "MiB", 2097152 },
		{ "GB", 2000000000ULL }, { "G", 2147483648ULL }, { "GiB", 2147483648ULL },
		{ "TB", 2000000000000ULL }, { "T", 2199023255552ULL }, { "TiB", 2199023255552ULL },
		{ "PB", 2000000000000000ULL }, { "PiB", 2251799813685248ULL },
		{ "EB", 2000000000000000000ULL }, { "mib", 2097152 },
	};
	unsigned long long v, kib;
	struct sv_error err = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(sv_units_parse("2", cases[i].unit, 1024, ~0ULL, &v, &err), 0);
		if (v != cases[i].bytes)
			fail_msg("unit '%s': %llu, expected %llu", cases[i].unit, v, cases[i].bytes);
	}
	assert_true(sv_units_parse("2", "XB", 1024, ~0ULL, &v, &err) < 0);
	assert_non_null(strstr(err.message, "unknown suffix 'XB'"));
	assert_true(sv_units_parse("20", "EiB", 1, ~0ULL, &v, &err) < 0);
	assert_non_null(strstr(err.message, "too large"));
	assert_true(sv_units_parse("-1", "b", 1, ~0ULL, &v, &err) < 0);
	/* memory is kept in KiB, rounded up */
	assert_int_equal(sv_units_parse_kib("1025", "b", &kib, &err), 0);
	assert_int_equal(kib, 2);
	assert_int_equal(sv_units_parse_kib("1", "GB", &kib, &err), 0);
	assert_int_equal(kib, 976563);
}

static void test_memory_units_in_domain(void **state)
{
	_cleanup_free_ char *xml = xstrdup("<domain type='qemu'><name>m</name><memory unit='GiB'>2</memory>"
					   "<currentMemory unit='MB'>1000</currentMemory>"
					   "<os><type>hvm</type></os></domain>");
	_cleanup_domain_def_ struct domain_def *def = NULL;
	struct sv_error err = { 0 };

	assert_int_equal(domain_def_parse(xml, strlen(xml), 0, &def, &err), 0);
	assert_int_equal(def->memory_kib, 2097152);
	assert_int_equal(def->current_memory_kib, 976563);
}

static void test_names(void **state)
{
	struct sv_error err = { 0 };
	_cleanup_free_ char *longname = xmalloc(SV_NAME_MAX + 2);

	assert_int_equal(sv_name_validate("domain", "ok-name_1", &err), 0);
	assert_true(sv_name_validate("domain", "a/b", &err) < 0);
	assert_non_null(strstr(err.message, "domain name 'a/b' cannot contain '/'"));
	assert_true(sv_name_validate("domain", ".hidden", &err) < 0);
	assert_non_null(strstr(err.message, "cannot start with '.'"));
	assert_true(sv_name_validate("domain", "", &err) < 0);
	memset(longname, 'x', SV_NAME_MAX + 1);
	longname[SV_NAME_MAX + 1] = '\0';
	assert_true(sv_name_validate("domain", longname, &err) < 0);
	assert_non_null(strstr(err.message, "is too long"));
	longname[SV_NAME_MAX] = '\0';
	assert_int_equal(sv_name_validate("domain", longname, &err), 0);
}

/* Found by the fuzzer: what a parser normalizes must be written as a reference. */
static void test_escaping_fixed_point(void **state)
{
	static const char xml[] =
		"<domain type='kvm'><name>e&amp;&lt;&apos;</name><description>a&#13;b\n&quot;c</description>"
		"<metadata><m:x xmlns:m='urn:x' v='1&#10;2&#9;3&#13;'>t&#13;</m:x></metadata>"
		"<memory>1024</memory><os><type>hvm</type></os></domain>";
	_cleanup_domain_def_ struct domain_def *def = NULL, *again = NULL;
	_cleanup_free_ char *out = NULL, *out2 = NULL;
	struct sv_error err = { 0 };

	assert_int_equal(domain_def_parse(xml, strlen(xml), 0, &def, &err), 0);
	assert_string_equal(def->name, "e&<'");
	assert_string_equal(def->description, "a\rb\n\"c");
	out = format_ok(def, 0);
	assert_non_null(strstr(out, "v='1&#10;2&#9;3&#13;'"));
	assert_int_equal(domain_def_parse(out, strlen(out), 0, &again, &err), 0);
	assert_string_equal(again->description, def->description);
	out2 = format_ok(again, 0);
	assert_string_equal(out, out2);
}

/* ---- conformance with libvirt's test data ---- */

static const char *const must_accept[] = { "net-eth", "boot-", "disk-", NULL }; /* prefixes */
/* upstream a parse error too (DO_TEST_CAPS_LATEST_PARSE_ERROR) */
static const char *const must_refuse[] = { "minimal-no-memory", NULL };
/* README "Known version skew": input and expected output do not correspond. */
static const char *const skewed[] = { "boot-order", "net-openvswitch", "net-virtio-network-portgroup", NULL };

static bool in_list(const char *name, const char *const *list, bool prefix)
{
	for (const char *const *p = list; *p; p++)
		if (prefix ? startswith(name, *p) : streq(name, *p))
			return true;
	return false;
}

static char *expected_output(const char *out_dir, const char *base)
{
	static const char *const suffixes[] = { ".x86_64-latest.xml", ".xml", NULL };

	for (const char *const *s = suffixes; out_dir && *s; s++) {
		char *path = xasprintf("%s/%s%s", out_dir, base, *s);
		char *xml = test_read_file(path, NULL);

		free(path);
		if (xml)
			return xml;
	}
	return NULL;
}

static void conform_one(const char *dir, const char *out_dir, const char *file, int *accepted,
			int *refused, int *compared)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	_cleanup_free_ char *base = xstrndup(file, strlen(file) - 4);
	_cleanup_free_ char *xml = NULL, *out = NULL, *expected = NULL;
	_cleanup_free_ char *ours = NULL, *theirs = NULL;
	const char *schema = test_libvirt_schema("domain");
	struct sv_error err = { 0 };
	size_t len;

	xml = test_read_file(path, &len);
	if (domain_roundtrip(xml, len, 0, &out, &err) < 0) {
		print_message("  refused  %-40s %s\n", file, err.message);
		if (in_list(base, must_accept, true) || streq(base, "minimal"))
			fail_msg("%s must be accepted: %s", file, err.message);
		/* a refusal names what is unsupported or missing */
		if (!strstr(err.message, "'"))
			fail_msg("%s: refusal does not name the element: %s", file, err.message);
		(*refused)++;
		return;
	}
	if (in_list(base, must_refuse, false))
		fail_msg("%s must be refused", file);
	(*accepted)++;
	if (schema && xml_validate_rng(schema, out, strlen(out), &err) < 0)
		fail_msg("%s: our output is not valid for libvirt: %s", file, err.message);
	expected = expected_output(out_dir, base);
	if (!expected) {
		/* lxc files are their own expected output */
		expected = out_dir ? NULL : xstrdup(xml);
		if (!expected)
			return;
	}
	if (in_list(base, skewed, false))
		return;
	ours = test_facts("domain", out, strlen(out));
	theirs = test_facts("domain", expected, strlen(expected));
	if (!streq(ours, theirs))
		fail_msg("%s: facts differ from libvirt's output\n--- ours\n%s--- libvirt\n%s", file, ours, theirs);
	(*compared)++;
}

static void test_conformance(void **state)
{
	_cleanup_free_ char *dir = test_shared_dir("domain");
	_cleanup_free_ char *out_dir = test_shared_dir("domain-out");
	_cleanup_free_ char *lxc_dir = test_shared_dir("lxc");
	int accepted = 0, refused = 0, compared = 0;
	char **files;

	if (!dir)
		test_skip("no libvirt test data (SHARED_TESTDATA): skipped\n");
	files = test_list_dir(dir, ".xml");
	for (char **f = files; *f; f++)
		conform_one(dir, out_dir, *f, &accepted, &refused, &compared);
	test_strv_free(files);
	/* minimal.xml only exists as libvirt's output: use it as input */
	if (out_dir)
		conform_one(out_dir, out_dir, "minimal.xml", &accepted, &refused, &compared);
	files = lxc_dir ? test_list_dir(lxc_dir, ".xml") : xcalloc(1, sizeof(char *));
	for (char **f = files; *f; f++)
		conform_one(lxc_dir, NULL, *f, &accepted, &refused, &compared);
	test_strv_free(files);
	print_message("libvirt domain conformance: %d accepted (%d compared with libvirt's output), %d refused\n",
		      accepted, compared, refused);
	assert_true(accepted > 0);
}

/* ---- devices per domain (domain-limits.h) ---- */

/* n copies of fmt, each given its index (for unique target names). */
static char *repeat(const char *fmt, size_t n)
{
	size_t len = 0, cap = 4096;
	char *out = xmalloc(cap);

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char one[256];
		size_t k = (size_t)snprintf(one, sizeof(one), fmt, i, i);

		if (len + k + 1 > cap) {
			cap = 2 * (len + k + 1);
			out = xrealloc(out, cap);
		}
		memcpy(out + len, one, k + 1);
		len += k;
	}
	return out;
}

static void limit_holds(const char *fmt, size_t max, const char *message)
{
	_cleanup_free_ char *at = repeat(fmt, max), *over = repeat(fmt, max + 1);
	struct domain_def *def = parse_ok(at, 0);

	domain_def_free(def);
	assert_refused(over, 0, SV_ERR_CONFIG_UNSUPPORTED, message);
}

static void test_device_limits(void **state)
{
	limit_holds("<interface type='user'/>", DOMAIN_MAX_INTERFACES,
		    "too many interface devices: 257 (limit 256 per domain)");
	limit_holds("<disk type='file'><source file='/img%zu'/><target dev='vd%zu'/></disk>", DOMAIN_MAX_DISKS,
		    "too many disk devices: 257 (limit 256 per domain)");
	limit_holds("<serial type='pty'/>", DOMAIN_MAX_SERIALS, "too many serial devices: 257 (limit 256 per domain)");
	limit_holds("<console type='pty'/>", DOMAIN_MAX_CONSOLES, "too many console devices: 257 (limit 256 per domain)");
	limit_holds("<filesystem><source dir='/s%zu'/><target dir='/t%zu'/></filesystem>", DOMAIN_MAX_FILESYSTEMS,
		    "too many filesystem devices: 257 (limit 256 per domain)");
	limit_holds("<input type='tablet' bus='usb'/>", DOMAIN_MAX_OTHER_DEVICES,
		    "too many other devices (controllers, input, video...): 1025 (limit 1024 per domain)");
}

/* The attack of issue 18: refused at once, by count, before any interface is looked at. */
static void test_ten_thousand_interfaces(void **state)
{
	_cleanup_free_ char *many = repeat("<interface type='ethernet'><target dev='t%zu'/></interface>", 10000);

	assert_refused(many, 0, SV_ERR_CONFIG_UNSUPPORTED, "too many interface devices: 10000 (limit 256 per domain)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_corpus_libvirt_schema),
		cmocka_unit_test(test_managed_absent_stays_absent),
		cmocka_unit_test(test_managed_yes_written_back),
		cmocka_unit_test(test_managed_no_written_back),
		cmocka_unit_test(test_managed_no_only_ethernet),
		cmocka_unit_test(test_managed_yes_on_bridge_kept),
		cmocka_unit_test(test_managed_no_needs_dev),
		cmocka_unit_test(test_managed_bad_value),
		cmocka_unit_test(test_vnet_dropped_when_inactive_and_managed),
		cmocka_unit_test(test_vnet_kept_when_unmanaged),
		cmocka_unit_test(test_vnet_kept_when_live),
		cmocka_unit_test(test_tap_name_too_long),
		cmocka_unit_test(test_ifname_refused_at_define),
		cmocka_unit_test(test_managed_stable_round_trip),
		cmocka_unit_test(test_mac_generated_then_stable),
		cmocka_unit_test(test_mac_rules),
		cmocka_unit_test(test_uuid_rules),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_memory_units_in_domain),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_escaping_fixed_point),
		cmocka_unit_test(test_conformance),
		cmocka_unit_test(test_device_limits),
		cmocka_unit_test(test_ten_thousand_interfaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
