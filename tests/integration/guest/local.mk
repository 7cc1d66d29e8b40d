# SPDX-License-Identifier: LGPL-2.1-or-later
# Test guest + plain-QEMU smoke tests (include from tests/local.mk).
# They need root (netns, taps) and skip (77) otherwise.
TESTS += \
	tests/integration/guest/boot-smoke.sh \
	tests/integration/guest/boot-smoke-unpriv.sh
dist_noinst_SCRIPTS += \
	tests/integration/guest/mkguest.sh \
	tests/integration/guest/mkagent.sh \
	tests/integration/guest/boot-smoke.sh \
	tests/integration/guest/boot-smoke-unpriv.sh
dist_noinst_DATA += \
	tests/integration/guest/init \
	tests/integration/lib/common.sh
