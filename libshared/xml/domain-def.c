/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain model: names of the enums, lookups, copying and freeing. */
#include "config.h"

#include <errno.h>

#include "util.h"
#include "xml/domain-priv.h"
#include "xml/xml-util.h"

const char *const domain_virt_type_names[] = { "kvm", "qemu", "lxc" };
const char *const domain_os_type_names[] = { "hvm", "exe" };
const char *const domain_boot_dev_names[] = { "fd", "cdrom", "hd", "network" };
const char *const domain_tristate_names[] = { NULL, "yes", "no" };
const char *const domain_lifecycle_names[] = {
	"destroy", "restart", "rename-restart", "preserve", "coredump-destroy", "coredump-restart",
};
const char *const domain_cpu_mode_names[] = {
	NULL, "custom", "host-model", "host-passthrough", "maximum",
};
const char *const domain_clock_names[] = { "utc", "localtime" };
const char *const domain_timer_names[] = { "rtc", "pit", "hpet" };
const char *const domain_tickpolicy_names[] = { NULL, "delay", "catchup", "merge", "discard" };
const char *const domain_disk_type_names[] = { "file", "block", "volume", "network" };
const char *const domain_disk_device_names[] = { "disk", "cdrom", "floppy" };
const char *const domain_disk_format_names[] = { NULL, "raw", "qcow2" };
const char *const domain_disk_bus_names[] = { NULL, "ide", "fdc", "scsi", "virtio", "usb", "sata" };
const char *const domain_disk_cache_names[] = {
	"default", "none", "writethrough", "writeback", "directsync", "unsafe",
};
const char *const domain_net_type_names[] = { "ethernet", "bridge", "network", "user" };
const char *const domain_net_managed_names[] = { NULL, "yes", "no" };
const char *const domain_chr_type_names[] = { "pty", "file", "unix" };
const char *const domain_chr_target_names[] = { NULL, "serial", "virtio", "lxc", "isa-serial" };

const char *domain_virt_type_to_string(enum domain_virt_type t)
{
	return XML_ENUM_TO(domain_virt_type_names, t);
}

int domain_virt_type_from_string(const char *s)
{
	return XML_ENUM_FROM(domain_virt_type_names, s);
}

const char *domain_net_type_to_string(enum domain_net_type t)
{
	return XML_ENUM_TO(domain_net_type_names, t);
}

const char *domain_disk_type_to_string(enum domain_disk_type t)
{
	return XML_ENUM_TO(domain_disk_type_names, t);
}

const char *domain_disk_format_to_string(enum domain_disk_format f)
{
	return XML_ENUM_TO(domain_disk_format_names, f);
}

const char *domain_disk_bus_to_string(enum domain_disk_bus b)
{
	return XML_ENUM_TO(domain_disk_bus_names, b);
}

const char *domain_lifecycle_to_string(enum domain_lifecycle l)
{
	return XML_ENUM_TO(domain_lifecycle_names, l);
}

const char *domain_chr_type_to_string(enum domain_chr_type t)
{
	return XML_ENUM_TO(domain_chr_type_names, t);
}

int domain_def_find_interface(const struct domain_def *def, const unsigned char mac[SV_MAC_LEN])
{
	for (size_t i = 0; i < def->ninterfaces; i++)
		if (!memcmp(def->interfaces[i].mac, mac, SV_MAC_LEN))
			return (int)i;
	return -ENOENT;
}

int domain_def_find_interface_by_dev(const struct domain_def *def, const char *dev)
{
	for (size_t i = 0; i < def->ninterfaces; i++)
		if (streq_ptr(def->interfaces[i].target_dev, dev))
			return (int)i;
	return -ENOENT;
}

int domain_def_find_disk(const struct domain_def *def, const char *dev)
{
	for (size_t i = 0; i < def->ndisks; i++)
		if (streq_ptr(def->disks[i].target_dev, dev))
			return (int)i;
	return -ENOENT;
}

static void disk_clear(struct domain_disk *d)
{
	free(d->driver_name);
	free(d->src_path);
	free(d->src_pool);
	free(d->src_volume);
	free(d->src_protocol);
	free(d->src_name);
	for (size_t i = 0; i < d->nhosts; i++) {
		free(d->hosts[i].name);
		free(d->hosts[i].port);
	}
	free(d->hosts);
	free(d->target_dev);
	xml_keep_clear(&d->keep);
}

static void interface_clear(struct domain_interface *n)
{
	free(n->target_dev);
	free(n->model);
	free(n->source);
	free(n->script);
	free(n->guest_dev);
	xml_keep_clear(&n->source_ip);
	xml_keep_clear(&n->keep);
}

static void chr_clear(struct domain_chr *c)
{
	free(c->path);
	free(c->target_model);
	free(c->target_name);
	xml_keep_clear(&c->keep);
}

static void os_clear(struct domain_os *os)
{
	free(os->arch);
	free(os->machine);
	free(os->kernel);
	free(os->initrd);
	free(os->cmdline);
	free(os->loader);
	free(os->nvram);
	free(os->nvram_template);
	free(os->init);
	for (size_t i = 0; i < os->ninitargs; i++)
		free(os->initargs[i]);
	free(os->initargs);
	for (size_t i = 0; i < os->ninitenv; i++) {
		free(os->initenv[i].name);
		free(os->initenv[i].value);
	}
	free(os->initenv);
}

int domain_def_copy(const struct domain_def *def, struct domain_def **out, struct sv_error *err)
{
	_cleanup_free_ char *xml = NULL;
	int r = domain_def_format(def, 0, &xml, err);

	return r < 0 ? r : domain_def_parse(xml, strlen(xml), 0, out, err);
}

void domain_def_free(struct domain_def *def)
{
	if (!def)
		return;
	free(def->name);
	free(def->title);
	free(def->description);
	free(def->vcpu_cpuset);
	os_clear(&def->os);
	free(def->uidmap);
	free(def->gidmap);
	free(def->cpu.match);
	free(def->cpu.check);
	free(def->cpu.model);
	free(def->cpu.model_fallback);
	for (size_t i = 0; i < def->cpu.nfeatures; i++)
		free(def->cpu.features[i].name);
	free(def->cpu.features);
	for (size_t i = 0; i < def->cpu.ncells; i++)
		free(def->cpu.cells[i].cpus);
	free(def->cpu.cells);
	free(def->cpu.cache_mode);
	free(def->emulator);
	for (size_t i = 0; i < def->ndisks; i++)
		disk_clear(&def->disks[i]);
	free(def->disks);
	for (size_t i = 0; i < def->nfilesystems; i++) {
		free(def->filesystems[i].src_dir);
		free(def->filesystems[i].target_dir);
		xml_keep_clear(&def->filesystems[i].keep);
	}
	free(def->filesystems);
	for (size_t i = 0; i < def->ninterfaces; i++)
		interface_clear(&def->interfaces[i]);
	free(def->interfaces);
	for (size_t i = 0; i < def->nserials; i++)
		chr_clear(&def->serials[i]);
	free(def->serials);
	for (size_t i = 0; i < def->nconsoles; i++)
		chr_clear(&def->consoles[i]);
	free(def->consoles);
	for (size_t i = 0; i < def->ncontrollers; i++) {
		free(def->controllers[i].model);
		free(def->controllers[i].model_name);
	}
	free(def->controllers);
	free(def->inputs);
	for (size_t i = 0; i < def->ngraphics; i++) {
		free(def->graphics[i].listen);
		free(def->graphics[i].share);
	}
	free(def->graphics);
	free(def->audios);
	for (size_t i = 0; i < def->nchannels; i++)
		chr_clear(&def->channels[i]);
	free(def->channels);
	free(def->rngs);
	for (size_t i = 0; i < def->nwatchdogs; i++)
		free(def->watchdogs[i].action);
	free(def->watchdogs);
	free(def->hubs);
	xml_keep_clear(&def->keep_tuning);
	free(def->videos);
	xml_keep_clear(&def->keep);
	xml_keep_clear(&def->keep_controllers);
	xml_keep_clear(&def->keep_devices);
	xml_keep_clear(&def->keep_seclabel);
	free(def);
}
