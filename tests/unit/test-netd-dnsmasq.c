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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_network),
		cmocka_unit_test(test_v6_static_and_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
