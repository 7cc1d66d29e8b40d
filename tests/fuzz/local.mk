# SPDX-License-Identifier: LGPL-2.1-or-later
# libFuzzer targets for every parser that faces untrusted bytes (./configure --enable-fuzz
# CC=clang; the library is instrumented too). scripts/fuzz.sh runs each for a bounded time on its
# seed corpus (tests/fuzz/corpus/TARGET, and tests/xml/MODEL for the XML models).
FUZZ_TARGETS = tests/fuzz/fuzz-domain tests/fuzz/fuzz-network tests/fuzz/fuzz-pool \
	tests/fuzz/fuzz-volume tests/fuzz/fuzz-frame tests/fuzz/fuzz-qcow2 tests/fuzz/fuzz-launch \
	tests/fuzz/fuzz-journal
EXTRA_DIST += tests/fuzz/README.md tests/fuzz/corpus tests/fuzz/fuzz-xml-model.h
if ENABLE_FUZZ
noinst_PROGRAMS += $(FUZZ_TARGETS)
SV_FUZZ_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
SV_FUZZ_LINK = $(AM_LDFLAGS) -fsanitize=fuzzer
SV_FUZZ_LIBS = libshared/libshared.la $(PROTOBUF_C_LIBS) $(LIBXML2_LIBS)

tests_fuzz_fuzz_domain_SOURCES = tests/fuzz/fuzz-domain.c
tests_fuzz_fuzz_network_SOURCES = tests/fuzz/fuzz-network.c
tests_fuzz_fuzz_pool_SOURCES = tests/fuzz/fuzz-pool.c
tests_fuzz_fuzz_volume_SOURCES = tests/fuzz/fuzz-volume.c
tests_fuzz_fuzz_frame_SOURCES = tests/fuzz/fuzz-frame.c
nodist_tests_fuzz_fuzz_frame_SOURCES = tests/fuzz/messages.h
tests_fuzz_fuzz_qcow2_SOURCES = tests/fuzz/fuzz-qcow2.c storaged/storaged_qcow2.c
tests_fuzz_fuzz_launch_SOURCES = tests/fuzz/fuzz-launch.c lxcd/launch.c
tests_fuzz_fuzz_journal_SOURCES = tests/fuzz/fuzz-journal.c netd/state.c netd/ifname.c
tests_fuzz_fuzz_domain_CFLAGS = $(SV_FUZZ_CFLAGS)
tests_fuzz_fuzz_network_CFLAGS = $(SV_FUZZ_CFLAGS)
tests_fuzz_fuzz_pool_CFLAGS = $(SV_FUZZ_CFLAGS)
tests_fuzz_fuzz_volume_CFLAGS = $(SV_FUZZ_CFLAGS)
tests_fuzz_fuzz_frame_CFLAGS = $(SV_FUZZ_CFLAGS)
tests_fuzz_fuzz_frame_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)
tests_fuzz_fuzz_qcow2_CFLAGS = $(SV_FUZZ_CFLAGS)
tests_fuzz_fuzz_qcow2_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/storaged
tests_fuzz_fuzz_launch_CFLAGS = $(SV_FUZZ_CFLAGS)
tests_fuzz_fuzz_launch_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lxcd
tests_fuzz_fuzz_journal_CFLAGS = $(SV_FUZZ_CFLAGS)
tests_fuzz_fuzz_journal_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/netd
tests_fuzz_fuzz_domain_LDFLAGS = $(SV_FUZZ_LINK)
tests_fuzz_fuzz_network_LDFLAGS = $(SV_FUZZ_LINK)
tests_fuzz_fuzz_pool_LDFLAGS = $(SV_FUZZ_LINK)
tests_fuzz_fuzz_volume_LDFLAGS = $(SV_FUZZ_LINK)
tests_fuzz_fuzz_frame_LDFLAGS = $(SV_FUZZ_LINK)
tests_fuzz_fuzz_qcow2_LDFLAGS = $(SV_FUZZ_LINK)
tests_fuzz_fuzz_launch_LDFLAGS = $(SV_FUZZ_LINK)
tests_fuzz_fuzz_journal_LDFLAGS = $(SV_FUZZ_LINK)
tests_fuzz_fuzz_domain_LDADD = $(SV_FUZZ_LIBS)
tests_fuzz_fuzz_network_LDADD = $(SV_FUZZ_LIBS)
tests_fuzz_fuzz_pool_LDADD = $(SV_FUZZ_LIBS)
tests_fuzz_fuzz_volume_LDADD = $(SV_FUZZ_LIBS)
tests_fuzz_fuzz_frame_LDADD = $(SV_FUZZ_LIBS)
tests_fuzz_fuzz_qcow2_LDADD = $(SV_FUZZ_LIBS)
tests_fuzz_fuzz_launch_LDADD = $(SV_FUZZ_LIBS)
tests_fuzz_fuzz_journal_LDADD = $(SV_FUZZ_LIBS)

# Every message descriptor of sepvirt.proto, for the frame target to decode bodies as.
tests/fuzz/messages.h: libshared/sepvirt.pb-c.h
	$(AM_V_GEN)$(MKDIR_P) tests/fuzz && \
	sed -n 's/^extern const ProtobufCMessageDescriptor \(sepvirt__[a-z0-9_]*__descriptor\);$$/\t\&\1,/p' \
		libshared/sepvirt.pb-c.h > $@.tmp && test -s $@.tmp && mv $@.tmp $@
BUILT_SOURCES += tests/fuzz/messages.h

# Every fuzz target of the tree (proxyd/local.mk declares fuzz-libvirt-xdr beside its code), after
# the generated headers they include: what scripts/fuzz.sh builds.
fuzz-targets: $(BUILT_SOURCES)
	$(MAKE) $(AM_MAKEFLAGS) $(FUZZ_TARGETS) tests/fuzz/fuzz-libvirt-xdr
tests/fuzz/fuzz_frame-fuzz-frame.$(OBJEXT): tests/fuzz/messages.h
CLEANFILES += tests/fuzz/messages.h
endif
