# SPDX-License-Identifier: LGPL-2.1-or-later
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
	tests/integration/suite/client-deadline.sh \
	tests/integration/suite/driver-restart.sh \
	tests/integration/suite/supervisor.sh \
	tests/integration/suite/supervisor-kill.sh \
	tests/integration/suite/validate.sh \
	tests/integration/suite/ssh-transport.sh \
	tests/integration/suite/nodeinfo.sh \
	tests/integration/suite/roles.sh \
	tests/integration/suite/settings.sh \
	tests/integration/suite/log-output.sh \
	tests/integration/suite/limits.sh \
	tests/integration/suite/stale-tmp.sh \
	tests/integration/suite/unreachable-root.sh \
	tests/integration/suite/crash-consistency.sh \
	tests/integration/suite/libvirt-clients.sh \
	tests/integration/suite/libvirt-streams.sh \
	tests/integration/suite/virsh-parity.sh \
	tests/integration/suite/shell.sh
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

# The man pages and data/sepvirt.conf document every command, option and key (no root needed).
check_PROGRAMS += tests/unit/test-docs
TESTS += tests/unit/test-docs tests/docs/man-commands.sh
dist_noinst_SCRIPTS += tests/docs/man-commands.sh
tests_unit_test_docs_SOURCES = tests/unit/test-docs.c
tests_unit_test_docs_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_docs_LDADD = $(TEST_LIBS)
# The installed units pass systemd-analyze verify (skips without it).
TESTS += tests/docs/systemd-verify.sh
dist_noinst_SCRIPTS += tests/docs/systemd-verify.sh
# Bash completion against a running suite.
TESTS += tests/integration/suite/completion.sh
dist_noinst_SCRIPTS += tests/integration/suite/completion.sh
# Every unit test reports a cmocka skip as SKIP (77).
TESTS += tests/unit/skips-reported.sh
dist_noinst_SCRIPTS += tests/unit/skips-reported.sh
EXTRA_DIST += tests/unit/test-skip.h

# Parsers that face untrusted bytes: malformed, truncated and oversized input.
PARSER_TESTS = tests/unit/test-xml-storage
check_PROGRAMS += $(PARSER_TESTS)
TESTS += $(PARSER_TESTS)
tests_unit_test_xml_storage_SOURCES = tests/unit/test-xml-storage.c
tests_unit_test_xml_storage_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_xml_storage_LDADD = $(TEST_LIBS)
PARSER_TESTS += tests/unit/test-qcow2-probe
check_PROGRAMS += tests/unit/test-qcow2-probe
TESTS += tests/unit/test-qcow2-probe
tests_unit_test_qcow2_probe_SOURCES = tests/unit/test-qcow2-probe.c storaged/storaged_qcow2.c
tests_unit_test_qcow2_probe_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/storaged
tests_unit_test_qcow2_probe_LDADD = $(TEST_LIBS)
PARSER_TESTS += tests/unit/test-lxcd-launch
check_PROGRAMS += tests/unit/test-lxcd-launch
TESTS += tests/unit/test-lxcd-launch
tests_unit_test_lxcd_launch_SOURCES = tests/unit/test-lxcd-launch.c lxcd/launch.c
tests_unit_test_lxcd_launch_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/lxcd
tests_unit_test_lxcd_launch_LDADD = $(TEST_LIBS)
PARSER_TESTS += tests/unit/test-netd-journal
check_PROGRAMS += tests/unit/test-netd-journal
TESTS += tests/unit/test-netd-journal
tests_unit_test_netd_journal_SOURCES = tests/unit/test-netd-journal.c netd/state.c netd/ifname.c
tests_unit_test_netd_journal_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/netd
tests_unit_test_netd_journal_LDADD = $(TEST_LIBS)

# Every source file names its licence (SPDX header).
TESTS += tests/spdx-headers.sh
dist_noinst_SCRIPTS += tests/spdx-headers.sh
