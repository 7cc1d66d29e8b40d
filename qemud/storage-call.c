/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "caller.h"
#include "storage-call.h"

/* One connection to storaged kept between calls (made anew after storaged closed it). */
static struct rpc_caller *storaged;

void qemud_storaged_close(void)
{
	rpc_caller_free(storaged);
	storaged = NULL;
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

struct volume_call {
	qemud_volume_fn fn;
	void *opaque;
	bool qcow2;
	char *pool, *volume;
};

static void volume_answered(void *opaque, int r, const rpc_envelope *reply, int *fds, size_t nfds,
			    const struct sv_error *err)
{
	struct volume_call *v = opaque;
	_cleanup_message_ Sepvirt__VolOpenReply *rep = NULL;
	struct qemud_argv_volume vol = { 0 };
	struct sv_error e;
	size_t keep;

	if (r >= 0)
		r = rpc_body_unpack(reply, &sepvirt__vol_open_reply__descriptor, (ProtobufCMessage **)&rep, &e);
	else
		e = *err;
	if (r >= 0 && (nfds < 1 || nfds != rep->n_layers))
		r = sv_error_set(&e, SV_FROM_QEMU, SV_ERR_INTERNAL, EPROTO,
				 "sepvirt-storaged answered %zu fds for %zu layers of volume '%s' in pool '%s'", nfds,
				 rep->n_layers, v->volume, v->pool);
	if (r < 0) {
		rpc_close_fds(fds, nfds);
		v->fn(v->opaque, r, NULL, &e);
	} else {
		/* A raw disk is the volume alone, whatever its header says (the XML's format rules). */
		keep = v->qcow2 ? nfds : 1;
		rpc_close_fds(fds + keep, nfds - keep);
		vol.layers = xcalloc(keep, sizeof(*vol.layers));
		vol.nlayers = keep;
		for (size_t i = 0; i < keep; i++) {
			int fl = fcntl(fds[i], F_GETFL);

			vol.layers[i].fd = fds[i];
			/* What the fd is, not what the reply says: QEMU's fd set matches the access mode. */
			vol.layers[i].read_only = fl >= 0 && (fl & O_ACCMODE) == O_RDONLY;
			vol.layers[i].format = xstrdup(rep->layers[i]->format ? rep->layers[i]->format : "");
		}
		v->fn(v->opaque, 0, &vol, NULL);
		qemud_argv_volume_clear(&vol);
	}
	free(v->pool);
	free(v->volume);
	free(v);
}

int qemud_call_open_volume(const struct domain_disk *d, qemud_volume_fn fn, void *opaque, struct sv_error *err)
{
	Sepvirt__VolOpenRequest req = SEPVIRT__VOL_OPEN_REQUEST__INIT;
	_cleanup_free_ char *what = xasprintf("disk '%s': volume '%s' in pool '%s'", d->target_dev, d->src_volume,
					      d->src_pool);
	struct volume_call *v;
	int r;

	if (!storaged) {
		_cleanup_free_ char *path = paths_socket(&qemud.ctx->paths, "storaged");
		storaged = rpc_caller_new(qemud.loop, path, "sepvirt-storaged", SEPVIRT__PROGRAM__PROGRAM_STORAGE,
					  SV_FROM_QEMU);
	}
	req.pool = d->src_pool;
	req.volume = d->src_volume;
	req.read_only = d->readonly || d->device == DOMAIN_DISK_DEVICE_CDROM;
	v = xmalloc(sizeof(*v));
	*v = (struct volume_call){ .fn = fn, .opaque = opaque, .qcow2 = d->format == DOMAIN_DISK_FORMAT_QCOW2,
				   .pool = xstrdup(d->src_pool), .volume = xstrdup(d->src_volume) };
	r = rpc_caller_call(storaged, SEPVIRT__PROCEDURE__PROC_VOL_OPEN, &req.base, 0, what, volume_answered, v, err);
	if (r < 0) {
		free(v->pool);
		free(v->volume);
		free(v);
	}
	return r;
}
