// SPDX-License-Identifier: LGPL-2.1-or-later
/* The smaller devices on QEMU's command line, with libvirt's ids: <rng> (virtio-rng over the
 * host's /dev/urandom, which the spawner opens: QEMU reads an fd set), <watchdog>, <panic>,
 * usb <hub>. */
#include "config.h"

#include <stdio.h>

#include "argv.h"

#define UNSUPPORTED(err, ...) sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, __VA_ARGS__)

/* Each flash as libvirt names its nodes (libvirt-pflash0-storage/-format), the file an fd set QEMU
 * opens with the fd's own access: the code read-only, the NVRAM read-write. */
int qemud_argv_add_firmware(struct command *c, const struct domain_def *def, struct qemud_argv_fds *fds,
			    unsigned *fdset, char **machine, struct sv_error *err)
{
	const struct domain_os *os = &def->os;
	const char *paths[2] = { os->loader, os->nvram };
	int *given[2] = { &fds->loader, &fds->nvram };

	*machine = xstrdup("");
	if (!os->loader && os->firmware != DOMAIN_FIRMWARE_EFI)
		return 0;
	if (!os->loader || !os->nvram || os->loader_type != DOMAIN_LOADER_PFLASH)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EINVAL,
				    "the UEFI firmware of domain '%s' was not resolved", def->name);
	for (int i = 0; i < 2; i++) {
		unsigned set = (*fdset)++;
		const char *ro = i == 0 ? "on" : "off";
		int fd = *given[i];

		*given[i] = -1;
		if (fd < 0 && !fds->dry_run)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EBADF, "%s '%s' is not open",
					    i == 0 ? "loader" : "nvram", paths[i]);
		fd = command_pass_fd(c, fd);
		if (fd < 0)
			return UNSUPPORTED(err, "pflash%d: too many file descriptors for QEMU", i);
		command_add_opt(c, "-add-fd", "fd=%d,set=%u,opaque=pflash%d", fd, set, i);
		command_add_opt(c, "-blockdev", "driver=file,filename=/dev/fdset/%u,node-name=libvirt-pflash%d-storage,"
				"read-only=%s", set, i, ro);
		command_add_opt(c, "-blockdev", "node-name=libvirt-pflash%d-format,read-only=%s,driver=raw,"
				"file=libvirt-pflash%d-storage", i, ro, i);
	}
	free(*machine);
	*machine = xstrdup(",pflash0=libvirt-pflash0-format,pflash1=libvirt-pflash1-format");
	return 0;
}

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
