// SPDX-License-Identifier: LGPL-2.1-or-later
/* Calls from one daemon to another that never block the caller's loop (qemud to netd and
 * storaged, lxcd to netd). Each call is written on a connection kept to that daemon (made on
 * first use without waiting, made anew when the daemon closed it or its socket file changed), its
 * reply is matched by serial when it arrives, and its callback runs from the loop. Each call has
 * a deadline: past it the callback gets an error naming the daemon, the procedure, what the call
 * was for and the time waited; a reply that comes later is dropped and its fds closed. The
 * connection closing fails every call that waits on it. */
#pragma once

#include "evloop.h"
#include "frame.h"

struct rpc_caller;

/* The end of a call: r >= 0 with the reply (borrowed, valid during the callback) and its fds
 * (the callback owns them: keep or close), or r < 0 with err (reply NULL, no fds). */
typedef void (*rpc_caller_fn)(void *opaque, int r, const rpc_envelope *reply, int *fds, size_t nfds,
			      const struct sv_error *err);

/* daemon names the peer in errors ("sepvirt-netd"); error_domain is the caller's (SV_FROM_QEMU). */
struct rpc_caller *rpc_caller_new(struct evloop *loop, const char *socket_path, const char *daemon,
				  uint32_t program, int error_domain);
/* Every call still waiting ends with an error (ESHUTDOWN) before this returns. */
void rpc_caller_free(struct rpc_caller *c);
/* Sends proc with req; fn(opaque, ...) runs from the loop with the reply or at timeout_ms. what
 * says what the call is for, in errors ("interface 0 of domain 'vm1'"). Returns < 0 with err when
 * the call cannot be sent at all (the daemon does not run): fn is not called then. */
int rpc_caller_call(struct rpc_caller *c, uint32_t proc, const ProtobufCMessage *req, int timeout_ms,
		    const char *what, rpc_caller_fn fn, void *opaque, struct sv_error *err);
/* Calls sent and not answered yet (nor past their deadline). */
size_t rpc_caller_waiting(const struct rpc_caller *c);
/* The deadline of calls from a driver to another daemon: $SEPVIRT_DAEMON_CALL_TIMEOUT_MS
 * (daemon_call_timeout_ms in sepvirt.conf), default 30 s. */
int rpc_caller_timeout_ms(void);
