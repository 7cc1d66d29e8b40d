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
	tests/integration/netd/session.sh
TESTS += $(NETD_TESTS)
dist_noinst_SCRIPTS += $(NETD_TESTS) bench/tap/bench-tap.sh
dist_noinst_DATA += tests/integration/netd/lib.sh
