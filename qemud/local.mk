# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirt-qemud
sbin_PROGRAMS += sepvirt-qemud
sepvirt_qemud_SOURCES = \
	qemud/main.c qemud/qemud.h \
	qemud/sandbox.c \
	qemud/dispatch.c qemud/handlers.h \
	qemud/handlers-define.c qemud/handlers-query.c qemud/handlers-control.c qemud/console.c \
	qemud/stats.c qemud/stats-host.c qemud/stats-host.h qemud/resize.c qemud/resize.h qemud/agent.c \
	qemud/argv.c qemud/argv-clock.c qemud/argv-pci.c qemud/argv-controller.c qemud/argv-hw.c qemud/argv-display.c qemud/argv-memory.c qemud/argv-misc.c qemud/argv.h \
	qemud/firmware.c qemud/firmware.h \
	qemud/qmp.c qemud/qmp.h \
	qemud/spawner.c qemud/spawner.h qemud/spawner-priv.h qemud/spawner-call.c \
	qemud/spawner-wire.c qemud/spawner-wire.h qemud/images.c qemud/images.h \
	qemud/run.c qemud/run.h qemud/job.h \
	qemud/lifecycle.c qemud/lifecycle.h qemud/events.c qemud/events.h \
	qemud/hotplug.c qemud/hotplug-def.c qemud/hotplug.h \
	qemud/save.c qemud/save-image.c qemud/save-image.h \
	qemud/snapshot.c qemud/snapshot-meta.c qemud/snapshot-meta.h \
	qemud/netd-call.c qemud/netd-call.h \
	qemud/storage-call.c qemud/storage-call.h
sepvirt_qemud_CFLAGS = $(AM_CFLAGS) $(JSON_C_CFLAGS) $(SECCOMP_CFLAGS)
sepvirt_qemud_LDADD = $(SHARED_LIBS) $(JSON_C_LIBS)
