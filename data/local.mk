# systemd units (sepvirtd does the same job where there is no systemd).
systemdunitdir = $(prefix)/lib/systemd/system
systemd_units = \
	data/systemd/sepvirt-proxyd.service data/systemd/sepvirt-qemud.service \
	data/systemd/sepvirt-lxcd.service data/systemd/sepvirt-netd.service \
	data/systemd/sepvirt-storaged.service
systemdunit_DATA = $(systemd_units) data/systemd/sepvirt.target
EXTRA_DIST += $(systemd_units:=.in) data/systemd/sepvirt.target
CLEANFILES += $(systemd_units)
$(systemd_units): %: $(top_srcdir)/%.in Makefile
	$(AM_V_GEN)$(MKDIR_P) data/systemd && sed -e 's|@sbindir[@]|$(sbindir)|g' $< > $@

# The unprivileged user the daemons drop to: created by `make install` when run as root.
install-exec-hook:
	@if [ "$$(id -u)" = 0 ] && [ -z "$(DESTDIR)" ]; then \
		id $(SEPVIRT_USER) >/dev/null 2>&1 || \
		useradd --system --no-create-home --shell /usr/sbin/nologin $(SEPVIRT_USER) || exit 1; \
	else \
		echo "note: create the system user '$(SEPVIRT_USER)' as root (useradd --system $(SEPVIRT_USER)) before running sepvirt as root"; \
	fi
