# sepvirt-netd
sbin_PROGRAMS += sepvirt-netd
sepvirt_netd_SOURCES = \
	netd/main.c netd/netd.h \
	netd/sandbox.c \
	netd/dispatch.c
sepvirt_netd_LDADD = $(SHARED_LIBS)
