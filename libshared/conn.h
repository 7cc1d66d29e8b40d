/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A non-blocking RPC connection on an event loop: reassembles frames (checking the length
 * before allocating), collects the fds that arrive with them, and queues replies. */
#pragma once

#include <sys/socket.h>

#include "evloop.h"
#include "frame.h"

struct rpc_conn;

/* What a connection queues for a peer that does not read (replies, events) is bounded: past
 * the bound the peer is dropped and rpc_conn_close_reason() says -ENOBUFS. The default is for
 * the daemons of the suite; proxyd sets smaller bounds on its clients. */
#define RPC_CONN_OUT_MAX (64u * 1024 * 1024)

/* Bytes queued on several connections together (proxyd: all the clients of one uid). */
struct rpc_out_budget {
	size_t queued;
	size_t max;
};

struct rpc_conn_ops {
	/* One complete envelope. The callee owns env and fds (close or hand over). */
	void (*on_frame)(struct rpc_conn *c, rpc_envelope *env, int *fds, size_t nfds, void *userdata);
	/* The connection is gone (peer closed, error, or rpc_conn_close). Called once. */
	void (*on_close)(struct rpc_conn *c, void *userdata);
	/* Set for a connection that carries libvirt's messages instead of envelopes: a 4-byte
	 * big-endian length that counts itself, then the rest. on_raw gets each whole message (the
	 * length word included; valid during the call only); a length under raw_min or over raw_max
	 * closes the connection. fds that arrive are closed: no such message carries any. */
	void (*on_raw)(struct rpc_conn *c, const uint8_t *msg, size_t len, void *userdata);
	uint32_t raw_min, raw_max;
};

/* Takes ownership of fd (made non-blocking). */
struct rpc_conn *rpc_conn_new(struct evloop *loop, int fd, const struct rpc_conn_ops *ops, void *userdata);
/* Queues env; fds are duplicated, the caller keeps its own. */
int rpc_conn_send(struct rpc_conn *c, const rpc_envelope *env, const int *fds, size_t nfds);
/* Queues a whole message of a raw connection (see on_raw); takes buf (malloc'd). */
int rpc_conn_send_raw(struct rpc_conn *c, uint8_t *buf, size_t len);
/* Replies to a call with an error. */
int rpc_conn_send_error(struct rpc_conn *c, const rpc_envelope *call, const struct sv_error *err);
void rpc_conn_close(struct rpc_conn *c);
/* Stops reading and handing on input (what is already read waits) until resumed: a consumer
 * slower than the peer (proxyd relaying an upload) keeps its buffers bounded this way. A peer
 * that hangs up while paused is closed. */
void rpc_conn_pause_input(struct rpc_conn *c, bool paused);
/* Bounds the output queue at max bytes, and, with budget (which must outlive the connection or
 * its close), the queues of every connection sharing it at budget->max: the connection whose
 * frame goes past either bound is the one dropped. */
void rpc_conn_set_out_limit(struct rpc_conn *c, size_t max, struct rpc_out_budget *budget);
/* 0 when closed by this side or by the peer; -ENOBUFS when the peer stopped reading. */
int rpc_conn_close_reason(const struct rpc_conn *c);
/* Memory queued and not yet written, bookkeeping included (at close: what was dropped). */
size_t rpc_conn_queued(const struct rpc_conn *c);
bool rpc_conn_is_closed(const struct rpc_conn *c);
const struct ucred *rpc_conn_peer(const struct rpc_conn *c);
void *rpc_conn_userdata(const struct rpc_conn *c);
void rpc_conn_set_userdata(struct rpc_conn *c, void *userdata);
