# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirt-storaged integration tests: the real suite; they need root and skip (77) otherwise.
check_PROGRAMS += tests/integration/storaged/storaged-probe
tests_integration_storaged_storaged_probe_SOURCES = tests/integration/storaged/storaged-probe.c
tests_integration_storaged_storaged_probe_LDADD = $(SHARED_LIBS)

STORAGED_TESTS = \
	tests/integration/storaged/pool-lifecycle.sh \
	tests/integration/storaged/vol-lifecycle.sh \
	tests/integration/storaged/vol-bad-input.sh \
	tests/integration/storaged/vol-upload.sh \
	tests/integration/storaged/vol-upload-kill.sh \
	tests/integration/storaged/vol-open.sh \
	tests/integration/storaged/libvirt-inputs.sh \
	tests/integration/storaged/vol-setuid.sh \
	tests/integration/storaged/pool-build-takeover.sh \
	tests/integration/storaged/vol-data-file.sh \
	tests/integration/storaged/pool-build-access.sh
TESTS += $(STORAGED_TESTS)
dist_noinst_SCRIPTS += $(STORAGED_TESTS)
dist_noinst_DATA += tests/integration/storaged/lib.sh
