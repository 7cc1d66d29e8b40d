# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirt-storaged
sbin_PROGRAMS += sepvirt-storaged
sepvirt_storaged_SOURCES = \
	storaged/main.c storaged/storaged.h \
	storaged/sandbox.c \
	storaged/dispatch.c \
	storaged/storaged_handlers.h \
	storaged/storaged_handlers_pool.c \
	storaged/storaged_handlers_vol.c \
	storaged/storaged_pool.c storaged/storaged_pool.h \
	storaged/storaged_volume.c storaged/storaged_volume.h \
	storaged/storaged_qcow2.c storaged/storaged_qcow2.h \
	storaged/storaged_copy.c storaged/storaged_copy.h \
	storaged/storaged_upload.c storaged/storaged_upload.h \
	storaged/policy.c storaged/policy.h \
	storaged/storaged_open.c
sepvirt_storaged_LDADD = $(SHARED_LIBS)
