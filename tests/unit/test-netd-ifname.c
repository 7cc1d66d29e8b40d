/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netd/ifname.c: the interface-name rules netd re-checks, the host-side MAC, UUIDs. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test-skip.h"

#include "../../netd/ifname.h"
#include "xml/domain-limits.h"

static void test_ifname_rules(void **state)
{
	struct sv_error err;

	assert_int_equal(netd_ifname_check("mytap0", "target dev", &err), 0);
	assert_int_equal(netd_ifname_check("abcdefghijklmno", "target dev", &err), 0); /* 15 bytes */
	assert_int_equal(netd_ifname_check("abcdefghijklmnop", "target dev", &err), -ENAMETOOLONG);
	assert_non_null(strstr(err.message, "target dev 'abcdefghijklmnop' is too long: 16 bytes"));
	assert_int_equal(netd_ifname_check("", "target dev", &err), -EINVAL);
	assert_int_equal(netd_ifname_check(".", "target dev", &err), -EINVAL);
	assert_int_equal(netd_ifname_check("..", "target dev", &err), -EINVAL);
	assert_int_equal(netd_ifname_check("a/b", "target dev", &err), -EINVAL);
	assert_non_null(strstr(err.message, "contains '/'"));
	assert_int_equal(netd_ifname_check("a b", "bridge", &err), -EINVAL);
	assert_non_null(strstr(err.message, "bridge 'a b'"));
	assert_int_equal(netd_ifname_check("a\tb", "target dev", &err), -EINVAL);
	assert_int_equal(netd_ifname_check("a:b", "target dev", &err), -EINVAL);
	assert_int_equal(netd_ifname_check("vnet%d", "target dev", &err), -EINVAL);
}

static void test_host_mac(void **state)
{
	uint8_t g[6], h[6];

	assert_int_equal(netd_mac_parse("52:54:00:12:34:56", g), 0);
	netd_mac_host(g, h);
	assert_memory_equal(h, ((uint8_t[]){ 0xFE, 0x54, 0x00, 0x12, 0x34, 0x56 }), 6);
	assert_int_equal(netd_mac_parse("fe:54:00:12:34:56", g), 0);
	netd_mac_host(g, h);
	assert_int_equal(h[0], 0xFA);
	assert_memory_equal(h + 1, g + 1, 5);
	assert_int_equal(netd_mac_parse("52:54:00:12:34", g), -EINVAL);
	assert_int_equal(netd_mac_parse("52:54:00:12:34:5g", g), -EINVAL);
	assert_int_equal(netd_mac_parse("52:54:00:12:34:56:", g), -EINVAL);
	assert_int_equal(netd_mac_parse("52-54-00-12-34-56", g), -EINVAL);
}

static void test_uuid(void **state)
{
	assert_true(netd_uuid_valid("00000000-0000-4000-8000-000000000001"));
	assert_true(netd_uuid_valid("c7a5fdbd-edaf-9455-926a-d65c16db1809"));
	assert_false(netd_uuid_valid("c7a5fdbd-edaf-9455-926a-d65c16db180"));
	assert_false(netd_uuid_valid("c7a5fdbdXedaf-9455-926a-d65c16db1809"));
	assert_false(netd_uuid_valid("../../../../etc/passwd-aaaaaaaaaaaaa"));
}

static void test_iface_index_limit(void **state)
{
	const char *u = "00000000-0000-4000-8000-000000000001";
	struct sv_error err;

	assert_int_equal(netd_iface_index_check(u, 0, &err), 0);
	assert_int_equal(netd_iface_index_check(u, DOMAIN_MAX_INTERFACES - 1, &err), 0);
	assert_int_equal(netd_iface_index_check(u, DOMAIN_MAX_INTERFACES, &err), -E2BIG);
	assert_string_equal(err.message, "too many interfaces: index 256 of domain "
			    "'00000000-0000-4000-8000-000000000001' is past the limit of 256 per domain");
	assert_int_equal(netd_iface_index_check(u, 9999, &err), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ifname_rules),
		cmocka_unit_test(test_host_mac),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test(test_iface_index_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
