# SPDX-License-Identifier: LGPL-2.1-or-later
# lxcd integration tests (include from tests/local.mk): the real suite, real namespaces, a
# busybox-static rootfs built at test time. They need root and skip (77) otherwise.
LXCD_TESTS = \
	tests/integration/lxcd/lxc-lifecycle.sh \
	tests/integration/lxcd/lxc-restart-freeze.sh \
	tests/integration/lxcd/lxc-isolation.sh \
	tests/integration/lxcd/lxc-veth.sh \
	tests/integration/lxcd/lxc-libvirt-inputs.sh \
	tests/integration/lxcd/lxc-events.sh \
	tests/integration/lxcd/lxc-console.sh \
	tests/integration/lxcd/lxc-slow-netd.sh
TESTS += $(LXCD_TESTS)
dist_noinst_SCRIPTS += $(LXCD_TESTS)
dist_noinst_DATA += tests/integration/lxcd/lib.sh
