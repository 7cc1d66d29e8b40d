# SPDX-License-Identifier: LGPL-2.1-or-later
# libsepvirt: the public C API, with versioned symbols.
lib_LTLIBRARIES += client/libsepvirt.la
client_libsepvirt_la_SOURCES = client/conn.c client/domain.c client/save.c client/snapshot.c client/events.c client/storage.c client/network.c client/stats.c \
	client/libsepvirt-priv.h
client_libsepvirt_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/client/include
client_libsepvirt_la_LIBADD = libshared/libshared.la $(PROTOBUF_C_LIBS) $(SECCOMP_LIBS) $(CAPNG_LIBS) $(LIBXML2_LIBS)
client_libsepvirt_la_LDFLAGS = $(AM_LDFLAGS) -version-info 1:0:1 \
	-Wl,--version-script=$(top_srcdir)/client/libsepvirt.sym
EXTRA_client_libsepvirt_la_DEPENDENCIES = client/libsepvirt.sym
sepvirtincludedir = $(includedir)/sepvirt
sepvirtinclude_HEADERS = client/include/sepvirt/sepvirt.h
pkgconfigdir = $(libdir)/pkgconfig
pkgconfig_DATA = client/sepvirt.pc
EXTRA_DIST += client/libsepvirt.sym client/sepvirt.pc.in
