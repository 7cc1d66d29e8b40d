# sepvirt-storaged
sbin_PROGRAMS += sepvirt-storaged
sepvirt_storaged_SOURCES = \
	storaged/main.c storaged/storaged.h \
	storaged/sandbox.c \
	storaged/dispatch.c
sepvirt_storaged_LDADD = $(SHARED_LIBS)
