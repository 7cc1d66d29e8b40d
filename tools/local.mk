# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirsh (virsh-like CLI) and sepvirtd (the supervisor).
bin_PROGRAMS += sepvirsh
sepvirsh_SOURCES = tools/sepvirsh.c tools/sepvirsh.h tools/sepvirsh-host.c tools/sepvirsh-domain.c tools/sepvirsh-storage.c tools/sepvirsh-network.c tools/sepvirsh-event.c tools/sepvirsh-console.c tools/sepvirsh-domxml.c tools/sepvirsh-edit.c tools/sepvirsh-shell.c tools/sepvirsh-stats.c tools/sepvirsh-hotplug.c tools/sepvirsh-save.c tools/sepvirsh-snapshot.c tools/sepvirsh-resize.c tools/sepvirsh-undefine.c tools/vsh-table.c
sepvirsh_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/client/include $(LIBEDIT_CFLAGS)
sepvirsh_LDADD = client/libsepvirt.la libshared/libshared.la $(PROTOBUF_C_LIBS) $(LIBXML2_LIBS) $(LIBEDIT_LIBS)

sbin_PROGRAMS += sepvirtd
sepvirtd_SOURCES = tools/sepvirtd.c tools/sepvirtd-check.c tools/sepvirtd-check.h
sepvirtd_LDADD = $(SHARED_LIBS)

# The remote end of qemu+ssh:// URIs, run by ssh as the connecting user.
bin_PROGRAMS += sepvirt-ssh-helper
sepvirt_ssh_helper_SOURCES = tools/sepvirt-ssh-helper.c
sepvirt_ssh_helper_LDADD = $(SHARED_LIBS)
