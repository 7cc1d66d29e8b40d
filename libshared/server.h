/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The driver side of the protocol: accept connections from allowed peers and dispatch each
 * call through the daemon's table {proc, request type, handler}. Nothing is allowed by default. */
#pragma once

#include "conn.h"
#include "identity.h"
#include "procs.h"

struct rpc_server;

struct rpc_identity {
	uid_t uid;
	gid_t gid;
	pid_t pid;
	bool read_only;
	bool via_proxy; /* a client's call forwarded by proxyd; otherwise a daemon of the suite */
	uint64_t client; /* proxyd's number for the client's connection (0: none) */
	unsigned roles; /* of the peer that sent it (enum suite_role): proxyd's for a client's call */
};

struct rpc_pending;

struct rpc_request {
	struct rpc_server *server;
	struct rpc_conn *conn;
	const rpc_envelope *env;
	struct rpc_identity caller;
	int *fds; /* received with the call; a handler that keeps one sets it to -1 */
	size_t nfds;
	struct rpc_pending *pending; /* set by rpc_request_defer */
};

struct rpc_reply {
	rpc_envelope env;          /* body filled by rpc_reply_pack */
	int fds[RPC_MAX_FDS];      /* sent with the reply, then closed by the server */
	size_t nfds;
};

/* Returns >= 0 on success (then reply is sent), < 0 with err filled. */
typedef int (*rpc_handler_fn)(struct rpc_request *req, const ProtobufCMessage *msg,
			      struct rpc_reply *reply, struct sv_error *err);

struct rpc_proc {
	uint32_t proc;
	const ProtobufCMessageDescriptor *request;
	rpc_handler_fn handler;
	unsigned roles; /* who may call it (enum suite_role); none: nobody */
};

struct rpc_server_config {
	const char *daemon;    /* "sepvirt-netd" */
	uint32_t program;      /* SEPVIRT__PROGRAM__PROGRAM_NET */
	int error_domain;      /* SV_FROM_NET */
	const struct rpc_proc *procs;
	size_t nprocs;
	/* Who is who: a peer may connect when its uid has a role some procedure accepts. */
	const struct suite_ids *ids;
	void *userdata;
};

/* Takes ownership of listen_fd. */
struct rpc_server *rpc_server_new(struct evloop *loop, int listen_fd, const struct rpc_server_config *cfg);
void rpc_server_free(struct rpc_server *s);
void *rpc_server_userdata(const struct rpc_server *s);
const struct rpc_server_config *rpc_server_config(const struct rpc_server *s);

/* Serializes msg as the reply body. */
void rpc_reply_pack(struct rpc_reply *reply, const ProtobufCMessage *msg);
/* PROC_EVENT_REGISTER, the same in every daemon that has events: put it in the table. */
int rpc_server_handle_event_register(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
				     struct sv_error *err);
/* Sends msg as an event frame (STATUS_EVENT, serial 0) to every connection that registered. */
void rpc_server_emit_event(struct rpc_server *s, uint32_t proc, const ProtobufCMessage *msg);

/* Adds an fd to the reply; ownership passes to the reply. */
int rpc_reply_add_fd(struct rpc_reply *reply, int fd);

/* Deferred replies: a handler that waits on another process keeps the call and answers it
 * later from the loop. It calls rpc_request_defer() and returns 0; the server then sends
 * nothing, and exactly one of rpc_pending_reply() / rpc_pending_fail() must follow (each
 * frees the pending call). The connection may be gone by then: the answer is dropped. */
struct rpc_pending *rpc_request_defer(struct rpc_request *req);
/* Sends reply (its body and fds, then freed as the server frees a direct reply's). */
void rpc_pending_reply(struct rpc_pending *p, struct rpc_reply *reply);
void rpc_pending_fail(struct rpc_pending *p, const struct sv_error *err);
/* The caller's connection closed: nobody will read the answer. */
bool rpc_pending_gone(const struct rpc_pending *p);
/* Procedure of the kept call (for logs). */
uint32_t rpc_pending_procedure(const struct rpc_pending *p);
