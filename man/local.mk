# SPDX-License-Identifier: LGPL-2.1-or-later
# Man pages, written in scdoc (man/*.scd) and built with it when configure found it.
MAN_SCD = man/sepvirsh.1.scd man/sepvirt.conf.5.scd man/sepvirtd.8.scd \
	man/sepvirt-proxyd.8.scd man/sepvirt-qemud.8.scd man/sepvirt-lxcd.8.scd \
	man/sepvirt-netd.8.scd man/sepvirt-storaged.8.scd
EXTRA_DIST += $(MAN_SCD)
if WITH_MAN
man1_MANS = man/sepvirsh.1
man5_MANS = man/sepvirt.conf.5
man8_MANS = man/sepvirtd.8 man/sepvirt-proxyd.8 man/sepvirt-qemud.8 man/sepvirt-lxcd.8 \
	man/sepvirt-netd.8 man/sepvirt-storaged.8
MAN_PAGES = $(man1_MANS) $(man5_MANS) $(man8_MANS)
CLEANFILES += $(MAN_PAGES)
$(MAN_PAGES): %: $(top_srcdir)/%.scd
	$(AM_V_GEN)$(MKDIR_P) man && { $(SCDOC) < $< > $@.tmp && mv $@.tmp $@; } || { rm -f $@.tmp; exit 1; }
endif
