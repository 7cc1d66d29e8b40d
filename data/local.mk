# SPDX-License-Identifier: LGPL-2.1-or-later
# systemd units (sepvirtd does the same job where there is no systemd).
systemdunitdir = $(prefix)/lib/systemd/system
systemd_units = \
	data/systemd/sepvirt-proxyd.service data/systemd/sepvirt-qemud.service \
	data/systemd/sepvirt-lxcd.service data/systemd/sepvirt-netd.service \
	data/systemd/sepvirt-storaged.service
systemdunit_DATA = $(systemd_units) data/systemd/sepvirt.target
EXTRA_DIST += $(systemd_units:=.in) data/systemd/sepvirt.target data/sepvirt.conf
CLEANFILES += $(systemd_units)
$(systemd_units): %: $(top_srcdir)/%.in Makefile
	$(AM_V_GEN)$(MKDIR_P) data/systemd && sed -e 's|@sbindir[@]|$(sbindir)|g' $< > $@

# The daemons' users and groups: created by `make install` when run as root.
install-exec-hook:
	@if [ "$$(id -u)" = 0 ] && [ -z "$(DESTDIR)" ]; then \
		SEPVIRT_PROXY_USER=$(SEPVIRT_PROXY_USER) SEPVIRT_QEMU_USER=$(SEPVIRT_QEMU_USER) \
		SEPVIRT_STORAGE_USER=$(SEPVIRT_STORAGE_USER) SEPVIRT_DAEMON_GROUP=$(SEPVIRT_DAEMON_GROUP) \
		SEPVIRT_ADMIN_GROUP=$(SEPVIRT_ADMIN_GROUP) $(SHELL) $(top_srcdir)/scripts/create-users.sh || exit 1; \
	else \
		echo "note: as root, run scripts/create-users.sh (users $(SEPVIRT_PROXY_USER), $(SEPVIRT_QEMU_USER), $(SEPVIRT_STORAGE_USER); groups $(SEPVIRT_DAEMON_GROUP), $(SEPVIRT_ADMIN_GROUP)) before running sepvirt as root"; \
	fi

# Bash completion of sepvirsh (configure: --with-bash-completion-dir).
bashcompletiondir = $(BASH_COMPLETION_DIR)
dist_bashcompletion_DATA = data/bash-completion/sepvirsh
