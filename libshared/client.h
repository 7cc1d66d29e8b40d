/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The calling side: a blocking connection that sends one call and waits for its reply
 * (matched by serial). Used by libsepvirt and by daemons calling another daemon. */
#pragma once

#include "frame.h"

struct rpc_client;

int rpc_client_connect(const char *path, struct rpc_client **out, struct sv_error *err);
/* Takes ownership of a connected stream socket (e.g. one end of a socketpair to an ssh tunnel);
 * label names the peer in error messages. */
struct rpc_client *rpc_client_from_fd(int fd, const char *label);
void rpc_client_free(struct rpc_client *c);
static inline void rpc_client_freep(struct rpc_client **c) { rpc_client_free(*c); }
#define _cleanup_rpc_client_ _cleanup_(rpc_client_freep)
/* Milliseconds to wait for a reply; 0 waits forever. Default: $SEPVIRT_CALL_TIMEOUT_MS or 120 s. */
void rpc_client_set_timeout(struct rpc_client *c, int ms);
int rpc_client_fd(const struct rpc_client *c);
/* A connection kept between calls (a daemon's to another daemon): rpc_client_keep() notes the
 * socket file it was made on, after rpc_client_connect(); rpc_client_idle_alive() says whether it
 * is still usable: nothing pending, the peer has not closed it, and its path still names that
 * socket (a daemon restarted, or its socket taken away, is reached anew or not at all). */
void rpc_client_keep(struct rpc_client *c);
bool rpc_client_idle_alive(const struct rpc_client *c);
/* Microseconds to poll for a reply before sleeping (0, the default, sleeps at once). Clients set
 * rpc_client_default_spin_us(): $SEPVIRT_CLIENT_SPIN_US or RPC_CLIENT_SPIN_US_DEFAULT. Polling
 * stops by itself while replies keep taking longer than the window. Daemons calling another
 * daemon do not spin (their seccomp allowlists have no sched_yield). */
#define RPC_CLIENT_SPIN_US_DEFAULT 100
void rpc_client_set_spin(struct rpc_client *c, int us);
int rpc_client_default_spin_us(void);

/* The two halves of a call, for several calls in flight on one connection (stream chunks):
 * replies come back in the order of the calls, so wait for the oldest serial first. */
int rpc_client_send(struct rpc_client *c, uint32_t program, uint32_t proc, const ProtobufCMessage *req,
		    const int *fds, size_t nfds, uint64_t *serial, struct sv_error *err);
int rpc_client_recv(struct rpc_client *c, uint64_t serial, const ProtobufCMessageDescriptor *reply_desc,
		    ProtobufCMessage **reply, int *out_fds, size_t *out_nfds, struct sv_error *err);

/* One call. reply_desc may be NULL when the reply carries nothing the caller needs.
 * out_fds (capacity RPC_MAX_FDS) receives the fds sent with the reply; the caller owns them. */
int rpc_client_call(struct rpc_client *c, uint32_t program, uint32_t proc,
		    const ProtobufCMessage *req, const int *fds, size_t nfds,
		    const ProtobufCMessageDescriptor *reply_desc, ProtobufCMessage **reply,
		    int *out_fds, size_t *out_nfds, struct sv_error *err);

/* Events (after PROC_EVENT_REGISTER): the next event frame, one that came while a reply was
 * awaited first. Waits up to timeout_ms (-1: forever). Returns 1 with *env (the caller frees
 * it), 0 when the time ran out, < 0 with err. */
int rpc_client_next_event(struct rpc_client *c, int timeout_ms, rpc_envelope **env, struct sv_error *err);
