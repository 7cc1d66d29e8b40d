/* sepvirt-proxyd: what its files share. */
#pragma once

#include "conn.h"
#include "daemon.h"
#include "sandbox.h"

extern const struct sandbox_policy proxyd_sandbox_policy;

struct proxy;

struct proxy_client {
	struct proxy *proxy;
	struct rpc_conn *conn;
	struct ucred peer;
	bool read_only;
	size_t in_flight;
};

/* route.c: driver connections and requests in flight. */
struct proxy *proxy_new(struct daemon_ctx *ctx);
void proxy_free(struct proxy *p);
/* A call from a client: answered locally, refused, or forwarded to its driver. */
void proxy_route_call(struct proxy_client *cl, rpc_envelope *env, int *fds, size_t nfds);
/* The client is gone: forget its calls in flight. */
void proxy_forget_client(struct proxy *p, struct proxy_client *cl);

/* clients.c: the two listening sockets. */
int proxy_listen_clients(struct proxy *p, struct daemon_ctx *ctx, int rw_fd, int ro_fd);
void proxy_close_clients(struct proxy *p);
