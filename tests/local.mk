# Tests: cmocka unit tests of libshared, then integration tests that run the real suite.
TEST_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(SECCOMP_CFLAGS) $(CAPNG_CFLAGS)
TEST_LIBS = $(SHARED_LIBS) $(CMOCKA_LIBS)

UNIT_TESTS = \
	tests/unit/test-frame \
	tests/unit/test-conn \
	tests/unit/test-server \
	tests/unit/test-sandbox \
	tests/unit/test-paths \
	tests/unit/test-settings \
	tests/unit/test-domain-store
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

tests_unit_test_frame_SOURCES = tests/unit/test-frame.c
tests_unit_test_frame_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_frame_LDADD = $(TEST_LIBS)
tests_unit_test_conn_SOURCES = tests/unit/test-conn.c
tests_unit_test_conn_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_conn_LDADD = $(TEST_LIBS)
tests_unit_test_server_SOURCES = tests/unit/test-server.c
tests_unit_test_server_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_server_LDADD = $(TEST_LIBS)
tests_unit_test_settings_SOURCES = tests/unit/test-settings.c
tests_unit_test_settings_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_settings_LDADD = $(TEST_LIBS)
tests_unit_test_paths_SOURCES = tests/unit/test-paths.c
tests_unit_test_paths_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_paths_LDADD = $(TEST_LIBS)
tests_unit_test_domain_store_SOURCES = tests/unit/test-domain-store.c
tests_unit_test_domain_store_CPPFLAGS = $(TEST_CPPFLAGS) $(LIBXML2_CFLAGS)
tests_unit_test_domain_store_LDADD = $(TEST_LIBS)
# The five daemons' tables, checked as data and applied in forked children.
tests_unit_test_sandbox_SOURCES = tests/unit/test-sandbox.c \
	proxyd/sandbox.c qemud/sandbox.c lxcd/sandbox.c netd/sandbox.c storaged/sandbox.c
tests_unit_test_sandbox_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_sandbox_LDADD = $(TEST_LIBS)

# A raw protocol client for the integration tests.
check_PROGRAMS += tests/tools/sv-probe
tests_tools_sv_probe_SOURCES = tests/tools/sv-probe.c
tests_tools_sv_probe_LDADD = $(SHARED_LIBS)

# The suite itself (foundation): needs root; skips (77) otherwise.
SUITE_TESTS = \
	tests/integration/suite/suite-up.sh \
	tests/integration/suite/readonly.sh \
	tests/integration/suite/bad-frames.sh \
	tests/integration/suite/concurrency.sh \
	tests/integration/suite/driver-restart.sh \
	tests/integration/suite/supervisor.sh \
	tests/integration/suite/supervisor-kill.sh \
	tests/integration/suite/validate.sh \
	tests/integration/suite/ssh-transport.sh \
	tests/integration/suite/nodeinfo.sh \
	tests/integration/suite/roles.sh \
	tests/integration/suite/settings.sh \
	tests/integration/suite/limits.sh \
	tests/integration/suite/libvirt-clients.sh
TESTS += $(SUITE_TESTS)
dist_noinst_SCRIPTS += $(SUITE_TESTS)
dist_noinst_DATA += tests/integration/lib/suite.sh \
	tests/integration/suite/libvirt-python.py tests/integration/suite/libvirt-frames.py

include tests/integration/guest/local.mk
include tests/qemuxml2argv/local.mk
include tests/integration/qemud/local.mk

# --- netd tests ---
include tests/integration/netd/local.mk
include tests/integration/storaged/local.mk
include tests/integration/lxcd/local.mk
