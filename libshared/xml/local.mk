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
	libshared/xml/domain-parse.c libshared/xml/domain-parse-devices.c \
	libshared/xml/domain-format.c \
	libshared/xml/network-def.c libshared/xml/network-def.h \
	libshared/xml/storage-common.c libshared/xml/storage-common.h \
	libshared/xml/pool-def.c libshared/xml/pool-def.h \
	libshared/xml/volume-def.c libshared/xml/volume-def.h
