// SPDX-License-Identifier: LGPL-2.1-or-later
/* PCI addresses on QEMU's command line: the ones the XML gives, and for the other devices the
 * next free slot of the root bus, so that an automatic placement never takes a slot a later
 * device names (QEMU would refuse the second). */
#include "config.h"

#include <stdio.h>

#include "argv.h"

#define UNSUPPORTED(err, ...) sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, __VA_ARGS__)

static const char *const address_names[DOMAIN_ADDRESS_LAST] = {
	"none", "pci", "drive", "usb", "virtio-serial", "isa",
};

bool qemud_argv_is_q35(const struct domain_def *def)
{
	const char *m = def->os.machine ? def->os.machine : "pc";

	return streq(m, "q35") || startswith(m, "pc-q35-");
}

/* builtin: the function of the chipset's slot this device is (PIIX3's IDE 1, USB 2; ICH9's SATA 2),
 * as libvirt writes their addresses; -1 for any other device. */
static int reserve(struct qemud_pci_alloc *a, const struct domain_address *addr, int builtin, struct sv_error *err)
{
	if (addr->type != DOMAIN_ADDRESS_PCI)
		return 0;
	if (addr->bus == 0 && addr->slot == 0)
		return UNSUPPORTED(err, "PCI address 0000:00:00.%x is the host bridge's", addr->function);
	if (!a->q35 && addr->bus == 0 && addr->slot == 1 && builtin != (int)addr->function)
		return UNSUPPORTED(err, "PCI address 0000:00:01.%x is taken by the machine's PIIX3 chipset", addr->function);
	if (a->q35 && addr->bus == 0 && addr->slot == 0x1f && builtin != (int)addr->function)
		return UNSUPPORTED(err, "PCI address 0000:00:1f.%x is taken by the machine's ICH9 chipset", addr->function);
	if (a->functions[addr->bus][addr->slot] & (1U << addr->function))
		return UNSUPPORTED(err, "PCI address 0000:%02x:%02x.%x is given to two devices", addr->bus, addr->slot,
				   addr->function);
	a->functions[addr->bus][addr->slot] |= (unsigned char)(1U << addr->function);
	if (addr->bus == 0)
		a->used[addr->slot] = true;
	return 0;
}

static int builtin_function(const struct qemud_pci_alloc *a, const struct domain_controller *ctl)
{
	if (ctl->index != 0)
		return -1;
	if (!a->q35 && ctl->type == DOMAIN_CONTROLLER_IDE)
		return 1;
	if (!a->q35 && ctl->type == DOMAIN_CONTROLLER_USB && (!ctl->model || streq(ctl->model, "piix3-uhci")))
		return 2;
	if (a->q35 && ctl->type == DOMAIN_CONTROLLER_SATA)
		return 2;
	return -1;
}

static const struct domain_video *primary_video(const struct domain_def *def)
{
	for (size_t i = 0; i < def->nvideos; i++)
		if (def->videos[i].primary)
			return &def->videos[i];
	return def->nvideos ? &def->videos[0] : NULL;
}

int qemud_pci_alloc_init(struct qemud_pci_alloc *a, const struct domain_def *def, struct sv_error *err)
{
	const struct domain_video *v = primary_video(def);
	int r = 0;

	*a = (struct qemud_pci_alloc){ .q35 = qemud_argv_is_q35(def), .video_slot = -1 };
	a->used[0] = true;                 /* host bridge */
	a->used[a->q35 ? 0x1f : 1] = true; /* ICH9 (LPC, SATA, SMBus) or PIIX3 (ISA, IDE, USB, ACPI) */
	for (size_t i = 0; r >= 0 && i < def->ndisks; i++)
		r = reserve(a, &def->disks[i].addr, -1, err);
	for (size_t i = 0; r >= 0 && i < def->ninterfaces; i++)
		r = reserve(a, &def->interfaces[i].addr, -1, err);
	for (size_t i = 0; r >= 0 && i < def->ncontrollers; i++) {
		const struct domain_controller *ctl = &def->controllers[i];

		r = reserve(a, &ctl->addr, builtin_function(a, ctl), err);
	}
	for (size_t i = 0; r >= 0 && i < def->nvideos; i++)
		r = reserve(a, &def->videos[i].addr, -1, err);
	for (size_t i = 0; r >= 0 && i < def->ninputs; i++)
		r = reserve(a, &def->inputs[i].addr, -1, err);
	if (r >= 0)
		r = reserve(a, &def->memballoon.addr, -1, err);
	if (r < 0)
		return r;
	/* libvirt keeps the primary video's slot whatever comes before it on the command line. */
	if (v && v->model != DOMAIN_VIDEO_NONE && !v->addr.type && !a->used[a->q35 ? 1 : 2]) {
		a->video_slot = a->q35 ? 1 : 2;
		a->used[a->video_slot] = true;
	}
	return 0;
}

static int format_addr(const struct qemud_pci_alloc *a, const struct domain_def *def, const struct domain_address *g,
		       const char *what, char **out, struct sv_error *err)
{
	_cleanup_free_ char *bus = NULL, *fn = g->function ? xasprintf(".0x%x", g->function) : xstrdup("");

	if (g->bus == 0) {
		bus = xstrdup(a->q35 ? "pcie.0" : "pci.0");
	} else {
		const struct domain_controller *ctl = qemud_argv_controller(def, DOMAIN_CONTROLLER_PCI, g->bus);

		if (!ctl)
			return UNSUPPORTED(err, "%s: PCI bus %u does not exist (no pci controller with index %u)", what,
					   g->bus, g->bus);
		bus = xasprintf("pci.%u", g->bus);
	}
	/* function 0 of a slot whose other functions are given too must say so, as libvirt does */
	bool multi = g->multifunction || (g->function == 0 && (a->functions[g->bus][g->slot] & 0xfe));

	*out = xasprintf(",bus=%s,addr=0x%x%s%s", bus, g->slot, fn, multi ? ",multifunction=on" : "");
	return 0;
}

int qemud_pci_addr(struct qemud_pci_alloc *a, const struct domain_def *def, const struct domain_address *given,
		   const char *what, char **out, struct sv_error *err)
{
	struct domain_address g = { .type = DOMAIN_ADDRESS_PCI };

	if (given->type == DOMAIN_ADDRESS_PCI)
		return format_addr(a, def, given, what, out, err);
	if (given->type != DOMAIN_ADDRESS_NONE)
		return UNSUPPORTED(err, "%s: address type '%s' is not supported here (a PCI address is)", what,
				   address_names[given->type]);
	for (g.slot = 1; g.slot < 32 && a->used[g.slot]; g.slot++)
		;
	if (g.slot == 32)
		return UNSUPPORTED(err, "%s: no free slot left on PCI bus 0", what);
	a->used[g.slot] = true;
	return format_addr(a, def, &g, what, out, err);
}

int qemud_pci_addr_video(struct qemud_pci_alloc *a, const struct domain_def *def, const struct domain_address *given,
			 char **out, struct sv_error *err)
{
	struct domain_address g = { .type = DOMAIN_ADDRESS_PCI };

	if (given->type || a->video_slot < 0)
		return qemud_pci_addr(a, def, given, "video", out, err);
	g.slot = (unsigned)a->video_slot;
	a->video_slot = -1;
	return format_addr(a, def, &g, "video", out, err);
}
