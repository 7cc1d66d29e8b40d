/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsepvirt internals shared by its files. */
#pragma once

#include "client.h"
#include "error.h"
#include "sepvirt/sepvirt.h"

struct sepvirt_conn {
	struct rpc_client *rpc;
	char *uri;
	uint32_t program; /* the domain driver of the URI */
	pid_t ssh_pid;    /* the ssh tunnel of a +ssh URI, or -1 */
};

void client_clear_error(void);
int client_set_error(const struct sv_error *err);
int client_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int client_call(sepvirt_conn *conn, uint32_t program, uint32_t proc, const ProtobufCMessage *req,
		const ProtobufCMessageDescriptor *reply_desc, ProtobufCMessage **reply);

/* Copies src into a fixed-size field, always terminated. */
#define COPY_FIELD(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")
