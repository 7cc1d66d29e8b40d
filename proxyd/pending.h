/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Calls in flight, keyed by the serial proxyd gave them on the driver connection. */
#pragma once

#include <stdint.h>

#include "frame.h"
#include "util.h"

struct proxy_client;

/* A call proxyd makes for a client of libvirt's protocol: given the driver's reply (an error
 * envelope when the driver went away), the fds that came with it (it keeps one by putting -1 in
 * its place: the rest are closed) and the client, NULL once it has gone. Frees ud. */
typedef void (*proxy_reply_fn)(struct proxy_client *cl, void *ud, const rpc_envelope *reply, int *fds,
			       size_t nfds);

struct pending {
	uint64_t key;                /* 0: empty slot */
	uint64_t client_serial;
	struct proxy_client *client; /* NULL once the client has gone */
	uint32_t program;
	uint32_t procedure;
	proxy_reply_fn done;         /* NULL: the reply is relayed to the client as it is */
	void *ud;
};

struct pending_table {
	struct pending *slots;
	size_t cap, count, used; /* used counts tombstones too */
};

void pending_init(struct pending_table *t);
void pending_fini(struct pending_table *t);
void pending_put(struct pending_table *t, const struct pending *p);
/* Removes and returns the entry for key; false when unknown. */
bool pending_take(struct pending_table *t, uint64_t key, struct pending *out);
/* Calls fn on every entry (may not modify the table). */
void pending_foreach(struct pending_table *t, void (*fn)(struct pending *p, void *ud), void *ud);
