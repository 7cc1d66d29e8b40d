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
	unsigned roles; /* of the peer that sent it (enum suite_role): proxyd's for a client's call */
};

struct rpc_request {
	struct rpc_server *server;
	struct rpc_conn *conn;
	const rpc_envelope *env;
	struct rpc_identity caller;
	int *fds; /* received with the call; a handler that keeps one sets it to -1 */
	size_t nfds;
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
