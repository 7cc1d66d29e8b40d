# sepvirt-lxcd
sbin_PROGRAMS += sepvirt-lxcd
sepvirt_lxcd_SOURCES = \
	lxcd/main.c lxcd/lxcd.h \
	lxcd/sandbox.c \
	lxcd/dispatch.c
sepvirt_lxcd_LDADD = $(SHARED_LIBS)
