/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain definition -> QEMU argv, following libvirt's conventions (ids charserial0,
 * hostnet0, net0, drive-virtio-disk0...) so a libvirt user recognises the command line. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "argv.h"

#define UNSUPPORTED(err, ...) sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, __VA_ARGS__)

char *qemud_argv_escape(const char *s)
{
	size_t n = 0;
	char *out, *o;

	for (const char *p = s; *p; p++)
		n += *p == ',' ? 2 : 1;
	out = o = xmalloc(n + 1);
	for (const char *p = s; *p; p++) {
		*o++ = *p;
		if (*p == ',')
			*o++ = ',';
	}
	*o = '\0';
	return out;
}

void qemud_argv_append(char **s, const char *fmt, ...)
{
	_cleanup_free_ char *more = NULL;
	char *joined;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&more, fmt, ap) < 0)
		abort();
	va_end(ap);
	joined = xasprintf("%s%s", *s ? *s : "", more);
	free(*s);
	*s = joined;
}

static int add_machine(struct command *c, const struct domain_def *def, const char *pflash, struct sv_error *err)
{
	const char *machine = def->os.machine ? def->os.machine : "pc";
	_cleanup_free_ char *m = qemud_argv_escape(machine);

	if (def->os.type != DOMAIN_OS_HVM)
		return UNSUPPORTED(err, "os type must be 'hvm' for a QEMU domain");
	if (def->os.arch && !streq(def->os.arch, "x86_64") && !streq(def->os.arch, "i686"))
		return UNSUPPORTED(err, "os arch '%s' is not supported (x86_64 only)", def->os.arch);
	/* Secure Boot (firmware.c allows it on q35 only): SMM, and a flash only SMM code may write */
	bool secure = def->os.loader && def->os.loader_secure == DOMAIN_TRISTATE_YES;

	command_add_opt(c, "-machine", "%s,usb=off,%s%sdump-guest-core=off%s%s%s%s", m,
			def->vmport ? (def->vmport == DOMAIN_TRISTATE_YES ? "vmport=on," : "vmport=off,") : "",
			secure ? "smm=on," : "", pflash, def->acpi ? "" : ",acpi=off", qemud_argv_machine_hpet(def),
			qemud_argv_machine_memory(def));
	if (secure)
		command_add_opt(c, "-global", "driver=cfi.pflash01,property=secure,value=on");
	switch (def->type) {
	case DOMAIN_VIRT_KVM:
		command_add_opt(c, "-accel", "kvm");
		break;
	case DOMAIN_VIRT_QEMU:
		command_add_opt(c, "-accel", "tcg");
		break;
	default:
		return UNSUPPORTED(err, "domain type '%s' is not a QEMU domain type",
				   domain_virt_type_to_string(def->type));
	}
	return 0;
}

/* ",name=on" / ",name=off" per <feature>, in QEMU's spelling (dashes for underscores). */
static char *cpu_features(const struct domain_cpu *cpu)
{
	char *out = xstrdup("");

	for (size_t i = 0; i < cpu->nfeatures; i++) {
		const struct domain_cpu_feature *f = &cpu->features[i];
		bool off = f->policy == DOMAIN_CPU_POLICY_DISABLE || f->policy == DOMAIN_CPU_POLICY_FORBID;
		_cleanup_free_ char *name = xstrdup(f->name);

		for (char *p = name; *p; p++)
			if (*p == '_')
				*p = '-';
		qemud_argv_append(&out, ",%s=%s", name, off ? "off" : "on");
	}
	return out;
}

/* <cache>: QEMU's host-cache-info (host and max models only) and l3-cache switches, as libvirt sets them. */
static int cpu_cache(const struct domain_cpu *cpu, char **features, struct sv_error *err)
{
	bool host = cpu->mode == DOMAIN_CPU_MODE_HOST_PASSTHROUGH || cpu->mode == DOMAIN_CPU_MODE_MAXIMUM;

	if (!cpu->cache_mode)
		return 0;
	if (streq(cpu->cache_mode, "passthrough")) {
		if (!host)
			return UNSUPPORTED(err, "CPU cache mode 'passthrough' needs cpu mode 'host-passthrough' or 'maximum'");
		qemud_argv_append(features, ",host-cache-info=on,l3-cache=off");
	} else if (streq(cpu->cache_mode, "emulate")) {
		qemud_argv_append(features, host ? ",l3-cache=on,host-cache-info=off" : ",l3-cache=on");
	} else {
		qemud_argv_append(features, host ? ",host-cache-info=off,l3-cache=off" : ",l3-cache=off");
	}
	return 0;
}

static int add_cpu_model(struct command *c, const struct domain_def *def, struct sv_error *err)
{
	const struct domain_cpu *cpu = &def->cpu;
	_cleanup_free_ char *features = cpu_features(cpu);
	int r = cpu_cache(cpu, &features, err);

	if (r < 0)
		return r;
	switch (cpu->mode) {
	case DOMAIN_CPU_MODE_HOST_PASSTHROUGH:
		if (def->type != DOMAIN_VIRT_KVM)
			return UNSUPPORTED(err, "cpu mode 'host-passthrough' needs domain type 'kvm'");
		command_add_opt(c, "-cpu", "host%s", features);
		return 0;
	case DOMAIN_CPU_MODE_HOST_MODEL:
		/* libvirt turns it into the named model and features closest to the host's CPU, which
		 * takes QEMU's CPU model expansion: "host" instead would not be what was asked. */
		return UNSUPPORTED(err, "cpu mode 'host-model' is not supported: sepvirt does not expand the host's "
				   "CPU model (use mode 'host-passthrough' or a named model)");
	case DOMAIN_CPU_MODE_MAXIMUM:
		command_add_opt(c, "-cpu", "max%s", features);
		return 0;
	default:
		break;
	}
	/* custom, or no mode with a model: the model as named. match='minimum' gets the model
	 * itself, the least it asks for (libvirt adds the host's other features). */
	if (cpu->match && !streq(cpu->match, "exact") && !streq(cpu->match, "minimum") && !streq(cpu->match, "strict"))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_XML, EINVAL, "Invalid value for attribute 'match' in element 'cpu': '%s'",
				    cpu->match);
	if (cpu->model) {
		_cleanup_free_ char *m = qemud_argv_escape(cpu->model);
		command_add_opt(c, "-cpu", "%s%s", m, features);
	} else {
		/* libvirt's default for x86 (i686 guests too): the pc machines' default model, named */
		command_add_opt(c, "-cpu", "qemu64%s", features);
	}
	return 0;
}

static int add_cpu(struct command *c, const struct domain_def *def, struct sv_error *err)
{
	const struct domain_cpu *cpu = &def->cpu;
	unsigned sockets = cpu->sockets, cores = cpu->cores, threads = cpu->threads;
	unsigned cur = def->vcpus_current ? def->vcpus_current : def->vcpus;
	_cleanup_free_ char *dies = cpu->dies ? xasprintf(",dies=%u", cpu->dies) : xstrdup("");
	int r = add_cpu_model(c, def, err);

	if (r < 0 || (r = qemud_argv_add_memory(c, def, err)) < 0)
		return r;
	if (!sockets) {
		sockets = def->vcpus;
		cores = threads = 1;
	}
	if ((unsigned long long)sockets * (cpu->dies ? cpu->dies : 1) * cores * threads != def->vcpus)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_XML, EINVAL,
				    "CPU topology %u sockets x %u cores x %u threads does not match %u vcpus",
				    sockets, cores, threads, def->vcpus);
	if (cur != def->vcpus)
		command_add_opt(c, "-smp", "%u,maxcpus=%u,sockets=%u%s,cores=%u,threads=%u", cur, def->vcpus,
				sockets, dies, cores, threads);
	else
		command_add_opt(c, "-smp", "%u,sockets=%u%s,cores=%u,threads=%u", cur, sockets, dies, cores, threads);
	return 0;
}

static int add_boot(struct command *c, const struct domain_def *def, struct sv_error *err)
{
	static const char letters[DOMAIN_BOOT_LAST] = {
		[DOMAIN_BOOT_FD] = 'a', [DOMAIN_BOOT_CDROM] = 'd', [DOMAIN_BOOT_HD] = 'c', [DOMAIN_BOOT_NETWORK] = 'n',
	};
	char order[DOMAIN_BOOT_LAST + 1] = "";
	bool per_device = false;

	for (size_t i = 0; i < def->ndisks; i++)
		per_device |= def->disks[i].boot_order > 0;
	for (size_t i = 0; i < def->ninterfaces; i++)
		per_device |= def->interfaces[i].boot_order > 0;
	if (def->os.kernel) {
		_cleanup_free_ char *k = qemud_argv_escape(def->os.kernel);
		command_add_opt(c, "-kernel", "%s", k);
		if (def->os.initrd) {
			_cleanup_free_ char *i = qemud_argv_escape(def->os.initrd);
			command_add_opt(c, "-initrd", "%s", i);
		}
		if (def->os.cmdline)
			command_add_opt(c, "-append", "%s", def->os.cmdline);
		return 0;
	}
	/* Per-device <boot order=N/> wins, as in libvirt: then each device carries bootindex. */
	if (!per_device)
		for (size_t i = 0; i < def->os.nboot && i < DOMAIN_BOOT_LAST; i++)
			order[i] = letters[def->os.boot[i]];
	/* QEMU's pc and q35 firmware interface takes at most three (it would fail at start). */
	if (strlen(order) > 3)
		return UNSUPPORTED(err, "%zu <boot dev=.../> elements given: QEMU's x86 machines take at most 3",
				   strlen(order));
	if (order[0] && def->os.bootmenu == DOMAIN_TRISTATE_YES)
		command_add_opt(c, "-boot", "order=%s,menu=on,strict=on", order);
	else if (order[0])
		command_add_opt(c, "-boot", "order=%s,strict=on", order);
	else if (def->os.bootmenu == DOMAIN_TRISTATE_YES)
		command_add_opt(c, "-boot", "menu=on,strict=on");
	else
		command_add_opt(c, "-boot", "strict=on");
	return 0;
}

enum domain_disk_bus qemud_argv_disk_bus(const struct domain_disk *d)
{
	if (d->bus != DOMAIN_DISK_BUS_NONE)
		return d->bus;
	if (startswith(d->target_dev, "vd"))
		return DOMAIN_DISK_BUS_VIRTIO;
	if (startswith(d->target_dev, "hd"))
		return DOMAIN_DISK_BUS_IDE;
	if (startswith(d->target_dev, "sd"))
		return DOMAIN_DISK_BUS_SCSI;
	if (startswith(d->target_dev, "fd"))
		return DOMAIN_DISK_BUS_FDC;
	return DOMAIN_DISK_BUS_NONE;
}

static const char *disk_cache(enum domain_disk_cache c)
{
	switch (c) {
	case DOMAIN_DISK_CACHE_NONE: return "none";
	case DOMAIN_DISK_CACHE_WRITETHROUGH: return "writethrough";
	case DOMAIN_DISK_CACHE_WRITEBACK: return "writeback";
	case DOMAIN_DISK_CACHE_DIRECTSYNC: return "directsync";
	case DOMAIN_DISK_CACHE_UNSAFE: return "unsafe";
	default: return NULL;
	}
}

/* hda -> 0, hdb -> 1 ... vda -> 0. */
int qemud_argv_disk_index(const char *dev)
{
	size_t n = strlen(dev);
	int idx = 0;

	if (n < 3)
		return -1;
	for (const char *p = dev + 2; *p; p++) {
		if (*p < 'a' || *p > 'z')
			return -1;
		idx = idx * 26 + (*p - 'a') + (p == dev + 2 ? 0 : 26);
	}
	return idx;
}

/* A volume disk: each layer storaged opened becomes an fd set, a file node on /dev/fdset/N
 * and a format node; the top format node is named drive, for the device. The format of layer
 * 0 is the XML's (never probed: a guest writing a qcow2 header into a raw volume must not get
 * a backing file opened); a raw disk uses layer 0 only, a qcow2 one chains the rest and ends
 * with backing= (none), so QEMU opens no backing file by name. */
static int add_volume(struct command *c, const struct domain_disk *d, const char *drive,
		      struct qemud_argv_volume *vol, bool read_only, bool dry_run, unsigned *fdset,
		      struct sv_error *err)
{
	bool qcow2 = d->format == DOMAIN_DISK_FORMAT_QCOW2;
	struct qemud_argv_layer dry = { .fd = -1, .read_only = read_only };
	struct qemud_argv_layer *layers = vol && vol->nlayers ? vol->layers : &dry;
	size_t n = vol && vol->nlayers ? (qcow2 ? vol->nlayers : 1) : 1;
	const char *cache = "";

	if ((!vol || !vol->nlayers) && !dry_run)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EBADF,
				    "disk '%s' (volume '%s' in pool '%s') has no open volume", d->target_dev,
				    d->src_volume, d->src_pool);
	if (layers[0].read_only != read_only && layers[0].fd >= 0)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EBADF,
				    "disk '%s': volume '%s' was opened %s", d->target_dev, d->src_volume,
				    layers[0].read_only ? "read-only" : "read-write");
	if (d->cache == DOMAIN_DISK_CACHE_NONE || d->cache == DOMAIN_DISK_CACHE_DIRECTSYNC)
		cache = ",cache.direct=on";
	else if (d->cache == DOMAIN_DISK_CACHE_UNSAFE)
		cache = ",cache.no-flush=on";
	/* Bottom up: a node's backing must exist before it. */
	for (size_t i = n; i-- > 0;) {
		struct qemud_argv_layer *l = &layers[i];
		const char *fmt = i == 0 ? (qcow2 ? "qcow2" : "raw") : l->format;
		const char *ro = l->read_only ? "on" : "off";
		_cleanup_free_ char *node = i == 0 ? xstrdup(drive) : xasprintf("%s-fmt%zu", drive, i);
		_cleanup_free_ char *backing = NULL;
		unsigned set = (*fdset)++;
		int fd;

		if (!fmt || (!streq(fmt, "raw") && !streq(fmt, "qcow2")))
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
					    "disk '%s': backing layer %zu of volume '%s' has format '%s' (raw and qcow2 are supported)",
					    d->target_dev, i, d->src_volume, fmt ? fmt : "");
		if (i > 0 && !l->read_only)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EBADF,
					    "disk '%s': backing layer %zu of volume '%s' was opened read-write",
					    d->target_dev, i, d->src_volume);
		fd = command_pass_fd(c, l->fd);
		l->fd = -1;
		if (fd < 0)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, -fd,
					    "disk '%s': too many file descriptors for QEMU", d->target_dev);
		command_add_opt(c, "-add-fd", "fd=%d,set=%u,opaque=%s-layer%zu", fd, set, d->target_dev, i);
		command_add_opt(c, "-blockdev", "driver=file,filename=/dev/fdset/%u,node-name=%s-file%zu,read-only=%s%s%s",
				set, drive, i, ro, cache, i == 0 && d->discard_unmap ? ",discard=unmap" : "");
		if (streq(fmt, "qcow2"))
			backing = i + 1 < n ? xasprintf(",backing=%s-fmt%zu", drive, i + 1) : xstrdup(",backing=");
		command_add_opt(c, "-blockdev", "driver=%s,file=%s-file%zu,node-name=%s,read-only=%s%s%s%s", fmt, drive, i,
				node, ro, cache, i == 0 && d->discard_unmap ? ",discard=unmap" : "", backing ? backing : "");
	}
	return 0;
}

/* Where an IDE or SATA disk sits: its drive address, or what its name says (hdc: bus 1 unit 0;
 * sdc: port 2). */
static int drive_position(const struct domain_disk *d, enum domain_disk_bus bus, int idx, unsigned *b, unsigned *u,
			  struct sv_error *err)
{
	const struct domain_address *a = &d->addr;

	if (a->type && a->type != DOMAIN_ADDRESS_DRIVE)
		return UNSUPPORTED(err, "disk '%s': only a drive address is supported on bus '%s'", d->target_dev,
				   domain_disk_bus_to_string(bus));
	if (bus == DOMAIN_DISK_BUS_IDE) {
		*b = a->type ? a->bus : (unsigned)idx / 2;
		*u = a->type ? a->unit : (unsigned)idx % 2;
		if (*b > 1 || *u > 1 || (a->type && (a->controller || a->target)))
			return UNSUPPORTED(err, "disk '%s': the IDE bus has only hda to hdd (buses 0-1, units 0-1)",
					   d->target_dev);
		return 0;
	}
	*b = a->type ? a->controller : 0;
	*u = a->type ? a->unit : (unsigned)idx;
	if (*u > 5 || (a->type && (a->bus || a->target)))
		return UNSUPPORTED(err, "disk '%s': a SATA controller has units 0 to 5", d->target_dev);
	return 0;
}

/* "ide-hd,bus=ide.1,unit=0,drive=...,id=ide0-1-0" or the SATA one: q35's own AHCI (bus ide.N) or
 * an ich9-ahci controller sataC (bus sataC.N). */
static int ide_device(const struct domain_def *def, const struct domain_disk *d, enum domain_disk_bus bus, int idx,
		      char **drive, char **dev, const char *boot, struct sv_error *err)
{
	const char *kind = d->device == DOMAIN_DISK_DEVICE_CDROM ? "ide-cd" : "ide-hd";
	bool q35 = qemud_argv_is_q35(def);
	unsigned b = 0, u = 0;
	int r = drive_position(d, bus, idx, &b, &u, err);

	if (r < 0)
		return r;
	if (bus == DOMAIN_DISK_BUS_IDE) {
		if (q35)
			return UNSUPPORTED(err, "disk '%s': machine '%s' has no IDE bus (use bus 'sata')", d->target_dev,
					   def->os.machine);
		*drive = xasprintf("drive-ide0-%u-%u", b, u);
		*dev = xasprintf("%s,bus=ide.%u,unit=%u,drive=%s,id=ide0-%u-%u%s", kind, b, u, *drive, b, u, boot);
		return 0;
	}
	if (!(q35 && b == 0) && !qemud_argv_controller(def, DOMAIN_CONTROLLER_SATA, b))
		return UNSUPPORTED(err, "disk '%s': no SATA controller %u (machine '%s' has none of its own)", d->target_dev, b,
				   def->os.machine ? def->os.machine : "pc");
	*drive = xasprintf("drive-sata%u-0-%u", b, u);
	if (q35 && b == 0)
		*dev = xasprintf("%s,bus=ide.%u,drive=%s,id=sata0-0-%u%s", kind, u, *drive, u, boot);
	else
		*dev = xasprintf("%s,bus=sata%u.%u,drive=%s,id=sata%u-0-%u%s", kind, b, u, *drive, b, u, boot);
	return 0;
}

/* A SCSI disk or cdrom on controller scsiC: its drive address, or libvirt's choice for sdX (seven
 * units per controller). LSI's bus takes a target per disk, virtio-scsi's a LUN. */
static int scsi_device(const struct domain_def *def, const struct domain_disk *d, int idx, char **drive, char **dev,
		       const char *boot, struct sv_error *err)
{
	const struct domain_address *a = &d->addr;
	const char *kind = d->device == DOMAIN_DISK_DEVICE_CDROM ? "scsi-cd" : "scsi-hd";
	unsigned ctl = a->type ? a->controller : (unsigned)idx / 7, target = a->type ? a->target : 0;
	unsigned unit = a->type ? a->unit : (unsigned)idx % 7;
	const struct domain_controller *sc = qemud_argv_controller(def, DOMAIN_CONTROLLER_SCSI, ctl);
	bool virtio = sc && sc->model && streq(sc->model, "virtio-scsi");

	if (a->type && a->type != DOMAIN_ADDRESS_DRIVE)
		return UNSUPPORTED(err, "disk '%s': only a drive address is supported on bus 'scsi'", d->target_dev);
	if (!sc && ctl != 0)
		return UNSUPPORTED(err, "disk '%s': no scsi controller %u", d->target_dev, ctl);
	if (a->type && a->bus)
		return UNSUPPORTED(err, "disk '%s': SCSI bus %u does not exist (each controller has bus 0)", d->target_dev,
				   a->bus);
	if (!virtio && (target || unit > 6))
		return UNSUPPORTED(err, "disk '%s': an LSI controller has units 0 to 6 (target 0)", d->target_dev);
	*drive = xasprintf("drive-scsi%u-0-%u-%u", ctl, target, unit);
	if (virtio)
		*dev = xasprintf("%s,bus=scsi%u.0,channel=0,scsi-id=%u,lun=%u,drive=%s,id=scsi%u-0-%u-%u%s", kind, ctl,
				 target, unit, *drive, ctl, target, unit, boot);
	else
		*dev = xasprintf("%s,bus=scsi%u.0,scsi-id=%u,drive=%s,id=scsi%u-0-%u-%u%s", kind, ctl, unit, *drive, ctl,
				 target, unit, boot);
	return 0;
}

static int add_disk(struct command *c, const struct domain_def *def, const struct domain_disk *d,
		    struct qemud_argv_volume *vol, bool dry_run, unsigned *fdset, struct qemud_pci_alloc *pci,
		    struct sv_error *err)
{
	enum domain_disk_bus bus = qemud_argv_disk_bus(d);
	int idx = qemud_argv_disk_index(d->target_dev), r;
	const char *cache = disk_cache(d->cache);
	const char *fmt = d->format == DOMAIN_DISK_FORMAT_QCOW2 ? "qcow2" : "raw";
	_cleanup_free_ char *drive = NULL, *dev = NULL, *src = NULL, *addr = NULL;
	_cleanup_free_ char *boot = d->boot_order ? xasprintf(",bootindex=%u", d->boot_order) : xstrdup("");

	if (d->type == DOMAIN_DISK_TYPE_NETWORK)
		return UNSUPPORTED(err, "disk '%s': network disks (protocol '%s') are not supported by sepvirt-qemud",
				   d->target_dev, d->src_protocol ? d->src_protocol : "none");
	if (d->device == DOMAIN_DISK_DEVICE_FLOPPY)
		return UNSUPPORTED(err, "disk '%s': floppy disks are not supported", d->target_dev);
	if (idx < 0)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_XML, EINVAL, "disk target dev '%s' is not a disk name",
				    d->target_dev);
	if (d->src_path)
		src = qemud_argv_escape(d->src_path);
	switch (bus) {
	case DOMAIN_DISK_BUS_VIRTIO:
		if (d->device != DOMAIN_DISK_DEVICE_DISK)
			return UNSUPPORTED(err, "disk '%s': a cdrom cannot be on the virtio bus", d->target_dev);
		if ((r = qemud_pci_addr(pci, def, &d->addr, d->target_dev, &addr, err)) < 0)
			return r;
		drive = xasprintf("drive-virtio-disk%d", idx);
		dev = xasprintf("virtio-blk-pci,drive=%s,id=virtio-disk%d%s%s", drive, idx, boot, addr);
		break;
	case DOMAIN_DISK_BUS_IDE:
	case DOMAIN_DISK_BUS_SATA:
		if ((r = ide_device(def, d, bus, idx, &drive, &dev, boot, err)) < 0)
			return r;
		break;
	case DOMAIN_DISK_BUS_SCSI:
		if ((r = scsi_device(def, d, idx, &drive, &dev, boot, err)) < 0)
			return r;
		break;
	default:
		return UNSUPPORTED(err, "disk '%s': bus '%s' is not supported (virtio, ide, sata and scsi are)", d->target_dev,
				   bus == DOMAIN_DISK_BUS_NONE ? "none" : domain_disk_bus_to_string(bus));
	}
	if (d->type == DOMAIN_DISK_TYPE_VOLUME) {
		bool ro = d->readonly || d->device == DOMAIN_DISK_DEVICE_CDROM;
		const char *wc = d->cache == DOMAIN_DISK_CACHE_WRITETHROUGH || d->cache == DOMAIN_DISK_CACHE_DIRECTSYNC
					 ? ",write-cache=off" : "";

		if ((r = add_volume(c, d, drive, vol, ro, dry_run, fdset, err)) < 0)
			return r;
		command_add_opt(c, "-device", "%s%s", dev, wc);
		return 0;
	}
	if (!src && d->device != DOMAIN_DISK_DEVICE_CDROM)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_XML, EINVAL, "disk '%s' has no source", d->target_dev);
	if (src) {
		/* The spawner opens the image (QEMU's uid may not, and QEMU never opens a host path):
		 * QEMU gets it as an fd set. */
		bool ro = d->readonly || d->device == DOMAIN_DISK_DEVICE_CDROM;
		unsigned set = (*fdset)++;
		int fd = command_pass_path(c, d->src_path, ro);
		if (fd < 0)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, -fd,
					    "disk '%s': too many file descriptors for QEMU", d->target_dev);
		command_add_opt(c, "-add-fd", "fd=%d,set=%u,opaque=%s-image", fd, set, d->target_dev);
		/* auto-read-only would open the fd set read-only first, and it holds only the
		 * read-write fd. */
		command_add_opt(c, "-drive", "file=/dev/fdset/%u,format=%s,if=none,id=%s%s%s%s%s", set, fmt, drive,
				cache ? ",cache=" : "", cache ? cache : "", d->discard_unmap ? ",discard=unmap" : "",
				ro ? ",readonly=on" : ",file.auto-read-only=off");
	} else
		command_add_opt(c, "-drive", "if=none,id=%s,readonly=on", drive);
	command_add_opt(c, "-device", "%s", dev);
	return 0;
}

int qemud_argv_disk_device_id(const struct domain_def *def, const struct domain_disk *d, char **out,
			      struct sv_error *err)
{
	enum domain_disk_bus bus = qemud_argv_disk_bus(d);
	int idx = qemud_argv_disk_index(d->target_dev), r;
	_cleanup_free_ char *drive = NULL, *dev = NULL;
	const char *id;

	if (idx < 0)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_XML, EINVAL, "disk target dev '%s' is not a disk name",
				    d->target_dev);
	if (bus == DOMAIN_DISK_BUS_VIRTIO) {
		*out = xasprintf("virtio-disk%d", idx);
		return 0;
	}
	if (bus == DOMAIN_DISK_BUS_IDE || bus == DOMAIN_DISK_BUS_SATA)
		r = ide_device(def, d, bus, idx, &drive, &dev, "", err);
	else if (bus == DOMAIN_DISK_BUS_SCSI)
		r = scsi_device(def, d, idx, &drive, &dev, "", err);
	else
		return UNSUPPORTED(err, "disk '%s': bus '%s' is not supported (virtio, ide, sata and scsi are)",
				   d->target_dev, bus == DOMAIN_DISK_BUS_NONE ? "none" : domain_disk_bus_to_string(bus));
	if (r < 0)
		return r;
	id = strstr(dev, ",id=");
	*out = id ? xstrndup(id + 4, strcspn(id + 4, ",")) : xstrdup(drive);
	return 0;
}

static const char *nic_device(const char *model)
{
	if (!model)
		return "rtl8139"; /* libvirt's default for x86 */
	if (streq(model, "virtio"))
		return "virtio-net-pci";
	if (streq(model, "e1000") || streq(model, "e1000e") || streq(model, "rtl8139"))
		return model;
	return NULL;
}

static int add_interface(struct command *c, const struct domain_def *def, size_t i, struct qemud_argv_fds *fds,
			 struct qemud_pci_alloc *pci, struct sv_error *err)
{
	const struct domain_interface *n = &def->interfaces[i];
	const char *dev = nic_device(n->model);
	char mac[SV_MAC_STRING_LEN];
	_cleanup_free_ char *extra = xstrdup(""), *addr = NULL;
	int r;

	if (!dev)
		return UNSUPPORTED(err, "interface model '%s' is not supported (virtio, e1000, e1000e, rtl8139 are)",
				   n->model);
	if (n->guest_dev)
		return UNSUPPORTED(err, "element 'interface/guest' (dev '%s') names an interface inside a container; "
				   "QEMU domains have none", n->guest_dev);
	if (n->type == DOMAIN_NET_USER) {
		command_add_opt(c, "-netdev", "user,id=hostnet%zu", i);
	} else {
		int tap = fds->taps[i], vhost = fds->vhosts ? fds->vhosts[i] : -1;
		fds->taps[i] = -1;
		if (tap < 0 && !fds->dry_run)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EBADF,
					    "interface %zu has no tap fd", i);
		tap = command_pass_fd(c, tap);
		if ((vhost >= 0 || vhost == QEMUD_ARGV_VHOST_BY_SPAWNER || (fds->dry_run && fds->vhosts)) &&
		    streq(dev, "virtio-net-pci")) {
			fds->vhosts[i] = -1;
			vhost = vhost == QEMUD_ARGV_VHOST_BY_SPAWNER ? command_pass_path(c, "/dev/vhost-net", false)
								     : command_pass_fd(c, vhost);
			command_add_opt(c, "-netdev", "tap,fd=%d,id=hostnet%zu,vhost=on,vhostfd=%d", tap, i, vhost);
		} else {
			command_add_opt(c, "-netdev", "tap,fd=%d,id=hostnet%zu", tap, i);
		}
	}
	if (n->mtu && streq(dev, "virtio-net-pci"))
		qemud_argv_append(&extra, ",host_mtu=%u", n->mtu);
	if (n->boot_order)
		qemud_argv_append(&extra, ",bootindex=%u", n->boot_order);
	if ((r = qemud_pci_addr(pci, def, &n->addr, "interface", &addr, err)) < 0)
		return r;
	sv_mac_format(n->mac, mac);
	command_add_opt(c, "-device", "%s,netdev=hostnet%zu,id=net%zu,mac=%s%s%s", dev, i, i, mac, extra, addr);
	return 0;
}

/* fd: what qemud opened for a file or unix chardev (-1 in a dry run). QEMU opens no path: a
 * file comes as an fd set, a socket as fd=N. */
static int add_chardev(struct command *c, const struct domain_chr *chr, const char *id, int fd, bool dry_run,
		       unsigned *fdset, struct sv_error *err)
{
	unsigned set;
	int n;

	switch (chr->type) {
	case DOMAIN_CHR_PTY:
		command_add_opt(c, "-chardev", "pty,id=%s", id);
		return 0;
	case DOMAIN_CHR_FILE:
	case DOMAIN_CHR_UNIX:
		if (!chr->path)
			break;
		if (fd < 0 && !dry_run)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EBADF, "character device '%s' ('%s') is not open",
					    id, chr->path);
		n = command_pass_fd(c, fd);
		if (n < 0)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, -n,
					    "character device '%s': too many file descriptors for QEMU", id);
		if (chr->type == DOMAIN_CHR_FILE) {
			set = (*fdset)++;
			command_add_opt(c, "-add-fd", "fd=%d,set=%u,opaque=%s", n, set, id);
			command_add_opt(c, "-chardev", "file,id=%s,path=/dev/fdset/%u", id, set);
		} else if (chr->unix_listen) {
			command_add_opt(c, "-chardev", "socket,id=%s,fd=%d,server=on,wait=off", id, n);
		} else {
			command_add_opt(c, "-chardev", "socket,id=%s,fd=%d", id, n);
		}
		return 0;
	default:
		return UNSUPPORTED(err, "character device type '%s' is not supported", domain_chr_type_to_string(chr->type));
	}
	return sv_error_set(err, SV_FROM_QEMU, SV_ERR_XML, EINVAL, "character device of type '%s' needs a source path",
			    domain_chr_type_to_string(chr->type));
}

static bool serial_target(const struct domain_chr *chr)
{
	return chr->target_type == DOMAIN_CHR_TARGET_NONE || chr->target_type == DOMAIN_CHR_TARGET_SERIAL ||
	       chr->target_type == DOMAIN_CHR_TARGET_ISA_SERIAL;
}

static int take_fd(int *fds, size_t i)
{
	int fd = fds ? fds[i] : -1;

	if (fds)
		fds[i] = -1;
	return fd;
}

static int add_serial(struct command *c, const struct domain_chr *chr, size_t i, int fd, bool dry_run, unsigned *fdset,
		      struct sv_error *err)
{
	_cleanup_free_ char *id = xasprintf("charserial%zu", i);
	int r;

	if (!serial_target(chr))
		return UNSUPPORTED(err, "serial target type is not supported (isa-serial is)");
	if (chr->target_model && !streq(chr->target_model, "isa-serial"))
		return UNSUPPORTED(err, "serial target model '%s' is not supported (isa-serial is)", chr->target_model);
	if (chr->addr.type)
		return UNSUPPORTED(err, "serial %zu: element 'address' is not supported on an isa-serial port", i);
	r = add_chardev(c, chr, id, fd, dry_run, fdset, err);
	if (r < 0)
		return r;
	command_add_opt(c, "-device", "isa-serial,chardev=%s,id=serial%zu", id, i);
	return 0;
}

static int add_consoles(struct command *c, const struct domain_def *def, struct qemud_argv_fds *fds, unsigned *fdset,
			struct sv_error *err)
{
	int r;

	for (size_t i = 0; i < def->nconsoles; i++) {
		const struct domain_chr *con = &def->consoles[i];
		_cleanup_free_ char *id = xasprintf("charconsole%zu", i);

		/* The first console on a serial target is the first serial port itself (libvirt). */
		if (i == 0 && serial_target(con)) {
			if (def->nserials == 0 &&
			    (r = add_serial(c, con, 0, take_fd(fds->consoles, 0), fds->dry_run, fdset, err)) < 0)
				return r;
			continue;
		}
		if (con->target_type != DOMAIN_CHR_TARGET_VIRTIO)
			return UNSUPPORTED(err, "console %zu: only the first console may be a serial port; "
					   "others need target type 'virtio'", i);
		r = add_chardev(c, con, id, take_fd(fds->consoles, i), fds->dry_run, fdset, err);
		if (r < 0)
			return r;
		if (con->addr.type && con->addr.type != DOMAIN_ADDRESS_VIRTIO_SERIAL)
			return UNSUPPORTED(err, "console %zu: only a virtio-serial address is supported", i);
		if (con->addr.type)
			command_add_opt(c, "-device", "virtconsole,bus=virtio-serial%u.%u,nr=%u,chardev=%s,id=console%zu",
					con->addr.controller, con->addr.bus, con->addr.port, id, i);
		else
			command_add_opt(c, "-device", "virtconsole,chardev=%s,id=console%zu", id, i);
	}
	return 0;
}

/* <channel>s: ports of the virtio-serial bus, numbered from 1 as libvirt does. */
static int add_channels(struct command *c, const struct domain_def *def, struct qemud_argv_fds *fds, unsigned *fdset,
			struct sv_error *err)
{
	bool taken[32] = { false }; /* ports of virtio-serial0.0 given in the XML; the others fill the gaps */
	const struct domain_controller *vs0 = qemud_argv_controller(def, DOMAIN_CONTROLLER_VIRTIO_SERIAL, 0);
	unsigned next = 1, limit = vs0 && vs0->ports ? vs0->ports : ARRAY_SIZE(taken);

	for (size_t i = 0; i < def->nchannels; i++) {
		const struct domain_address *a = &def->channels[i].addr;

		if (a->type == DOMAIN_ADDRESS_VIRTIO_SERIAL && !a->controller && !a->bus && a->port) {
			if (a->port >= limit)
				return UNSUPPORTED(err, "channel %zu: virtio-serial0.0 has ports 1 to %u, not %u", i, limit - 1,
						   a->port);
			if (taken[a->port])
				return UNSUPPORTED(err, "channel %zu: virtio-serial port %u is given twice", i, a->port);
			taken[a->port] = true;
		}
	}
	for (size_t i = 0; i < def->nchannels; i++) {
		const struct domain_chr *ch = &def->channels[i];
		const struct domain_address *a = &ch->addr;
		_cleanup_free_ char *id = xasprintf("charchannel%zu", i);
		_cleanup_free_ char *name = ch->target_name ? xasprintf(",name=%s", ch->target_name) : xstrdup("");
		int r;

		if (a->type && a->type != DOMAIN_ADDRESS_VIRTIO_SERIAL)
			return UNSUPPORTED(err, "channel %zu: only a virtio-serial address is supported", i);
		if (a->type && !qemud_argv_controller(def, DOMAIN_CONTROLLER_VIRTIO_SERIAL, a->controller) && a->controller)
			return UNSUPPORTED(err, "channel %zu: no virtio-serial controller %u", i, a->controller);
		struct domain_chr bound = *ch;

		/* a unix channel without path gets one from qemud at start (lifecycle.c); a dry run has none */
		if (ch->type == DOMAIN_CHR_UNIX && !ch->path && !fds->dry_run)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EINVAL, "channel %zu has no socket path", i);
		if (!bound.path && ch->type == DOMAIN_CHR_UNIX)
			bound.path = (char *)"(bound by qemud at start)";
		if ((r = add_chardev(c, &bound, id, take_fd(fds->channels, i), fds->dry_run, fdset, err)) < 0)
			return r;
		unsigned nr = a->type && a->port ? a->port : 0;

		for (; !nr && next < limit; next++)
			if (!taken[next])
				nr = next;
		if (!nr)
			return UNSUPPORTED(err, "channel %zu: no free port left on virtio-serial0.0 (it has %u)", i, limit);
		command_add_opt(c, "-device", "virtserialport,bus=virtio-serial%u.%u,nr=%u,chardev=%s,id=channel%zu%s",
				a->type ? a->controller : 0, a->type ? a->bus : 0, nr, id, i, name);
	}
	return 0;
}

int qemud_argv_build(const struct domain_def *def, const char *emulator, struct qemud_argv_fds *fds,
		     struct command **out, struct sv_error *err)
{
	_cleanup_command_ struct command *c = command_new(emulator);
	_cleanup_free_ char *name = qemud_argv_escape(def->name), *pflash = NULL;
	char uuid[SV_UUID_STRING_LEN];
	struct qemud_pci_alloc pci;
	unsigned fdset = 1;
	int qmp, r;

	if (def->nfilesystems)
		return UNSUPPORTED(err, "<filesystem> is not supported for QEMU domains");
	command_add_env(c, "LC_ALL", "C");
	command_add_env(c, "PATH", "/usr/bin:/bin");
	command_add_opt(c, "-name", "guest=%s,debug-threads=on", name);
	/* Paused until qemud has the monitor: no guest instruction runs unsupervised. */
	command_add_arg(c, "-S");
	r = qemud_argv_check_clock(def, err);
	if (r >= 0)
		r = qemud_argv_add_firmware(c, def, fds, &fdset, &pflash, err);
	if (r >= 0)
		r = add_machine(c, def, pflash, err);
	if (r >= 0)
		r = add_cpu(c, def, err);
	if (r < 0)
		return r;
	sv_uuid_format(def->uuid, uuid);
	command_add_opt(c, "-uuid", "%s", uuid);
	command_add_arg(c, "-no-user-config");
	command_add_arg(c, "-nodefaults");
	if (fds->qmp_listen < 0 && !fds->dry_run)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EBADF, "no monitor socket");
	qmp = command_pass_fd(c, fds->qmp_listen);
	fds->qmp_listen = -1;
	command_add_opt(c, "-chardev", "socket,id=charmonitor,fd=%d,server=on,wait=off", qmp);
	command_add_opt(c, "-mon", "chardev=charmonitor,id=monitor,mode=control");
	qemud_argv_add_clock(c, def);
	/* The guest powering off stops QEMU instead of ending it: qemud applies on_poweroff
	 * (and completes a reboot done by power-down and reset, as libvirt does). */
	command_add_arg(c, "-no-shutdown");
	if (def->on_reboot == DOMAIN_LIFECYCLE_DESTROY)
		command_add_arg(c, "-no-reboot");
	qemud_argv_add_pm(c, def);
	if ((r = add_boot(c, def, err)) < 0 || (r = qemud_pci_alloc_init(&pci, def, err)) < 0 ||
	    (r = qemud_argv_check_usb(def, err)) < 0)
		return r;
	r = qemud_argv_add_controllers(c, def, &pci, err);
	for (size_t i = 0; r >= 0 && i < def->ndisks; i++)
		r = add_disk(c, def, &def->disks[i], fds->volumes ? &fds->volumes[i] : NULL, fds->dry_run, &fdset, &pci,
			     err);
	for (size_t i = 0; r >= 0 && i < def->ninterfaces; i++)
		r = add_interface(c, def, i, fds, &pci, err);
	for (size_t i = 0; r >= 0 && i < def->nserials; i++)
		r = add_serial(c, &def->serials[i], i, take_fd(fds->serials, i), fds->dry_run, &fdset, err);
	if (r >= 0)
		r = add_consoles(c, def, fds, &fdset, err);
	if (r >= 0)
		r = add_channels(c, def, fds, &fdset, err);
	if (r >= 0)
		r = qemud_argv_add_hubs(c, def, err);
	if (r >= 0)
		r = qemud_argv_add_inputs(c, def, &pci, err);
	if (r >= 0) {
		qemud_argv_add_audio(c, def);
		qemud_argv_add_graphics(c, def);
		r = qemud_argv_add_videos(c, def, &pci, err);
	}
	if (r >= 0)
		r = qemud_argv_add_watchdog(c, def, &pci, err);
	if (r >= 0)
		r = qemud_argv_add_memballoon(c, def, &pci, err);
	if (r >= 0)
		r = qemud_argv_add_rngs(c, def, &pci, &fdset, err);
	if (r >= 0)
		qemud_argv_add_panic(c, def);
	if (r < 0)
		return r;
	/* no window on the host: a guest display is reached through VNC */
	command_add_opt(c, "-display", "none");
	/* QEMU's own seccomp filter: no obsolete syscalls, no setuid, no fork/exec, no
	 * scheduler or CPU-affinity changes. */
	command_add_opt(c, "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
	command_add_opt(c, "-msg", "timestamp=on");
	if (fds->incoming) {
		int in = command_pass_fd(c, fds->incoming_fd);

		fds->incoming = false;
		if (in < 0)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, -in, "cannot pass the saved state to QEMU");
		command_add_opt(c, "-incoming", "fd:%d", in);
	}
	*out = TAKE_PTR(c);
	return 0;
}
