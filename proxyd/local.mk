# sepvirt-proxyd
sbin_PROGRAMS += sepvirt-proxyd
sepvirt_proxyd_SOURCES = \
	proxyd/main.c proxyd/proxyd.h \
	proxyd/sandbox.c \
	proxyd/route.c \
	proxyd/pending.c proxyd/pending.h \
	proxyd/clients.c \
	proxyd/limits.c \
	proxyd/events.c
sepvirt_proxyd_LDADD = $(SHARED_LIBS)
