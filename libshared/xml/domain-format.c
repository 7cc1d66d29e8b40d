/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* struct domain_def → canonical domain XML, in libvirt's element order and style, so
 * that the output validates against libvirt's schema and diffs cleanly with virsh's. */
#include "config.h"

#include <errno.h>

#include "util.h"
#include "xml/domain-priv.h"
#include "xml/xml-util.h"
#include "xml/xml-writer.h"

static void put_keep(struct xml_writer *w, const struct xml_keep *keep)
{
	for (size_t i = 0; i < keep->n; i++)
		xml_put_node(w, keep->nodes[i]);
}

static void put_boot_order(struct xml_writer *w, unsigned order)
{
	if (!order)
		return;
	xml_open(w, "boot");
	xml_put_attr_fmt(w, "order", "%u", order);
	xml_close(w);
}

static const char *const firmware_names[DOMAIN_FIRMWARE_LAST] = { NULL, "bios", "efi" };
static const char *const loader_type_names[DOMAIN_LOADER_LAST] = { NULL, "rom", "pflash" };

static void format_firmware(struct xml_writer *w, const struct domain_os *os)
{
	if (os->fw_secure_boot || os->fw_enrolled_keys) {
		xml_open(w, "firmware");
		if (os->fw_enrolled_keys) {
			xml_open(w, "feature");
			xml_put_attr(w, "enabled", domain_tristate_names[os->fw_enrolled_keys]);
			xml_put_attr(w, "name", "enrolled-keys");
			xml_close(w);
		}
		if (os->fw_secure_boot) {
			xml_open(w, "feature");
			xml_put_attr(w, "enabled", domain_tristate_names[os->fw_secure_boot]);
			xml_put_attr(w, "name", "secure-boot");
			xml_close(w);
		}
		xml_close(w);
	}
	if (os->loader) {
		xml_open(w, "loader");
		xml_put_attr(w, "readonly", os->loader_readonly ? domain_tristate_names[os->loader_readonly] : NULL);
		xml_put_attr(w, "secure", os->loader_secure ? domain_tristate_names[os->loader_secure] : NULL);
		xml_put_attr(w, "type", loader_type_names[os->loader_type]);
		xml_put_text(w, os->loader);
		xml_close(w);
	}
	if (os->nvram || os->nvram_template) {
		xml_open(w, "nvram");
		xml_put_attr(w, "template", os->nvram_template);
		if (os->nvram)
			xml_put_text(w, os->nvram);
		xml_close(w);
	}
}

static void format_os(struct xml_writer *w, const struct domain_os *os)
{
	xml_open(w, "os");
	xml_put_attr(w, "firmware", firmware_names[os->firmware]);
	xml_open(w, "type");
	xml_put_attr(w, "arch", os->arch);
	xml_put_attr(w, "machine", os->machine);
	xml_put_text(w, domain_os_type_names[os->type]);
	xml_close(w);
	format_firmware(w, os);
	xml_put_elem(w, "init", os->init);
	for (size_t i = 0; i < os->ninitargs; i++)
		xml_put_elem(w, "initarg", os->initargs[i]);
	for (size_t i = 0; i < os->ninitenv; i++) {
		xml_open(w, "initenv");
		xml_put_attr(w, "name", os->initenv[i].name);
		xml_put_text(w, os->initenv[i].value);
		xml_close(w);
	}
	xml_put_elem(w, "kernel", os->kernel);
	xml_put_elem(w, "initrd", os->initrd);
	xml_put_elem(w, "cmdline", os->cmdline);
	for (size_t i = 0; i < os->nboot; i++) {
		xml_open(w, "boot");
		xml_put_attr(w, "dev", domain_boot_dev_names[os->boot[i]]);
		xml_close(w);
	}
	if (os->bootmenu) {
		xml_open(w, "bootmenu");
		xml_put_attr(w, "enable", domain_tristate_names[os->bootmenu]);
		xml_close(w);
	}
	xml_close(w);
}

static void format_features_cpu(struct xml_writer *w, const struct domain_def *def)
{
	const struct domain_cpu *cpu = &def->cpu;

	if (def->acpi || def->apic || def->pae || def->vmport) {
		xml_open(w, "features");
		if (def->acpi)
			xml_put_empty(w, "acpi");
		if (def->apic)
			xml_put_empty(w, "apic");
		if (def->pae)
			xml_put_empty(w, "pae");
		if (def->vmport) {
			xml_open(w, "vmport");
			xml_put_attr(w, "state", def->vmport == DOMAIN_TRISTATE_YES ? "on" : "off");
			xml_close(w);
		}
		xml_close(w);
	}
	if (!cpu->mode && !cpu->match && !cpu->check && !cpu->model && !cpu->model_fallback && !cpu->sockets &&
	    !cpu->nfeatures && !cpu->ncells && !cpu->cache_mode)
		return;
	xml_open(w, "cpu");
	xml_put_attr(w, "mode", domain_cpu_mode_names[cpu->mode]);
	xml_put_attr(w, "match", cpu->match);
	xml_put_attr(w, "check", cpu->check);
	if (cpu->model || cpu->model_fallback) {
		xml_open(w, "model");
		xml_put_attr(w, "fallback", cpu->model_fallback);
		if (cpu->model)
			xml_put_text(w, cpu->model);
		xml_close(w);
	}
	if (cpu->sockets) {
		xml_open(w, "topology");
		xml_put_attr_fmt(w, "sockets", "%u", cpu->sockets);
		if (cpu->dies)
			xml_put_attr_fmt(w, "dies", "%u", cpu->dies);
		xml_put_attr_fmt(w, "cores", "%u", cpu->cores);
		xml_put_attr_fmt(w, "threads", "%u", cpu->threads);
		xml_close(w);
	}
	for (size_t i = 0; i < cpu->nfeatures; i++) {
		xml_open(w, "feature");
		xml_put_attr(w, "policy", domain_cpu_policy_names[cpu->features[i].policy]);
		xml_put_attr(w, "name", cpu->features[i].name);
		xml_close(w);
	}
	if (cpu->cache_mode) {
		xml_open(w, "cache");
		if (cpu->cache_level)
			xml_put_attr_fmt(w, "level", "%u", cpu->cache_level);
		xml_put_attr(w, "mode", cpu->cache_mode);
		xml_close(w);
	}
	if (cpu->ncells) {
		xml_open(w, "numa");
		for (size_t i = 0; i < cpu->ncells; i++) {
			const struct domain_numa_cell *cell = &cpu->cells[i];

			xml_open(w, "cell");
			xml_put_attr_fmt(w, "id", "%u", cell->id);
			xml_put_attr(w, "cpus", cell->cpus);
			xml_put_attr_fmt(w, "memory", "%llu", cell->memory_kib);
			xml_put_attr(w, "unit", "KiB");
			if (cell->shared)
				xml_put_attr(w, "memAccess", cell->shared == DOMAIN_TRISTATE_YES ? "shared" : "private");
			xml_close(w);
		}
		xml_close(w);
	}
	xml_close(w);
}

static void format_disk(struct xml_writer *w, const struct domain_disk *disk)
{
	xml_open(w, "disk");
	xml_put_attr(w, "type", domain_disk_type_names[disk->type]);
	xml_put_attr(w, "device", domain_disk_device_names[disk->device]);
	if (disk->driver_name || disk->format || disk->cache) {
		xml_open(w, "driver");
		xml_put_attr(w, "name", disk->driver_name);
		xml_put_attr(w, "type", domain_disk_format_names[disk->format]);
		if (disk->cache)
			xml_put_attr(w, "cache", domain_disk_cache_names[disk->cache]);
		if (disk->discard_unmap)
			xml_put_attr(w, "discard", "unmap");
		xml_close(w);
	}
	if (disk->type == DOMAIN_DISK_TYPE_NETWORK) {
		xml_open(w, "source");
		xml_put_attr(w, "protocol", disk->src_protocol);
		xml_put_attr(w, "name", disk->src_name);
		for (size_t i = 0; i < disk->nhosts; i++) {
			xml_open(w, "host");
			xml_put_attr(w, "name", disk->hosts[i].name);
			xml_put_attr(w, "port", disk->hosts[i].port);
			xml_close(w);
		}
		xml_close(w);
	} else if (disk->src_path || disk->src_pool) {
		xml_open(w, "source");
		if (disk->type == DOMAIN_DISK_TYPE_FILE)
			xml_put_attr(w, "file", disk->src_path);
		else if (disk->type == DOMAIN_DISK_TYPE_BLOCK)
			xml_put_attr(w, "dev", disk->src_path);
		xml_put_attr(w, "pool", disk->src_pool);
		xml_put_attr(w, "volume", disk->src_volume);
		xml_close(w);
	}
	xml_open(w, "target");
	xml_put_attr(w, "dev", disk->target_dev);
	xml_put_attr(w, "bus", domain_disk_bus_names[disk->bus]);
	xml_close(w);
	if (disk->readonly)
		xml_put_empty(w, "readonly");
	if (disk->shareable)
		xml_put_empty(w, "shareable");
	put_boot_order(w, disk->boot_order);
	put_keep(w, &disk->keep);
	xml_close(w);
}

static void format_filesystem(struct xml_writer *w, const struct domain_filesystem *fs)
{
	xml_open(w, "filesystem");
	xml_put_attr(w, "type", "mount");
	xml_put_attr(w, "accessmode", "passthrough");
	xml_open(w, "source");
	xml_put_attr(w, "dir", fs->src_dir);
	xml_close(w);
	xml_open(w, "target");
	xml_put_attr(w, "dir", fs->target_dir);
	xml_close(w);
	if (fs->readonly)
		xml_put_empty(w, "readonly");
	put_keep(w, &fs->keep);
	xml_close(w);
}

static void format_interface(struct xml_writer *w, const struct domain_interface *iface,
			     unsigned flags)
{
	char mac[SV_MAC_STRING_LEN];
	const char *dev = iface->target_dev;

	/* A generated tap name belongs to one run only (the inverse of the parse rule). */
	if ((flags & DOMAIN_FORMAT_INACTIVE) && dev && iface->managed != DOMAIN_NET_MANAGED_NO &&
	    startswith(dev, "vnet"))
		dev = NULL;
	xml_open(w, "interface");
	xml_put_attr(w, "type", domain_net_type_names[iface->type]);
	sv_mac_format(iface->mac, mac);
	xml_open(w, "mac");
	xml_put_attr(w, "address", mac);
	xml_close(w);
	if (iface->source) {
		xml_open(w, "source");
		xml_put_attr(w, iface->type == DOMAIN_NET_BRIDGE ? "bridge" : "network", iface->source);
		xml_close(w);
	}
	put_keep(w, &iface->source_ip);
	if (iface->script) {
		xml_open(w, "script");
		xml_put_attr(w, "path", iface->script);
		xml_close(w);
	}
	/* managed is written exactly as it was given: absent, yes or no. libvirt's schema
	 * wants a dev with it, so a managed tap whose generated name was dropped has none. */
	if (dev) {
		xml_open(w, "target");
		xml_put_attr(w, "dev", dev);
		xml_put_attr(w, "managed", domain_net_managed_names[iface->managed]);
		xml_close(w);
	}
	if (iface->guest_dev) {
		xml_open(w, "guest");
		xml_put_attr(w, "dev", iface->guest_dev);
		xml_close(w);
	}
	if (iface->model) {
		xml_open(w, "model");
		xml_put_attr(w, "type", iface->model);
		xml_close(w);
	}
	if (iface->mtu) {
		xml_open(w, "mtu");
		xml_put_attr_fmt(w, "size", "%u", iface->mtu);
		xml_close(w);
	}
	put_boot_order(w, iface->boot_order);
	put_keep(w, &iface->keep);
	xml_close(w);
}

static void format_chr(struct xml_writer *w, const char *kind, const struct domain_chr *chr,
		       unsigned flags)
{
	bool live_pty = chr->type == DOMAIN_CHR_PTY;

	xml_open(w, kind);
	xml_put_attr(w, "type", domain_chr_type_names[chr->type]);
	if (chr->path && !(live_pty && (flags & DOMAIN_FORMAT_INACTIVE))) {
		xml_open(w, "source");
		if (chr->type == DOMAIN_CHR_UNIX)
			xml_put_attr(w, "mode", chr->unix_listen ? "bind" : "connect");
		xml_put_attr(w, "path", chr->path);
		xml_close(w);
	}
	if (chr->target_type || chr->target_port >= 0 || chr->target_model) {
		xml_open(w, "target");
		xml_put_attr(w, "type", domain_chr_target_names[chr->target_type]);
		if (chr->target_port >= 0)
			xml_put_attr_fmt(w, "port", "%d", chr->target_port);
		if (chr->target_model) {
			xml_open(w, "model");
			xml_put_attr(w, "name", chr->target_model);
			xml_close(w);
		}
		xml_close(w);
	}
	put_keep(w, &chr->keep);
	xml_close(w);
}

static void format_devices(struct xml_writer *w, const struct domain_def *def, unsigned flags)
{
	xml_open(w, "devices");
	xml_put_elem(w, "emulator", def->emulator);
	for (size_t i = 0; i < def->ndisks; i++)
		format_disk(w, &def->disks[i]);
	put_keep(w, &def->keep_controllers);
	for (size_t i = 0; i < def->nfilesystems; i++)
		format_filesystem(w, &def->filesystems[i]);
	for (size_t i = 0; i < def->ninterfaces; i++)
		format_interface(w, &def->interfaces[i], flags);
	for (size_t i = 0; i < def->nserials; i++)
		format_chr(w, "serial", &def->serials[i], flags);
	for (size_t i = 0; i < def->nconsoles; i++)
		format_chr(w, "console", &def->consoles[i], flags);
	put_keep(w, &def->keep_devices);
	xml_close(w);
}

static void format_memory(struct xml_writer *w, const char *name, unsigned long long kib)
{
	xml_open(w, name);
	xml_put_attr(w, "unit", "KiB");
	xml_put_text_fmt(w, "%llu", kib);
	xml_close(w);
}

int domain_def_format(const struct domain_def *def, unsigned flags, char **out,
		      struct sv_error *err)
{
	struct xml_writer w;

	if (!def || !def->name)
		return sv_error_set(err, SV_FROM_XML, SV_ERR_INVALID_ARG, EINVAL,
				    "cannot format a domain without a name");
	xml_writer_init(&w);
	xml_open(&w, "domain");
	xml_put_attr(&w, "type", domain_virt_type_names[def->type]);
	xml_put_elem(&w, "name", def->name);
	model_format_uuid(&w, def->uuid);
	xml_put_elem(&w, "title", def->title);
	xml_put_elem(&w, "description", def->description);
	put_keep(&w, &def->keep);
	format_memory(&w, "memory", def->memory_kib);
	format_memory(&w, "currentMemory", def->current_memory_kib);
	xml_open(&w, "vcpu");
	xml_put_attr(&w, "placement", "static");
	xml_put_attr(&w, "cpuset", def->vcpu_cpuset);
	if (def->vcpus_current && def->vcpus_current != def->vcpus)
		xml_put_attr_fmt(&w, "current", "%u", def->vcpus_current);
	xml_put_text_fmt(&w, "%u", def->vcpus);
	xml_close(&w);
	put_keep(&w, &def->keep_tuning);
	format_os(&w, &def->os);
	domain_format_idmap(&w, def);
	format_features_cpu(&w, def);
	xml_open(&w, "clock");
	xml_put_attr(&w, "offset", domain_clock_names[def->clock]);
	for (size_t i = 0; i < DOMAIN_TIMER_LAST; i++) {
		if (!def->timers[i].given)
			continue;
		xml_open(&w, "timer");
		xml_put_attr(&w, "name", domain_timer_names[i]);
		xml_put_attr(&w, "tickpolicy", domain_tickpolicy_names[def->timers[i].tickpolicy]);
		xml_put_attr(&w, "present", domain_tristate_names[def->timers[i].present]);
		xml_close(&w);
	}
	xml_close(&w);
	xml_put_elem(&w, "on_poweroff", domain_lifecycle_names[def->on_poweroff]);
	xml_put_elem(&w, "on_reboot", domain_lifecycle_names[def->on_reboot]);
	xml_put_elem(&w, "on_crash", domain_lifecycle_names[def->on_crash]);
	if (def->pm_suspend_to_mem || def->pm_suspend_to_disk) {
		xml_open(&w, "pm");
		if (def->pm_suspend_to_mem) {
			xml_open(&w, "suspend-to-mem");
			xml_put_attr(&w, "enabled", domain_tristate_names[def->pm_suspend_to_mem]);
			xml_close(&w);
		}
		if (def->pm_suspend_to_disk) {
			xml_open(&w, "suspend-to-disk");
			xml_put_attr(&w, "enabled", domain_tristate_names[def->pm_suspend_to_disk]);
			xml_close(&w);
		}
		xml_close(&w);
	}
	format_devices(&w, def, flags);
	put_keep(&w, &def->keep_seclabel);
	xml_close(&w);
	*out = xml_writer_finish(&w);
	return 0;
}
