# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirt-proxyd
sbin_PROGRAMS += sepvirt-proxyd
sepvirt_proxyd_SOURCES = proxyd/main.c $(PROXYD_CORE)
PROXYD_CORE = \
	proxyd/proxyd.h \
	proxyd/sandbox.c \
	proxyd/route.c \
	proxyd/pending.c proxyd/pending.h \
	proxyd/clients.c \
	proxyd/limits.c \
	proxyd/events.c \
	proxyd/libvirt.h proxyd/libvirt-session.c proxyd/libvirt-procs.c proxyd/libvirt-caps.c proxyd/libvirt-storage.c proxyd/libvirt-network.c proxyd/libvirt-stream.c
nodist_sepvirt_proxyd_SOURCES = proxyd/libvirt_protocol.h
sepvirt_proxyd_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/proxyd
sepvirt_proxyd_CFLAGS = $(AM_CFLAGS) $(TIRPC_CFLAGS)
sepvirt_proxyd_LDADD = proxyd/libvirt-protocol.la $(SHARED_LIBS) $(TIRPC_LIBS)

# libvirt's remote protocol: rpcgen turns our XDR description into libtirpc calls. Its output is
# compiled apart, without our warnings (it is generated code).
noinst_LTLIBRARIES += proxyd/libvirt-protocol.la
nodist_proxyd_libvirt_protocol_la_SOURCES = proxyd/libvirt_protocol-xdr.c proxyd/libvirt_protocol.h
proxyd_libvirt_protocol_la_CPPFLAGS = -I$(top_builddir)
proxyd_libvirt_protocol_la_CFLAGS = $(SANITIZER_CFLAGS) $(TIRPC_CFLAGS) -w
BUILT_SOURCES += proxyd/libvirt_protocol.h proxyd/libvirt_protocol-xdr.c
CLEANFILES += proxyd/libvirt_protocol.h proxyd/libvirt_protocol-xdr.c
EXTRA_DIST += proxyd/libvirt_protocol.x
proxyd/libvirt_protocol.h: $(srcdir)/proxyd/libvirt_protocol.x
	$(AM_V_GEN)$(MKDIR_P) proxyd && rm -f $@ && $(RPCGEN) -h -o $@ $(srcdir)/proxyd/libvirt_protocol.x
proxyd/libvirt_protocol-xdr.c: $(srcdir)/proxyd/libvirt_protocol.x proxyd/libvirt_protocol.h
	$(AM_V_GEN)$(MKDIR_P) proxyd && rm -f $@ && \
	$(RPCGEN) -c $(srcdir)/proxyd/libvirt_protocol.x | sed 's|^#include ".*libvirt_protocol.h"|#include "proxyd/libvirt_protocol.h"|' > $@

if ENABLE_FUZZ
# libFuzzer target for the decoder of libvirt's protocol (tests/fuzz/README.md):
#   tests/fuzz/fuzz-libvirt-xdr CORPUS_DIR $(srcdir)/tests/fuzz/corpus/libvirt-xdr
noinst_PROGRAMS += tests/fuzz/fuzz-libvirt-xdr
tests_fuzz_fuzz_libvirt_xdr_SOURCES = tests/fuzz/fuzz-libvirt-xdr.c $(PROXYD_CORE)
nodist_tests_fuzz_fuzz_libvirt_xdr_SOURCES = proxyd/libvirt_protocol.h
tests_fuzz_fuzz_libvirt_xdr_CPPFLAGS = $(sepvirt_proxyd_CPPFLAGS) -I$(top_srcdir)/proxyd
tests_fuzz_fuzz_libvirt_xdr_CFLAGS = $(sepvirt_proxyd_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_libvirt_xdr_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_libvirt_xdr_LDADD = $(sepvirt_proxyd_LDADD)
else
EXTRA_DIST += tests/fuzz/fuzz-libvirt-xdr.c
endif
EXTRA_DIST += tests/fuzz/corpus/libvirt-xdr
