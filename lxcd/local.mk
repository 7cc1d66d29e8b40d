# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirt-lxcd
sbin_PROGRAMS += sepvirt-lxcd
sepvirt_lxcd_SOURCES = \
	lxcd/main.c lxcd/lxcd.h \
	lxcd/sandbox.c \
	lxcd/dispatch.c \
	lxcd/handlers.h lxcd/handlers-define.c lxcd/handlers-control.c \
	lxcd/lifecycle.c lxcd/lifecycle.h \
	lxcd/launch.c lxcd/launch.h \
	lxcd/netd-call.c lxcd/netd-call.h \
	lxcd/spawner.c lxcd/spawner.h \
	lxcd/container.c lxcd/container.h \
	lxcd/console.c lxcd/console.h \
	lxcd/cgroup.c lxcd/cgroup.h \
	lxcd/proc-stat.c lxcd/proc-stat.h
sepvirt_lxcd_CFLAGS = $(AM_CFLAGS) $(CAPNG_CFLAGS) $(SECCOMP_CFLAGS) $(LIBXML2_CFLAGS)
sepvirt_lxcd_LDADD = $(SHARED_LIBS) $(CAPNG_LIBS)
