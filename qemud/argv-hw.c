// SPDX-License-Identifier: LGPL-2.1-or-later
/* <input>, <video> and <memballoon> on QEMU's command line, with libvirt's device names and ids
 * (input0, video0, balloon0). PS/2 mouse and keyboard are the machine's own i8042: no option. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "argv.h"

#define UNSUPPORTED(err, ...) sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, __VA_ARGS__)

static const char *const video_names[DOMAIN_VIDEO_LAST] = { "none", "vga", "cirrus", "qxl", "virtio", "bochs" };
static const char *const input_names[DOMAIN_INPUT_LAST] = { "mouse", "tablet", "keyboard" };
static const char *const usb_input[DOMAIN_INPUT_LAST] = { "usb-mouse", "usb-tablet", "usb-kbd" };
static const char *const virtio_input[DOMAIN_INPUT_LAST] = {
	"virtio-mouse-pci", "virtio-tablet-pci", "virtio-keyboard-pci",
};

/* Port "1.2" is port 2 of the hub at port 1 of the same bus. */
static bool behind_hub(const struct domain_def *def, const struct domain_address *a)
{
	size_t n = (size_t)(strrchr(a->usb_port, '.') - a->usb_port);

	for (size_t i = 0; i < def->nhubs; i++)
		if (def->hubs[i].bus == a->bus && strlen(def->hubs[i].usb_port) == n &&
		    !strncmp(def->hubs[i].usb_port, a->usb_port, n))
			return true;
	return false;
}

int qemud_argv_usb_addr(const struct domain_def *def, const struct domain_address *a, const char *what, char **out,
		    struct sv_error *err)
{
	if (!qemud_argv_has_usb(def))
		return UNSUPPORTED(err, "%s is on the USB bus, but the usb controller's model is 'none'", what);
	if (a->type && a->type != DOMAIN_ADDRESS_USB)
		return UNSUPPORTED(err, "%s: only a usb address is supported for a USB device", what);
	if (a->bus && !qemud_argv_controller(def, DOMAIN_CONTROLLER_USB, a->bus))
		return UNSUPPORTED(err, "%s: USB bus %u does not exist", what, a->bus);
	if (strchr(a->usb_port, '.') && !behind_hub(def, a))
		return UNSUPPORTED(err, "%s: usb port '%s' is behind a hub, but no <hub> sits at port '%.*s'", what,
				   a->usb_port, (int)(strrchr(a->usb_port, '.') - a->usb_port), a->usb_port);
	/* the bus name follows the controller's id: usb, usb1, usb2... */
	_cleanup_free_ char *bus = a->bus ? xasprintf("usb%u", a->bus) : xstrdup("usb");

	*out = xasprintf(",bus=%s.0%s%s", bus, a->usb_port[0] ? ",port=" : "", a->usb_port);
	return 0;
}

int qemud_argv_add_inputs(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci,
			  struct sv_error *err)
{
	for (size_t i = 0; i < def->ninputs; i++) {
		const struct domain_input *in = &def->inputs[i];
		enum domain_input_bus bus = in->bus;
		_cleanup_free_ char *addr = NULL, *what = xasprintf("input '%s'", input_names[in->type]);
		int r;

		if (bus == DOMAIN_INPUT_BUS_DEFAULT)
			bus = in->type == DOMAIN_INPUT_TABLET ? DOMAIN_INPUT_BUS_USB : DOMAIN_INPUT_BUS_PS2;
		switch (bus) {
		case DOMAIN_INPUT_BUS_PS2:
			if (in->type == DOMAIN_INPUT_TABLET)
				return UNSUPPORTED(err, "input 'tablet' is not supported on the ps2 bus (usb and virtio are)");
			if (in->addr.type)
				return UNSUPPORTED(err, "%s on the ps2 bus takes no address", what);
			break; /* the i8042 every pc and q35 machine has */
		case DOMAIN_INPUT_BUS_USB:
			if ((r = qemud_argv_usb_addr(def, &in->addr, what, &addr, err)) < 0)
				return r;
			command_add_opt(c, "-device", "%s,id=input%zu%s", usb_input[in->type], i, addr);
			break;
		default:
			if ((r = qemud_pci_addr(pci, def, &in->addr, what, &addr, err)) < 0)
				return r;
			command_add_opt(c, "-device", "%s,id=input%zu%s", virtio_input[in->type], i, addr);
			break;
		}
	}
	return 0;
}

/* The device and its size options; primary: the one the firmware and the guest's VGA console use. */
static int video_device(const struct domain_video *v, bool primary, size_t i, char **out, struct sv_error *err)
{
	const char *name = video_names[v->model];
	_cleanup_free_ char *heads = v->heads ? xasprintf(",max_outputs=%u", v->heads) : xstrdup("");

	if (!primary && v->model != DOMAIN_VIDEO_QXL && v->model != DOMAIN_VIDEO_VIRTIO)
		return UNSUPPORTED(err, "video model '%s' can only be the primary video (a secondary one is qxl or virtio)",
				   name);
	if ((v->ram || v->vram64) && v->model != DOMAIN_VIDEO_QXL)
		return UNSUPPORTED(err, "video model '%s': attributes 'ram' and 'vram64' are for qxl only", name);
	/* heads='1', which libvirt writes for every video, is what the others have anyway */
	if (v->heads > 1 && v->model != DOMAIN_VIDEO_QXL && v->model != DOMAIN_VIDEO_VIRTIO)
		return UNSUPPORTED(err, "video model '%s': attribute 'heads' is for qxl and virtio only", name);
	if (v->vgamem && v->model != DOMAIN_VIDEO_QXL && v->model != DOMAIN_VIDEO_BOCHS)
		return UNSUPPORTED(err, "video model '%s': attribute 'vgamem' is for qxl and bochs only", name);
	switch (v->model) {
	case DOMAIN_VIDEO_VGA:
		*out = v->vram ? xasprintf("VGA,id=video%zu,vgamem_mb=%u", i, v->vram / 1024) : xasprintf("VGA,id=video%zu", i);
		return 0;
	case DOMAIN_VIDEO_CIRRUS:
		/* 16384, libvirt's default it writes into every video, passed nowhere by libvirt either */
		if (v->vram && v->vram != 16384)
			return UNSUPPORTED(err, "video model 'cirrus': attribute 'vram' is not supported (the card has 4 MiB)");
		*out = xasprintf("cirrus-vga,id=video%zu", i);
		return 0;
	case DOMAIN_VIDEO_BOCHS:
		if (v->vram && v->vram != 16384)
			return UNSUPPORTED(err, "video model 'bochs': attribute 'vram' is not supported (vgamem is)");
		*out = v->vgamem ? xasprintf("bochs-display,id=video%zu,vgamem=%llu", i, v->vgamem * 1024ULL)
				 : xasprintf("bochs-display,id=video%zu", i);
		return 0;
	case DOMAIN_VIDEO_VIRTIO:
		if (v->vram)
			return UNSUPPORTED(err, "video model 'virtio': attribute 'vram' is not supported");
		*out = xasprintf("%s,id=video%zu%s", primary ? "virtio-vga" : "virtio-gpu-pci", i, heads);
		return 0;
	default: {
		_cleanup_free_ char *ram = v->ram ? xasprintf(",ram_size=%llu", v->ram * 1024ULL) : xstrdup("");
		_cleanup_free_ char *vram = v->vram ? xasprintf(",vram_size=%llu", v->vram * 1024ULL) : xstrdup("");
		_cleanup_free_ char *v64 = v->vram64 ? xasprintf(",vram64_size_mb=%u", v->vram64 / 1024) : xstrdup("");
		_cleanup_free_ char *vg = v->vgamem ? xasprintf(",vgamem_mb=%u", v->vgamem / 1024) : xstrdup("");

		*out = xasprintf("%s,id=video%zu%s%s%s%s%s", primary ? "qxl-vga" : "qxl", i, ram, vram, v64, vg, heads);
		return 0;
	}
	}
}

int qemud_argv_add_videos(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci,
			  struct sv_error *err)
{
	size_t primary = 0;

	for (size_t i = 0; i < def->nvideos; i++)
		if (def->videos[i].primary) {
			primary = i;
			break;
		}
	for (size_t k = 0; k < def->nvideos; k++) {
		/* the primary one first: it is the VGA device the firmware finds */
		size_t i = k == 0 ? primary : (k <= primary ? k - 1 : k);
		const struct domain_video *v = &def->videos[i];
		_cleanup_free_ char *dev = NULL, *addr = NULL;
		int r;

		if (v->model == DOMAIN_VIDEO_NONE) {
			if (def->nvideos > 1)
				return UNSUPPORTED(err, "video model 'none' cannot be combined with other videos");
			if (v->addr.type || v->vram || v->heads)
				return UNSUPPORTED(err, "video model 'none' takes no attributes or address");
			return 0;
		}
		if ((r = video_device(v, k == 0, k, &dev, err)) < 0)
			return r;
		r = k == 0 ? qemud_pci_addr_video(pci, def, &v->addr, &addr, err)
			   : qemud_pci_addr(pci, def, &v->addr, "video", &addr, err);
		if (r < 0)
			return r;
		command_add_opt(c, "-device", "%s%s", dev, addr);
	}
	return 0;
}

int qemud_argv_add_memballoon(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci,
			      struct sv_error *err)
{
	const struct domain_memballoon *b = &def->memballoon;
	_cleanup_free_ char *addr = NULL;
	int r;

	if (b->none)
		return 0;
	if ((r = qemud_pci_addr(pci, def, &b->addr, "memballoon", &addr, err)) < 0)
		return r;
	command_add_opt(c, "-device", "virtio-balloon-pci,id=balloon0%s%s%s",
			b->autodeflate ? (b->autodeflate == DOMAIN_TRISTATE_YES ? ",deflate-on-oom=on" : ",deflate-on-oom=off") : "",
			b->free_page_reporting ? (b->free_page_reporting == DOMAIN_TRISTATE_YES ? ",free-page-reporting=on"
											 : ",free-page-reporting=off")
					       : "",
			addr);
	return 0;
}

/* A hub has 8 ports (QEMU's usb-hub). */
#define USB_HUB_PORTS 8

static int check_usb_port(const struct domain_address *a, size_t self,
			  const struct domain_address *const *all, size_t n, struct sv_error *err)
{
	const char *dot = strrchr(a->usb_port, '.');

	if (a->type != DOMAIN_ADDRESS_USB || !a->usb_port[0])
		return 0;
	if (dot && (atoi(dot + 1) < 1 || atoi(dot + 1) > USB_HUB_PORTS))
		return UNSUPPORTED(err, "usb port '%s': a hub has ports 1 to %d", a->usb_port, USB_HUB_PORTS);
	for (size_t k = 0; k < n; k++)
		if (k != self && all[k]->type == DOMAIN_ADDRESS_USB && all[k]->bus == a->bus &&
		    streq(all[k]->usb_port, a->usb_port))
			return UNSUPPORTED(err, "usb port '%s' of bus %u is given to two devices", a->usb_port, a->bus);
	return 0;
}

int qemud_argv_check_usb(const struct domain_def *def, struct sv_error *err)
{
	size_t n = def->ninputs + def->nhubs;
	_cleanup_free_ const struct domain_address **all = xcalloc(n + 1, sizeof(*all));
	int r = 0;

	for (size_t i = 0; i < def->ninputs; i++)
		all[i] = &def->inputs[i].addr;
	for (size_t i = 0; i < def->nhubs; i++)
		all[def->ninputs + i] = &def->hubs[i];
	for (size_t i = 0; r >= 0 && i < n; i++)
		r = check_usb_port(all[i], i, all, n, err);
	return r;
}
