/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "client.h"
#include "storage-call.h"

/* One connection to storaged kept between calls (made anew after storaged closed it). */
static struct rpc_client *storaged_conn;

void qemud_storaged_close(void)
{
	rpc_client_free(storaged_conn);
	storaged_conn = NULL;
}

static int connect_storaged(const struct domain_disk *d, struct rpc_client **c, struct sv_error *err)
{
	_cleanup_free_ char *path = NULL;
	int r;

	if (*c && rpc_client_idle_alive(*c))
		return 0;
	qemud_storaged_close();
	path = paths_socket(&qemud.ctx->paths, "storaged");
	r = rpc_client_connect(path, c, err);
	if (r >= 0)
		rpc_client_keep(*c);

	if (r < 0) {
		char why[SV_ERROR_MSG_MAX];
		snprintf(why, sizeof(why), "%s", err->message);
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_DRIVER_UNAVAILABLE, -r,
				    "cannot reach sepvirt-storaged for disk '%s' (volume '%s' in pool '%s'): %s",
				    d->target_dev, d->src_volume, d->src_pool, why);
	}
	return 0;
}

void qemud_argv_volume_clear(struct qemud_argv_volume *vol)
{
	for (size_t i = 0; i < vol->nlayers; i++) {
		if (vol->layers[i].fd >= 0)
			close(vol->layers[i].fd);
		free(vol->layers[i].format);
	}
	free(vol->layers);
	vol->layers = NULL;
	vol->nlayers = 0;
}

int qemud_call_open_volume(const struct domain_disk *d, struct qemud_argv_volume *vol, struct sv_error *err)
{
	Sepvirt__VolOpenRequest req = SEPVIRT__VOL_OPEN_REQUEST__INIT;
	_cleanup_message_ Sepvirt__VolOpenReply *rep = NULL;
	int fds[RPC_MAX_FDS];
	size_t nfds = 0, keep;
	int r;

	req.pool = d->src_pool;
	req.volume = d->src_volume;
	req.read_only = d->readonly || d->device == DOMAIN_DISK_DEVICE_CDROM;
	r = connect_storaged(d, &storaged_conn, err);
	if (r >= 0)
		r = rpc_client_call(storaged_conn, SEPVIRT__PROGRAM__PROGRAM_STORAGE, SEPVIRT__PROCEDURE__PROC_VOL_OPEN, &req.base,
				    NULL, 0, &sepvirt__vol_open_reply__descriptor, (ProtobufCMessage **)&rep, fds,
				    &nfds, err);
	if (r < 0 && err->code == SV_ERR_RPC)
		qemud_storaged_close(); /* the next call connects again */
	if (r < 0)
		return r;
	if (!rep || nfds < 1 || nfds != rep->n_layers) {
		rpc_close_fds(fds, nfds);
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EPROTO,
				    "sepvirt-storaged answered %zu fds for %zu layers of volume '%s' in pool '%s'", nfds,
				    rep ? rep->n_layers : 0, d->src_volume, d->src_pool);
	}
	/* A raw disk is the volume alone, whatever its header says (the XML's format rules). */
	keep = d->format == DOMAIN_DISK_FORMAT_QCOW2 ? nfds : 1;
	rpc_close_fds(fds + keep, nfds - keep);
	vol->layers = xcalloc(keep, sizeof(*vol->layers));
	vol->nlayers = keep;
	for (size_t i = 0; i < keep; i++) {
		int fl = fcntl(fds[i], F_GETFL);

		vol->layers[i].fd = fds[i];
		/* What the fd is, not what the reply says: QEMU's fd set matches the access mode. */
		vol->layers[i].read_only = fl >= 0 && (fl & O_ACCMODE) == O_RDONLY;
		vol->layers[i].format = xstrdup(rep->layers[i]->format ? rep->layers[i]->format : "");
	}
	return 0;
}
