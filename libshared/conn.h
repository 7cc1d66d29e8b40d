/* A non-blocking RPC connection on an event loop: reassembles frames (checking the length
 * before allocating), collects the fds that arrive with them, and queues replies. */
#pragma once

#include <sys/socket.h>

#include "evloop.h"
#include "frame.h"

struct rpc_conn;

struct rpc_conn_ops {
	/* One complete envelope. The callee owns env and fds (close or hand over). */
	void (*on_frame)(struct rpc_conn *c, rpc_envelope *env, int *fds, size_t nfds, void *userdata);
	/* The connection is gone (peer closed, error, or rpc_conn_close). Called once. */
	void (*on_close)(struct rpc_conn *c, void *userdata);
};

/* Takes ownership of fd (made non-blocking). */
struct rpc_conn *rpc_conn_new(struct evloop *loop, int fd, const struct rpc_conn_ops *ops, void *userdata);
/* Queues env; fds are duplicated, the caller keeps its own. */
int rpc_conn_send(struct rpc_conn *c, const rpc_envelope *env, const int *fds, size_t nfds);
/* Replies to a call with an error. */
int rpc_conn_send_error(struct rpc_conn *c, const rpc_envelope *call, const struct sv_error *err);
void rpc_conn_close(struct rpc_conn *c);
bool rpc_conn_is_closed(const struct rpc_conn *c);
const struct ucred *rpc_conn_peer(const struct rpc_conn *c);
void *rpc_conn_userdata(const struct rpc_conn *c);
void rpc_conn_set_userdata(struct rpc_conn *c, void *userdata);
