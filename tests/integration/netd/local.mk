# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirt-netd integration tests: the real suite in a private network namespace.
# They need root (and skip with 77 otherwise).
check_PROGRAMS += tests/integration/netd/netd-client
tests_integration_netd_netd_client_SOURCES = tests/integration/netd/netd-client.c
tests_integration_netd_netd_client_LDADD = $(SHARED_LIBS)

NETD_TESTS = \
	tests/integration/netd/managed.sh \
	tests/integration/netd/unmanaged.sh \
	tests/integration/netd/conflict.sh \
	tests/integration/netd/restart.sh \
	tests/integration/netd/privilege.sh \
	tests/integration/netd/session.sh \
	tests/integration/netd/vanished.sh \
	tests/integration/netd/net-lifecycle.sh \
	tests/integration/netd/net-libvirt.sh \
	tests/integration/netd/net-guest.sh \
	tests/integration/netd/net-dhcp.sh \
	tests/integration/netd/net-guest-dhcp.sh \
	tests/integration/netd/net-foreign-drop.sh \
	tests/integration/netd/net-container.sh \
	tests/integration/netd/net-isolated.sh
TESTS += $(NETD_TESTS)
dist_noinst_SCRIPTS += $(NETD_TESTS) bench/tap/bench-tap.sh
dist_noinst_DATA += tests/integration/netd/lib.sh

# netd's name, MAC and UUID rules (cmocka).
check_PROGRAMS += tests/unit/test-netd-ifname
TESTS += tests/unit/test-netd-ifname
tests_unit_test_netd_ifname_SOURCES = tests/unit/test-netd-ifname.c netd/ifname.c
tests_unit_test_netd_ifname_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_netd_ifname_LDADD = $(SHARED_LIBS) $(CMOCKA_LIBS)

# netd's nftables rule text and <ip> prefixes (cmocka).
check_PROGRAMS += tests/unit/test-netd-firewall
TESTS += tests/unit/test-netd-firewall
tests_unit_test_netd_firewall_SOURCES = tests/unit/test-netd-firewall.c netd/firewall-rules.c netd/ipaddr.c netd/text.c
tests_unit_test_netd_firewall_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_netd_firewall_LDADD = $(SHARED_LIBS) $(CMOCKA_LIBS)

# dnsmasq's configuration of a network and its leases file (cmocka).
check_PROGRAMS += tests/unit/test-netd-dnsmasq
TESTS += tests/unit/test-netd-dnsmasq
tests_unit_test_netd_dnsmasq_SOURCES = tests/unit/test-netd-dnsmasq.c netd/dnsmasq-conf.c netd/ipaddr.c netd/text.c netd/leases.c
tests_unit_test_netd_dnsmasq_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_netd_dnsmasq_LDADD = $(SHARED_LIBS) $(CMOCKA_LIBS)
