# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirt-qemud end to end: the real suite, real QEMU (TCG) guests, real taps, each test in
# a private network namespace. Needs root; skips (77) otherwise.
QEMUD_TESTS = \
	tests/integration/qemud/ping-unmanaged.sh \
	tests/integration/qemud/ping-managed.sh \
	tests/integration/qemud/lifecycle.sh \
	tests/integration/qemud/restart.sh \
	tests/integration/qemud/session.sh \
	tests/integration/qemud/volume-disk.sh \
	tests/integration/qemud/console.sh \
	tests/integration/qemud/separation.sh \
	tests/integration/qemud/wedged.sh \
	tests/integration/qemud/concurrent-start.sh \
	tests/integration/qemud/killed-midway.sh \
	tests/integration/qemud/list-filters.sh \
	tests/integration/qemud/edit-domxml.sh \
	tests/integration/qemud/slow-daemons.sh \
	tests/integration/qemud/destroy-stuck.sh \
	tests/integration/qemud/orphan-sweep.sh \
	tests/integration/qemud/start-paused-reset.sh \
	tests/integration/qemud/events-other.sh \
	tests/integration/qemud/devices.sh \
	tests/integration/qemud/argv-qtree.sh \
	tests/integration/qemud/virt-install.sh \
	tests/integration/qemud/virt-install-real.sh \
	tests/integration/qemud/stats.sh \
	tests/integration/qemud/uefi.sh \
	tests/integration/qemud/hotplug.sh \
	tests/integration/qemud/save-restore.sh \
	tests/integration/qemud/snapshot.sh \
	tests/integration/qemud/resize.sh \
	tests/integration/qemud/undefine-storage.sh \
	tests/integration/qemud/agent.sh \
	tests/integration/qemud/autodestroy.sh
TESTS += $(QEMUD_TESTS)
dist_noinst_SCRIPTS += $(QEMUD_TESTS)
dist_noinst_DATA += tests/integration/qemud/lib.sh
