// SPDX-License-Identifier: LGPL-2.1-or-later
/* The smaller devices on QEMU's command line, with libvirt's ids: <rng> (virtio-rng over the
 * host's /dev/urandom, which the spawner opens: QEMU reads an fd set), <watchdog>, <panic>,
 * usb <hub>. */
#include "config.h"

#include <stdio.h>

#include "argv.h"

#define UNSUPPORTED(err, ...) sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, __VA_ARGS__)

static const char *const watchdog_devices[DOMAIN_WATCHDOG_LAST] = { "i6300esb", "ib700", NULL };

int qemud_argv_add_rngs(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci, unsigned *fdset,
			struct sv_error *err)
{
	for (size_t i = 0; i < def->nrngs; i++) {
		const struct domain_rng *rng = &def->rngs[i];
		_cleanup_free_ char *addr = NULL, *rate = NULL;
		unsigned set = (*fdset)++;
		int fd, r;

		if ((r = qemud_pci_addr(pci, def, &rng->addr, "rng", &addr, err)) < 0)
			return r;
		/* whichever of the two the XML names: both are the kernel's CSPRNG, urandom never blocks */
		fd = command_pass_path(c, "/dev/urandom", true);
		if (fd < 0)
			return UNSUPPORTED(err, "rng %zu: too many file descriptors for QEMU", i);
		if (rng->rate_bytes)
			rate = xasprintf(",max-bytes=%u,period=%u", rng->rate_bytes, rng->rate_period ? rng->rate_period : 1000);
		command_add_opt(c, "-add-fd", "fd=%d,set=%u,opaque=rng%zu-urandom", fd, set, i);
		command_add_opt(c, "-object", "rng-random,id=objrng%zu,filename=/dev/fdset/%u", i, set);
		command_add_opt(c, "-device", "virtio-rng-pci,rng=objrng%zu,id=rng%zu%s%s", i, i, rate ? rate : "", addr);
	}
	return 0;
}

int qemud_argv_add_watchdog(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci,
			    struct sv_error *err)
{
	for (size_t i = 0; i < def->nwatchdogs; i++) {
		const struct domain_watchdog *w = &def->watchdogs[i];
		_cleanup_free_ char *addr = NULL;
		int r;

		if (w->model == DOMAIN_WATCHDOG_ITCO) {
			/* q35's ICH9 has the iTCO timer; it only has to be allowed to reset */
			if (!qemud_argv_is_q35(def))
				return UNSUPPORTED(err, "watchdog model 'itco' needs a q35 machine");
			command_add_opt(c, "-global", "ICH9-LPC.noreboot=off");
		} else if (w->model == DOMAIN_WATCHDOG_I6300ESB) {
			if ((r = qemud_pci_addr(pci, def, &w->addr, "watchdog", &addr, err)) < 0)
				return r;
			command_add_opt(c, "-device", "%s,id=watchdog%zu%s", watchdog_devices[w->model], i, addr);
		} else {
			if (w->addr.type)
				return UNSUPPORTED(err, "watchdog model 'ib700' is an ISA device: it takes no address");
			command_add_opt(c, "-device", "%s,id=watchdog%zu", watchdog_devices[w->model], i);
		}
		if (w->action)
			command_add_opt(c, "-watchdog-action", "%s", w->action);
	}
	return 0;
}

void qemud_argv_add_panic(struct command *c, const struct domain_def *def)
{
	if (def->panic_isa)
		command_add_opt(c, "-device", "pvpanic,ioport=1285");
}

int qemud_argv_add_hubs(struct command *c, const struct domain_def *def, struct sv_error *err)
{
	for (size_t i = 0; i < def->nhubs; i++) {
		_cleanup_free_ char *what = xasprintf("hub %zu", i), *addr = NULL;
		int r = qemud_argv_usb_addr(def, &def->hubs[i], what, &addr, err);

		if (r < 0)
			return r;
		command_add_opt(c, "-device", "usb-hub,id=hub%zu%s", i, addr);
	}
	return 0;
}
