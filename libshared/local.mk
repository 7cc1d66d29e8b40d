# SPDX-License-Identifier: LGPL-2.1-or-later
# libshared: what two or more processes use.
noinst_LTLIBRARIES += libshared/libshared.la
libshared_libshared_la_SOURCES = \
	libshared/util.c libshared/util.h \
	libshared/error.c libshared/error.h \
	libshared/log.c libshared/log.h \
	libshared/paths.c libshared/paths.h \
	libshared/evloop.c libshared/evloop.h \
	libshared/frame.c libshared/frame.h \
	libshared/conn.c libshared/conn.h \
	libshared/client.c libshared/client.h \
	libshared/server.c libshared/server.h \
	libshared/procs.c libshared/proc-api.c libshared/procs.h \
	libshared/identity.c libshared/identity.h \
	libshared/settings.c libshared/settings.h \
	libshared/sandbox.c libshared/sandbox-groups.c libshared/sandbox.h \
	libshared/sandbox-landlock.c \
	libshared/daemon.c libshared/daemon.h \
	libshared/instance.c libshared/instance.h \
	libshared/domain-state.c libshared/domain-state.h \
	libshared/domain-event.c libshared/domain-event.h \
	libshared/node-info.c libshared/node-info.h \
	libshared/command.c libshared/command.h \
	libshared/spawn-detached.c libshared/spawn-detached.h \
	libshared/atomic-file.c libshared/atomic-file.h libshared/group-commit.c libshared/group-commit.h \
	libshared/netd-client.c libshared/netd-client.h \
	libshared/caller.c libshared/caller.h \
	libshared/domain-job.c libshared/domain-job.h \
	libshared/domain-store.c libshared/domain-store.h \
	libshared/domain-handlers.c libshared/domain-handlers.h
nodist_libshared_libshared_la_SOURCES = libshared/sepvirt.pb-c.c libshared/sepvirt.pb-c.h
libshared_libshared_la_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS) $(CAPNG_CFLAGS)
libshared_libshared_la_LIBADD = $(PROTOBUF_C_LIBS) $(SECCOMP_LIBS) $(CAPNG_LIBS) $(LIBXML2_LIBS)
EXTRA_DIST += libshared/sepvirt.proto
BUILT_SOURCES += libshared/sepvirt.pb-c.c libshared/sepvirt.pb-c.h
CLEANFILES += libshared/sepvirt.pb-c.c libshared/sepvirt.pb-c.h

# The one .proto, compiled by protoc-c during the build.
libshared/sepvirt.pb-c.c libshared/sepvirt.pb-c.h: $(top_srcdir)/libshared/sepvirt.proto
	$(AM_V_GEN)$(MKDIR_P) libshared && \
	$(PROTOC_C) --proto_path=$(top_srcdir)/libshared --c_out=libshared $(top_srcdir)/libshared/sepvirt.proto

include libshared/xml/local.mk
