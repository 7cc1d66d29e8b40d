// SPDX-License-Identifier: LGPL-2.1-or-later
/* <controller>s on QEMU's command line, with libvirt's device names and ids (usb, pci.N,
 * virtio-serialN, scsiN, sataN). Controllers the machine has built in (the PCI root, pc's IDE and
 * floppy controllers, q35's SATA) need no option; any other model is refused by name. */
#include "config.h"

#include <stdio.h>

#include "argv.h"

#define UNSUPPORTED(err, ...) sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, __VA_ARGS__)

static const char *const type_names[DOMAIN_CONTROLLER_LAST] = {
	"usb", "pci", "virtio-serial", "scsi", "ide", "sata", "fdc",
};

/* A model attribute and the QEMU device it names. */
struct model_map {
	const char *model, *device;
};

static const struct model_map usb_models[] = {
	{ "piix3-uhci", "piix3-usb-uhci" }, { "piix4-uhci", "piix4-usb-uhci" }, { "ehci", "usb-ehci" },
	{ "ich9-ehci1", "ich9-usb-ehci1" }, { "qemu-xhci", "qemu-xhci" },        { "nec-xhci", "nec-usb-xhci" },
};

static const struct model_map pci_models[] = {
	{ "pci-bridge", "pci-bridge" },
	{ "pcie-root-port", "pcie-root-port" },
	{ "dmi-to-pci-bridge", "i82801b11-bridge" },
	{ "pcie-to-pci-bridge", "pcie-pci-bridge" },
};

static const char *device_of(const struct model_map *map, size_t n, const char *model)
{
	for (size_t i = 0; i < n; i++)
		if (streq(map[i].model, model))
			return map[i].device;
	return NULL;
}

const struct domain_controller *qemud_argv_controller(const struct domain_def *def, enum domain_controller_type t,
						      unsigned index)
{
	for (size_t i = 0; i < def->ncontrollers; i++)
		if (def->controllers[i].type == t && def->controllers[i].index == index &&
		    def->controllers[i].master_startport < 0)
			return &def->controllers[i];
	return NULL;
}

/* libvirt's default: PIIX3's UHCI on pc, an XHCI controller on q35. */
static const char *usb_default(const struct domain_def *def)
{
	return qemud_argv_is_q35(def) ? "qemu-xhci" : "piix3-uhci";
}

bool qemud_argv_has_usb(const struct domain_def *def)
{
	const struct domain_controller *usb = qemud_argv_controller(def, DOMAIN_CONTROLLER_USB, 0);

	return !usb || !usb->model || !streq(usb->model, "none");
}

/* ICH9's UHCI companions of an EHCI master: the low-speed ports firstport.. of masterbus. */
static int add_usb_companion(struct command *c, const struct domain_def *def, const struct domain_controller *ctl,
			     struct qemud_pci_alloc *pci, struct sv_error *err)
{
	const struct domain_controller *master = qemud_argv_controller(def, DOMAIN_CONTROLLER_USB, ctl->index);
	const char *model = ctl->model ? ctl->model : "";
	_cleanup_free_ char *addr = NULL, *bus = ctl->index ? xasprintf("usb%u", ctl->index) : xstrdup("usb");
	int r;

	if (!startswith(model, "ich9-uhci") || model[strlen("ich9-uhci")] < '1' || model[strlen("ich9-uhci")] > '6' ||
	    model[strlen("ich9-uhci") + 1])
		return UNSUPPORTED(err, "usb controller model '%s' cannot be a companion (ich9-uhci1 to 6 can)", model);
	if (!master || !master->model || !streq(master->model, "ich9-ehci1"))
		return UNSUPPORTED(err, "usb companion '%s' needs an ich9-ehci1 controller with index %u", model, ctl->index);
	if ((r = qemud_pci_addr(pci, def, &ctl->addr, "usb companion", &addr, err)) < 0)
		return r;
	command_add_opt(c, "-device", "ich9-usb-uhci%c,masterbus=%s.0,firstport=%d%s", model[strlen("ich9-uhci")], bus,
			ctl->master_startport, addr);
	return 0;
}

static int add_usb(struct command *c, const struct domain_def *def, const struct domain_controller *ctl,
		   struct qemud_pci_alloc *pci, struct sv_error *err)
{
	if (ctl && ctl->master_startport >= 0)
		return add_usb_companion(c, def, ctl, pci, err);
	static const struct domain_controller dflt = { .type = DOMAIN_CONTROLLER_USB };
	const char *model = ctl && ctl->model ? ctl->model : usb_default(def);
	const char *dev = device_of(usb_models, ARRAY_SIZE(usb_models), model);
	_cleanup_free_ char *id = NULL, *addr = NULL, *ports = NULL;
	int r;

	if (streq(model, "none"))
		return 0;
	if (!dev)
		return UNSUPPORTED(err, "usb controller model '%s' is not supported (piix3-uhci, piix4-uhci, ehci, "
				   "ich9-ehci1, qemu-xhci, nec-xhci are)", model);
	if (!ctl)
		ctl = &dflt;
	id = ctl->index ? xasprintf("usb%u", ctl->index) : xstrdup("usb");
	/* pc's PIIX3 has its UHCI as function 2 of the ISA bridge's slot. */
	if (!ctl->addr.type && streq(dev, "piix3-usb-uhci") && !qemud_argv_is_q35(def))
		addr = xstrdup(",bus=pci.0,addr=0x1.0x2");
	else if ((r = qemud_pci_addr(pci, def, &ctl->addr, "usb controller", &addr, err)) < 0)
		return r;
	if (ctl->ports && strstr(dev, "xhci"))
		ports = xasprintf(",p2=%u,p3=%u", ctl->ports, ctl->ports);
	else if (ctl->ports)
		return UNSUPPORTED(err, "usb controller model '%s': attribute 'ports' is not supported (xhci models only)",
				   model);
	command_add_opt(c, "-device", "%s,id=%s%s%s", dev, id, ports ? ports : "", addr);
	return 0;
}

static int add_pci(struct command *c, const struct domain_def *def, const struct domain_controller *ctl,
		   struct qemud_pci_alloc *pci, struct sv_error *err)
{
	const char *root = qemud_argv_is_q35(def) ? "pcie-root" : "pci-root";
	const char *dev = NULL, *model = ctl->model;
	_cleanup_free_ char *addr = NULL;
	unsigned chassis = ctl->chassis >= 0 ? (unsigned)ctl->chassis : ctl->index;
	int r;

	if (ctl->index == 0) {
		if (model && !streq(model, root))
			return UNSUPPORTED(err, "pci controller index 0 must be '%s' on this machine, not '%s'", root, model);
		return 0;
	}
	if (!model)
		return UNSUPPORTED(err, "pci controller index %u needs a model", ctl->index);
	if (!(dev = device_of(pci_models, ARRAY_SIZE(pci_models), model)))
		return UNSUPPORTED(err, "pci controller model '%s' is not supported (pci-bridge, pcie-root-port, "
				   "dmi-to-pci-bridge, pcie-to-pci-bridge are)", model);
	if (ctl->model_name && streq(model, "pcie-root-port") && streq(ctl->model_name, "ioh3420"))
		dev = "ioh3420";
	else if (ctl->model_name && !streq(ctl->model_name, dev))
		return UNSUPPORTED(err, "pci controller model name '%s' is not supported for model '%s'",
				   ctl->model_name, model);
	if (ctl->busnr >= 0)
		return UNSUPPORTED(err, "pci controller %u: attribute 'busNr' of element 'target' is not supported",
				   ctl->index);
	if ((r = qemud_pci_addr(pci, def, &ctl->addr, "pci controller", &addr, err)) < 0)
		return r;
	if (streq(model, "pci-bridge"))
		command_add_opt(c, "-device", "%s,chassis_nr=%u,id=pci.%u%s", dev, chassis, ctl->index, addr);
	else if (streq(model, "pcie-root-port"))
		command_add_opt(c, "-device", "%s,port=0x%x,chassis=%u,id=pci.%u%s", dev,
				ctl->port >= 0 ? (unsigned)ctl->port : 0x10 + ctl->index, chassis, ctl->index, addr);
	else
		command_add_opt(c, "-device", "%s,id=pci.%u%s", dev, ctl->index, addr);
	return 0;
}

static int add_other(struct command *c, const struct domain_def *def, const struct domain_controller *ctl,
		     struct qemud_pci_alloc *pci, struct sv_error *err)
{
	const char *type = type_names[ctl->type], *model = ctl->model;
	bool q35 = qemud_argv_is_q35(def);
	_cleanup_free_ char *addr = NULL, *extra = NULL;
	const char *dev;
	int r;

	/* the chipset's own controllers sit where the chipset has them (reserve() checked the function) */
	bool builtin_addr_ok = !ctl->addr.type || (ctl->addr.type == DOMAIN_ADDRESS_PCI && ctl->addr.bus == 0 &&
						   ctl->addr.slot == (q35 ? 0x1fU : 1U));

	switch (ctl->type) {
	case DOMAIN_CONTROLLER_IDE:
	case DOMAIN_CONTROLLER_FDC:
		if (ctl->index != 0 || q35)
			return UNSUPPORTED(err, "%s controller %u is not supported on this machine", type, ctl->index);
		if (!builtin_addr_ok || (ctl->type == DOMAIN_CONTROLLER_FDC && ctl->addr.type))
			return UNSUPPORTED(err, "%s controller 0 is the machine's own: its address cannot be changed", type);
		return 0; /* pc's own */
	case DOMAIN_CONTROLLER_SATA:
		if (ctl->index == 0 && q35) {
			if (!builtin_addr_ok)
				return UNSUPPORTED(err, "sata controller 0 is the machine's own: its address cannot be changed");
			return 0; /* q35's ICH9 AHCI, bus ide */
		}
		dev = "ich9-ahci";
		extra = xstrdup("");
		break;
	case DOMAIN_CONTROLLER_VIRTIO_SERIAL:
		dev = "virtio-serial-pci";
		extra = xstrdup("");
		if (ctl->ports)
			qemud_argv_append(&extra, ",max_ports=%u", ctl->ports);
		if (ctl->vectors)
			qemud_argv_append(&extra, ",vectors=%u", ctl->vectors);
		break;
	case DOMAIN_CONTROLLER_SCSI:
		/* libvirt's default for x86 is the LSI one */
		if (!model || streq(model, "lsilogic"))
			dev = "lsi53c895a";
		else if (streq(model, "virtio-scsi"))
			dev = "virtio-scsi-pci";
		else
			return UNSUPPORTED(err, "scsi controller model '%s' is not supported (lsilogic, virtio-scsi are)", model);
		if (ctl->vectors && !streq(dev, "virtio-scsi-pci"))
			return UNSUPPORTED(err, "scsi controller model '%s': attribute 'vectors' is not supported", model);
		extra = ctl->vectors ? xasprintf(",vectors=%u", ctl->vectors) : xstrdup("");
		break;
	default:
		return UNSUPPORTED(err, "controller type '%s' is not supported", type);
	}
	if (ctl->type != DOMAIN_CONTROLLER_VIRTIO_SERIAL && ctl->ports)
		return UNSUPPORTED(err, "%s controller: attribute 'ports' is not supported", type);
	if (model && ctl->type != DOMAIN_CONTROLLER_SCSI)
		return UNSUPPORTED(err, "%s controller model '%s' is not supported", type, model);
	if ((r = qemud_pci_addr(pci, def, &ctl->addr, type, &addr, err)) < 0)
		return r;
	command_add_opt(c, "-device", "%s,id=%s%u%s%s", dev,
			ctl->type == DOMAIN_CONTROLLER_SCSI ? "scsi" : ctl->type == DOMAIN_CONTROLLER_SATA ? "sata"
												: "virtio-serial",
			ctl->index, extra, addr);
	return 0;
}

/* Virtio consoles (but a first one on the serial port) and channels sit on a virtio-serial bus;
 * libvirt adds controller 0 when the XML has none. */
static bool needs_virtio_serial(const struct domain_def *def)
{
	for (size_t i = 0; i < def->nconsoles; i++)
		if (def->consoles[i].target_type == DOMAIN_CHR_TARGET_VIRTIO)
			return true;
	return def->nchannels > 0;
}

/* libvirt adds SCSI controller 0 (its x86 default model, lsilogic) for a SCSI disk. */
static bool needs_scsi(const struct domain_def *def)
{
	for (size_t i = 0; i < def->ndisks; i++)
		if (def->disks[i].bus == DOMAIN_DISK_BUS_SCSI ||
		    (def->disks[i].bus == DOMAIN_DISK_BUS_NONE && startswith(def->disks[i].target_dev, "sd")))
			return true;
	return false;
}

int qemud_argv_add_controllers(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci,
			       struct sv_error *err)
{
	/* libvirt's order: the PCI topology first, then USB, then the rest. */
	static const struct domain_controller virtio_serial0 = { .type = DOMAIN_CONTROLLER_VIRTIO_SERIAL };
	static const struct domain_controller scsi0 = { .type = DOMAIN_CONTROLLER_SCSI };
	static const enum domain_controller_type order[] = {
		DOMAIN_CONTROLLER_PCI,  DOMAIN_CONTROLLER_USB,           DOMAIN_CONTROLLER_SCSI, DOMAIN_CONTROLLER_SATA,
		DOMAIN_CONTROLLER_IDE,  DOMAIN_CONTROLLER_VIRTIO_SERIAL, DOMAIN_CONTROLLER_FDC,
	};
	int r = 0;

	for (size_t k = 0; r >= 0 && k < ARRAY_SIZE(order); k++) {
		if (order[k] == DOMAIN_CONTROLLER_USB && !qemud_argv_controller(def, DOMAIN_CONTROLLER_USB, 0))
			r = add_usb(c, def, NULL, pci, err);
		if (order[k] == DOMAIN_CONTROLLER_SCSI && needs_scsi(def) && !qemud_argv_controller(def, DOMAIN_CONTROLLER_SCSI, 0))
			r = add_other(c, def, &scsi0, pci, err);
		if (order[k] == DOMAIN_CONTROLLER_VIRTIO_SERIAL && needs_virtio_serial(def) &&
		    !qemud_argv_controller(def, DOMAIN_CONTROLLER_VIRTIO_SERIAL, 0))
			r = add_other(c, def, &virtio_serial0, pci, err);
		for (size_t i = 0; r >= 0 && i < def->ncontrollers; i++) {
			const struct domain_controller *ctl = &def->controllers[i];

			if (ctl->type != order[k] || ctl->master_startport >= 0)
				continue;
			if (ctl->type == DOMAIN_CONTROLLER_PCI)
				r = add_pci(c, def, ctl, pci, err);
			else if (ctl->type == DOMAIN_CONTROLLER_USB)
				r = add_usb(c, def, ctl, pci, err);
			else
				r = add_other(c, def, ctl, pci, err);
		}
		/* USB companions after every master, whose bus they name */
		for (size_t i = 0; r >= 0 && order[k] == DOMAIN_CONTROLLER_USB && i < def->ncontrollers; i++)
			if (def->controllers[i].type == DOMAIN_CONTROLLER_USB && def->controllers[i].master_startport >= 0)
				r = add_usb(c, def, &def->controllers[i], pci, err);
	}
	return r;
}
