/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* virsh console: the client gets an fd on the pty of the domain's console (or of a serial
 * port named by its alias), opened by the spawner as QEMU's own uid, which the pty belongs to. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "handlers.h"
#include "run.h"
#include "spawner.h"

/* "console0", "serial1" ... as libvirt names them (--devname); NULL: the first console, else
 * the first serial port. */
static const struct domain_chr *find_chr(const struct domain_def *live, const char *dev, struct sv_error *err)
{
	unsigned idx;
	char tail;

	if (!dev || !dev[0]) {
		if (live->nconsoles)
			return &live->consoles[0];
		if (live->nserials)
			return &live->serials[0];
		sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, ENODEV,
			     "domain '%s' has no console or serial device", live->name);
		return NULL;
	}
	if (sscanf(dev, "console%u%c", &idx, &tail) == 1 && idx < live->nconsoles)
		return &live->consoles[idx];
	if (sscanf(dev, "serial%u%c", &idx, &tail) == 1 && idx < live->nserials)
		return &live->serials[idx];
	sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, ENODEV,
		     "domain '%s' has no character device '%s' (console0, serial0 ...)", live->name, dev);
	return NULL;
}

QEMUD_HANDLER(qemud_handle_open_console)
{
	const Sepvirt__DomainConsoleRequest *in = (const Sepvirt__DomainConsoleRequest *)msg;
	Sepvirt__DomainConsoleReply out = SEPVIRT__DOMAIN_CONSOLE_REPLY__INIT;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	const struct domain_chr *chr;
	int fd;
	(void)req;

	if (!d)
		return -ENOENT;
	if (!domain_obj_active(d) || !d->live)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: domain is not running");
	if (!(chr = find_chr(d->live, in->dev_name, err)))
		return -ENODEV;
	if (chr->type != DOMAIN_CHR_PTY || !chr->path || !startswith(chr->path, "/dev/pts/"))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
				    "character device '%s' of domain '%s' is not a pty: no console to attach to",
				    in->dev_name[0] ? in->dev_name : "console0", d->live->name);
	/* The pty belongs to QEMU's own uid: the spawner opens it as that uid and checks it is a
	 * pty slave that uid owns (the path is QEMU's word). */
	if (qemud_spawner_open_pty(chr->path, qemud_run_of(d)->uid, &fd, err) < 0)
		return -EIO;
	out.path = chr->path;
	rpc_reply_pack(reply, &out.base);
	return rpc_reply_add_fd(reply, fd);
}
