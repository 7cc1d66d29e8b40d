/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PROC_VOL_OPEN, for the driver daemons only (the table's PROC_DRIVER_ONLY; the server
 * refuses a call forwarded by proxyd): the volume opened for qemud, which hands the fds to
 * QEMU through fd sets. QEMU and qemud never need access to the pool's directory.
 * The qcow2 backing chain is opened too, read-only, each layer a volume of an active pool:
 * a header naming any other file is refused, so a guest cannot reach files by writing one.
 * A qcow2 external data file is refused in every layer: QEMU would open it by name. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>

#include "log.h"
#include "storaged_handlers.h"
#include "storaged_pool.h"
#include "storaged_volume.h"

#define CHAIN_MAX 8

struct layer {
	struct storaged_vol vol;
	int fd;
};

/* QEMU would open a data file by the name in the header, read-write, itself: sepvirt hands it
 * images as fds only, so even a data file inside a pool cannot be given to it. */
static int check_data_file(const struct storaged_vol *v, struct sv_error *err)
{
	int r = storaged_vol_check_data_file(v, err);

	if (r < 0 || (!v->external_data && !v->data_file[0]))
		return r;
	return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
			    "qcow2 data file '%s' of volume '%s' cannot be handed to QEMU as a file descriptor: "
			    "images with an external data file are not supported", v->data_file, v->name);
}

static int open_layer(struct storaged_pool *p, const char *name, bool read_only, struct layer *l,
		      struct sv_error *err)
{
	int fd = storaged_vol_open(p, name, read_only ? O_RDONLY : O_RDWR, err);
	_cleanup_free_ char *path = NULL;
	int r;

	if (fd < 0)
		return fd;
	path = xasprintf("%s/%s", p->def->target_path, name);
	r = storaged_vol_probe_fd(fd, name, path, &l->vol, err);
	if (r >= 0 && (r = check_data_file(&l->vol, err)) < 0)
		storaged_vol_clear(&l->vol);
	if (r < 0) {
		close(fd);
		return r;
	}
	l->fd = fd;
	return 0;
}

static int open_chain(const Sepvirt__VolOpenRequest *in, struct layer *layers, size_t *n, struct sv_error *err)
{
	struct storaged_pool *p;
	struct storaged_vol v;
	int r = storaged_vol_resolve(in->pool, in->volume, &p, &v, err);

	if (r < 0)
		return r;
	r = open_layer(p, v.name, in->read_only, &layers[0], err);
	storaged_vol_clear(&v);
	if (r < 0)
		return r;
	*n = 1;
	while (layers[*n - 1].vol.backing[0]) {
		const struct storaged_vol *top = &layers[*n - 1].vol;
		_cleanup_free_ char *path = storaged_vol_ref_path(top, top->backing);
		const char *name;

		if (*n == CHAIN_MAX)
			return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_FAILED, ELOOP,
					    "backing chain of volume '%s' is longer than %d", layers[0].vol.name, CHAIN_MAX);
		p = storaged_vol_ref_pool(path, &name);
		if (!p)
			return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_PERMISSION, EPERM,
					    "backing file '%s' of volume '%s' is not a volume of an active storage pool",
					    top->backing, top->name);
		r = open_layer(p, name, true, &layers[*n], err);
		if (r < 0)
			return r;
		(*n)++;
	}
	return 0;
}

STORAGED_HANDLER(storaged_handle_vol_open)
{
	const Sepvirt__VolOpenRequest *in = (const void *)msg;
	Sepvirt__VolOpenReply rep = SEPVIRT__VOL_OPEN_REPLY__INIT;
	Sepvirt__VolOpenLayer outs[CHAIN_MAX], *ptrs[CHAIN_MAX];
	struct layer layers[CHAIN_MAX];
	size_t n = 0;
	int r;

	memset(layers, 0, sizeof(layers));
	r = open_chain(in, layers, &n, err);
	if (r >= 0) {
		for (size_t i = 0; i < n; i++) {
			sepvirt__vol_open_layer__init(&outs[i]);
			outs[i].path = layers[i].vol.path;
			outs[i].format = (char *)volume_format_to_string(layers[i].vol.format);
			outs[i].read_only = i > 0 || in->read_only;
			ptrs[i] = &outs[i];
		}
		rep.layers = ptrs;
		rep.n_layers = n;
		rep.capacity = layers[0].vol.capacity;
		rpc_reply_pack(reply, &rep.base);
		for (size_t i = 0; i < n; i++) {
			rpc_reply_add_fd(reply, layers[i].fd);
			layers[i].fd = -1;
		}
		log_info("volume '%s' opened %s for pid %d (%zu layer(s))", layers[0].vol.path,
			 in->read_only ? "read-only" : "read-write", (int)req->caller.pid, n);
	}
	for (size_t i = 0; i < n; i++) {
		if (layers[i].fd > 0)
			close(layers[i].fd);
		storaged_vol_clear(&layers[i].vol);
	}
	return r;
}
