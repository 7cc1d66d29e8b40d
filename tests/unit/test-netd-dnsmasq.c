/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netd/dnsmasq-conf.c: dnsmasq's configuration from a network's XML (ranges, static hosts,
 * IPv6, leases), and what it refuses to write. dnsmasq itself runs in
 * tests/integration/netd/net-dhcp.sh. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test-skip.h"

#include "../../netd/dnsmasq-conf.h"
#include "../../netd/leases.h"

static struct network_def *parse(const char *xml)
{
	struct network_def *def = NULL;
	struct sv_error err;

	if (network_def_parse(xml, strlen(xml), 0, &def, &err) < 0)
		fail_msg("%s", err.message);
	return def;
}

static void test_default_network(void **state)
{
	_cleanup_network_def_ struct network_def *def = parse(
		"<network><name>default</name><forward mode='nat'/><bridge name='virbr0'/>"
		"<ip address='192.168.122.1' netmask='255.255.255.0'><dhcp>"
		"<range start='192.168.122.2' end='192.168.122.254'/>"
		"<host mac='52:54:00:00:00:05' name='web' ip='192.168.122.5'/>"
		"<host mac='52:54:00:00:00:06' ip='192.168.122.6'/>"
		"</dhcp></ip></network>");
	_cleanup_free_ char *s = NULL;
	struct sv_error err;

	assert_true(netd_dnsmasq_needed(def));
	assert_int_equal(netd_dnsmasq_conf(def, "/run/x/netd", "dnsmasq", &s, &err), 0);
	assert_string_equal(s,
		"# sepvirt-netd: network 'default'; generated at each start, edits are lost\n"
		"strict-order\n"
		"user=dnsmasq\n"
		"pid-file=/run/x/netd/dnsmasq-default.pid\n"
		"except-interface=lo\n"
		"bind-dynamic\n"
		"interface=virbr0\n"
		"dhcp-range=192.168.122.2,192.168.122.254,255.255.255.0\n"
		"dhcp-host=52:54:00:00:00:05,192.168.122.5,web\n"
		"dhcp-host=52:54:00:00:00:06,192.168.122.6\n"
		"dhcp-no-override\n"
		"dhcp-authoritative\n"
		"dhcp-lease-max=255\n"
		"dhcp-leasefile=/run/x/netd/dnsmasq-default.leases\n");
}

static void test_v6_static_and_none(void **state)
{
	_cleanup_network_def_ struct network_def *v6 = parse(
		"<network><name>six</name><bridge name='virbr3'/>"
		"<ip address='10.3.0.1' prefix='24'><dhcp><host mac='52:54:00:00:00:07' ip='10.3.0.7'/></dhcp></ip>"
		"<ip family='ipv6' address='fd00:3::1' prefix='64'><dhcp>"
		"<range start='fd00:3::10' end='fd00:3::ff'/><host id='0:3:0:1:0:16:3e:11:22:33' name='h6' ip='fd00:3::7'/>"
		"</dhcp></ip></network>");
	_cleanup_network_def_ struct network_def *noip = parse(
		"<network><name>n</name><bridge name='virbr4'/></network>");
	_cleanup_network_def_ struct network_def *host = parse(
		"<network><name>h</name><forward mode='bridge'/><bridge name='br0'/></network>");
	_cleanup_free_ char *s = NULL;
	struct sv_error err;

	assert_int_equal(netd_dnsmasq_conf(v6, "/d", "u", &s, &err), 0);
	/* static hosts alone: a static range of their subnet */
	assert_non_null(strstr(s, "dhcp-range=10.3.0.0,static\ndhcp-host=52:54:00:00:00:07,10.3.0.7\n"));
	assert_non_null(strstr(s, "dhcp-range=fd00:3::10,fd00:3::ff,64\n"));
	assert_non_null(strstr(s, "dhcp-host=id:0:3:0:1:0:16:3e:11:22:33,[fd00:3::7],h6\n"));
	assert_non_null(strstr(s, "enable-ra\n"));
	assert_false(netd_dnsmasq_needed(noip));
	assert_false(netd_dnsmasq_needed(host));
}

static void test_domain_and_dns_hosts(void **state)
{
	_cleanup_network_def_ struct network_def *def = parse(
		"<network><name>d</name><bridge name='virbr6'/><domain name='example.org' localOnly='yes'/>"
		"<dns forwardPlainNames='no'><host ip='10.6.0.7'><hostname>db</hostname><hostname>db1</hostname></host>"
		"<host ip='fd00:6::7'><hostname>db</hostname></host></dns>"
		"<ip address='10.6.0.1' prefix='24'/></network>");
	_cleanup_network_def_ struct network_def *off = parse(
		"<network><name>o</name><bridge name='virbr7'/><dns enable='no'/><ip address='10.7.0.1' prefix='24'/></network>");
	_cleanup_free_ char *s = NULL, *o = NULL;
	struct sv_error err;

	assert_int_equal(netd_dnsmasq_conf(def, "/d", "u", &s, &err), 0);
	assert_non_null(strstr(s, "interface=virbr6\ndomain-needed\ndomain=example.org\nexpand-hosts\nlocal=/example.org/\n"
				  "host-record=db,db.example.org,db1,db1.example.org,10.6.0.7\n"
				  "host-record=db,db.example.org,fd00:6::7\n"));
	/* no range, no host: no DHCP at all, DNS only */
	assert_null(strstr(s, "dhcp-"));
	assert_int_equal(netd_dnsmasq_conf(off, "/d", "u", &o, &err), 0);
	assert_non_null(strstr(o, "\nport=0\n"));
}

/* dnsmasq's leases file: IPv4 lines, the duid line, IPv6 lines, "*" for none, damage skipped. */
static void test_leases(void **state)
{
	_cleanup_network_def_ struct network_def *def = parse(
		"<network><name>l</name><bridge name='virbr2'/><ip address='10.2.0.1' prefix='24'/>"
		"<ip family='ipv6' address='fd00:2::1' prefix='64'/></network>");
	const char *text = "1764650000 52:54:00:aa:00:01 10.2.0.101 guest1 01:52:54:00:aa:00:01\n"
			   "0 52:54:00:aa:00:02 10.2.0.102 * *\n"
			   "garbage line\n"
			   "1764650000 52:54:00:aa:00:03 10.2.0.300 x *\n"
			   "duid 00:01:00:01:2c:00:00:00:52:54:00:00:00:01\n"
			   "1764650001 1234 fd00:2::42 g6 00:03:00:01:52:54:00:aa:00:04\n";
	_cleanup_free_ struct netd_lease *all = NULL, *one = NULL;
	size_t n = netd_leases_parse(text, def, NULL, &all);

	assert_int_equal(n, 3);
	assert_int_equal(all[0].expiry, 1764650000);
	assert_string_equal(all[0].mac, "52:54:00:aa:00:01");
	assert_string_equal(all[0].address, "10.2.0.101");
	assert_int_equal(all[0].prefix, 24);
	assert_string_equal(all[0].hostname, "guest1");
	assert_string_equal(all[0].client_id, "01:52:54:00:aa:00:01");
	assert_string_equal(all[1].hostname, "");
	assert_string_equal(all[1].client_id, "");
	assert_true(all[2].ipv6);
	assert_string_equal(all[2].mac, "");
	assert_int_equal(all[2].prefix, 64);
	assert_string_equal(all[2].client_id, "00:03:00:01:52:54:00:aa:00:04");
	assert_int_equal(netd_leases_parse(text, def, "52:54:00:AA:00:02", &one), 1);
	assert_string_equal(one[0].address, "10.2.0.102");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_network),
		cmocka_unit_test(test_v6_static_and_none),
		cmocka_unit_test(test_leases),
		cmocka_unit_test(test_domain_and_dns_hosts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
