/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netd/firewall-rules.c and netd/ipaddr.c: the nftables text of each forward mode, prefixes
 * and network addresses from libvirt's <ip> forms. The rules themselves run in
 * tests/integration/netd/net-lifecycle.sh. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test-skip.h"

#include "../../netd/firewall.h"
#include "../../netd/ipaddr.h"

static struct network_def *parse(const char *xml)
{
	struct network_def *def = NULL;
	struct sv_error err;

	if (network_def_parse(xml, strlen(xml), 0, &def, &err) < 0)
		fail_msg("%s", err.message);
	return def;
}

static void test_ip_forms(void **state)
{
	struct network_ip ip = { .address = "192.168.122.1", .netmask = "255.255.255.0" };
	struct netd_ip out;
	struct sv_error err;

	assert_int_equal(netd_ip_resolve(&ip, &out, &err), 0);
	assert_int_equal(out.prefix, 24);
	assert_string_equal(out.network, "192.168.122.0");
	ip.netmask = NULL;
	ip.address = "10.1.2.3"; /* no prefix, no netmask: class A */
	assert_int_equal(netd_ip_resolve(&ip, &out, &err), 0);
	assert_int_equal(out.prefix, 8);
	assert_string_equal(out.network, "10.0.0.0");
	ip.address = "172.16.9.1";
	ip.prefix = 20;
	assert_int_equal(netd_ip_resolve(&ip, &out, &err), 0);
	assert_string_equal(out.network, "172.16.0.0");
	ip.prefix = 0;
	ip.netmask = "255.0.255.0";
	assert_int_equal(netd_ip_resolve(&ip, &out, &err), -EINVAL);
	assert_non_null(strstr(err.message, "invalid netmask '255.0.255.0' of address '172.16.9.1'"));
	struct network_ip v6 = { .family = "ipv6", .address = "fd00:1:2::1", .prefix = 48 };
	assert_int_equal(netd_ip_resolve(&v6, &out, &err), 0);
	assert_int_equal(out.family, AF_INET6);
	assert_string_equal(out.network, "fd00:1:2::");
}

static void test_nat_rules(void **state)
{
	_cleanup_network_def_ struct network_def *def = parse(
		"<network><name>default</name><forward mode='nat'/><bridge name='virbr0'/>"
		"<ip address='192.168.122.1' netmask='255.255.255.0'/>"
		"<ip family='ipv6' address='fd00::1' prefix='64'/></network>");
	_cleanup_free_ char *s = NULL, *rm = NULL, *last = NULL;
	struct sv_error err;

	assert_true(netd_forwarding_needed(def));
	assert_int_equal(netd_firewall_rules(def, &s, &err), 0);
	assert_non_null(strstr(s, "add table inet sepvirt\n"));
	assert_non_null(strstr(s, "add chain inet sepvirt fwd-virbr0 { type filter hook forward priority filter; policy accept; }\n"
				  "flush chain inet sepvirt fwd-virbr0\n"));
	assert_non_null(strstr(s, "add rule inet sepvirt nat-virbr0 ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 masquerade\n"));
	assert_non_null(strstr(s, "oifname \"virbr0\" ip daddr 192.168.122.0/24 ct state related,established accept\n"));
	/* IPv6 is routed, never masqueraded */
	assert_non_null(strstr(s, "add rule inet sepvirt fwd-virbr0 oifname \"virbr0\" ip6 daddr fd00::/64 accept\n"));
	assert_null(strstr(s, "ip6 saddr fd00::/64 ip6 daddr"));
	/* the catch-all refusals come last */
	assert_non_null(strstr(s, "iifname \"virbr0\" reject\nadd rule inet sepvirt fwd-virbr0 oifname \"virbr0\" reject\n"));
	rm = netd_firewall_remove_script("virbr0", false);
	assert_string_equal(rm, "add table inet sepvirt\nadd chain inet sepvirt fwd-virbr0\n"
				"delete chain inet sepvirt fwd-virbr0\nadd chain inet sepvirt nat-virbr0\n"
				"delete chain inet sepvirt nat-virbr0\n");
	last = netd_firewall_remove_script("virbr0", true);
	assert_string_equal(last, "add table inet sepvirt\ndelete table inet sepvirt\n");
}

static void test_other_modes(void **state)
{
	_cleanup_network_def_ struct network_def *iso = parse(
		"<network><name>iso</name><bridge name='virbr5'/><ip address='10.0.0.1' prefix='24'/></network>");
	_cleanup_network_def_ struct network_def *route = parse(
		"<network><name>r</name><forward mode='route' dev='eth0'/><bridge name='virbr6'/>"
		"<ip address='10.6.0.1' prefix='24'/></network>");
	_cleanup_network_def_ struct network_def *open = parse(
		"<network><name>o</name><forward mode='open'/><bridge name='virbr7'/></network>");
	_cleanup_network_def_ struct network_def *bad = parse(
		"<network><name>b</name><bridge name='9br'/></network>");
	_cleanup_free_ char *s = NULL, *r = NULL, *o = NULL, *b = NULL;
	struct sv_error err;

	assert_false(netd_forwarding_needed(iso));
	assert_int_equal(netd_firewall_rules(iso, &s, &err), 0);
	assert_null(strstr(s, "10.0.0.0")); /* nothing in or out of the subnet */
	assert_non_null(strstr(s, "iifname \"virbr5\" oifname \"virbr5\" accept\n"));
	assert_int_equal(netd_firewall_rules(route, &r, &err), 0);
	assert_non_null(strstr(r, "fwd-virbr6 iifname \"eth0\" oifname \"virbr6\" ip daddr 10.6.0.0/24 accept\n"));
	assert_non_null(strstr(r, "fwd-virbr6 iifname \"virbr6\" oifname \"eth0\" ip saddr 10.6.0.0/24 accept\n"));
	assert_null(strstr(r, "masquerade"));
	assert_int_equal(netd_firewall_rules(open, &o, &err), 0);
	assert_null(o);
	assert_int_equal(netd_firewall_rules(bad, &b, &err), -EINVAL);
	assert_non_null(strstr(err.message, "bridge name '9br' cannot name its firewall chains"));
}

static void test_foreign_drop(void **state)
{
	const char *docker = "table ip filter {\n\tchain DOCKER {\n\t}\n"
			     "\tchain FORWARD {\n\t\ttype filter hook forward priority filter; policy drop;\n"
			     "\t\tcounter packets 0 bytes 0 jump DOCKER-USER\n\t}\n}\n"
			     "table inet sepvirt {\n\tchain fwd-virbr0 {\n"
			     "\t\ttype filter hook forward priority filter; policy accept;\n\t}\n}\n";
	const char *ours_only = "table inet sepvirt {\n\tchain x {\n"
				"\t\ttype filter hook forward priority filter; policy drop;\n\t}\n}\n";
	const char *accepts = "table inet fw {\n\tchain fwd {\n"
			      "\t\ttype filter hook forward priority filter; policy drop;\n"
			      "\t\tiifname \"virbr0\" accept\n\t}\n}\n";
	const char *bridge_family = "table bridge b {\n\tchain f {\n"
				    "\t\ttype filter hook forward priority filter; policy drop;\n\t}\n}\n";
	_cleanup_free_ char *what = NULL;
	char *none = NULL;

	assert_true(netd_firewall_find_drop(docker, "virbr0", &what));
	assert_string_equal(what, "chain FORWARD of table ip filter has policy drop");
	assert_false(netd_firewall_find_drop(ours_only, "virbr0", &none));
	assert_false(netd_firewall_find_drop(accepts, "virbr0", &none));
	assert_false(netd_firewall_find_drop(bridge_family, "virbr0", &none));
	assert_null(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_forms),
		cmocka_unit_test(test_nat_rules),
		cmocka_unit_test(test_other_modes),
		cmocka_unit_test(test_foreign_drop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
