# sepvirt-qemud
sbin_PROGRAMS += sepvirt-qemud
sepvirt_qemud_SOURCES = \
	qemud/main.c qemud/qemud.h \
	qemud/sandbox.c \
	qemud/dispatch.c
sepvirt_qemud_LDADD = $(SHARED_LIBS)
