# SPDX-License-Identifier: LGPL-2.1-or-later
# libshared/xml: the XML models (domain, network, pool, volume) on libxml2.
libshared_libshared_la_SOURCES += \
	libshared/xml/xml-util.c libshared/xml/xml-util.h \
	libshared/xml/xml-writer.c libshared/xml/xml-writer.h \
	libshared/xml/xml-keep.c libshared/xml/xml-keep.h \
	libshared/xml/model-util.c libshared/xml/model-util.h \
	libshared/xml/uuid.c libshared/xml/uuid.h \
	libshared/xml/mac.c libshared/xml/mac.h \
	libshared/xml/units.c libshared/xml/units.h \
	libshared/xml/names.c libshared/xml/names.h \
	libshared/xml/domain-def.c libshared/xml/domain-def.h libshared/xml/domain-priv.h \
	libshared/xml/domain-limits.h \
	libshared/xml/domain-parse.c libshared/xml/domain-parse-devices.c libshared/xml/domain-parse-hw.c \
	libshared/xml/domain-parse-display.c libshared/xml/domain-parse-misc.c \
	libshared/xml/domain-format.c libshared/xml/domain-idmap.c \
	libshared/xml/network-def.c libshared/xml/network-def.h \
	libshared/xml/storage-common.c libshared/xml/storage-common.h \
	libshared/xml/pool-def.c libshared/xml/pool-def.h \
	libshared/xml/volume-def.c libshared/xml/volume-def.h \
	libshared/xml/validate.c libshared/xml/validate.h

# Our RelaxNG schemas (sepvirsh define --validate).
schemasdir = $(pkgdatadir)/schemas
dist_schemas_DATA = data/schemas/common.rng data/schemas/domain.rng \
	data/schemas/network.rng data/schemas/pool.rng data/schemas/volume.rng

# cmocka tests of the models; they read tests/xml/ and ../shared/testdata/libvirt/.
XML_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBXML2_CFLAGS) -I$(top_srcdir)/libshared
XML_TEST_LDADD = libshared/libshared.la $(CMOCKA_LIBS) $(LIBXML2_LIBS)
check_PROGRAMS += tests/unit/test-xml-domain tests/unit/test-xml-models
TESTS += tests/unit/test-xml-domain tests/unit/test-xml-models
tests_unit_test_xml_domain_SOURCES = tests/unit/test-xml-domain.c \
	tests/unit/test-xml-util.c tests/unit/test-xml-util.h
tests_unit_test_xml_domain_CFLAGS = $(XML_TEST_CFLAGS)
tests_unit_test_xml_domain_LDADD = $(XML_TEST_LDADD)
tests_unit_test_xml_models_SOURCES = tests/unit/test-xml-models.c \
	tests/unit/test-xml-util.c tests/unit/test-xml-util.h
tests_unit_test_xml_models_CFLAGS = $(XML_TEST_CFLAGS)
tests_unit_test_xml_models_LDADD = $(XML_TEST_LDADD)
EXTRA_DIST += tests/xml

# By hand: bench/xml/bench-xml (see bench/xml/README).
noinst_PROGRAMS += bench/xml/bench-xml
bench_xml_bench_xml_SOURCES = bench/xml/bench-xml.c
bench_xml_bench_xml_LDADD = libshared/libshared.la $(LIBXML2_LIBS)
EXTRA_DIST += bench/xml/README
# Fuzz targets (the domain one too): tests/fuzz/local.mk.
