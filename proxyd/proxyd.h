/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-proxyd: what its files share. */
#pragma once

#include "conn.h"
#include "daemon.h"
#include "pending.h"
#include "sandbox.h"

extern const struct sandbox_policy proxyd_sandbox_policy;

struct proxy;

#define PROXY_NPROGRAMS (SEPVIRT__PROGRAM__PROGRAM_STORAGE + 1)

struct proxy_client {
	struct proxy *proxy;
	struct rpc_conn *conn;
	struct ucred peer;
	bool read_only;
	size_t in_flight;
	uint32_t event_programs; /* a bit per program whose events it receives */
	bool counted;            /* against the connection limits (limits.c) */
	struct lv_session *lv;   /* a client of libvirt's protocol (libvirt-sock), else NULL */
	uint64_t id;             /* stamped on its calls (Identity.client): start --autodestroy */
	uint32_t start_programs; /* a bit per program it called DOMAIN_START of: told when it goes */
};

/* route.c: driver connections and requests in flight. */
struct proxy *proxy_new(struct daemon_ctx *ctx);
void proxy_free(struct proxy *p);
/* A call from a client: answered locally, refused, or forwarded to its driver. */
void proxy_route_call(struct proxy_client *cl, rpc_envelope *env, int *fds, size_t nfds);
/* The client is gone: forget its calls in flight and its subscriptions. */
void proxy_forget_client(struct proxy *p, struct proxy_client *cl);
/* A call of proxyd's own to a driver daemon (connecting first); its reply is dropped. */
int proxy_driver_call(struct proxy *p, uint32_t program, uint32_t proc, const ProtobufCMessage *msg,
		      struct sv_error *err);
struct evloop *proxy_loop(struct proxy *p);
/* A call of the driver of program made for cl (stamped with cl's identity); done gets the reply. */
int proxy_call_for(struct proxy_client *cl, uint32_t program, uint32_t proc, const ProtobufCMessage *msg,
		   proxy_reply_fn done, void *ud, struct sv_error *err);

/* events.c: subscriptions and the relay of event frames. */
void proxy_events_register(struct proxy *p, struct proxy_client *cl, const rpc_envelope *env);
void proxy_events_relay(struct proxy *p, uint32_t program, const rpc_envelope *env);
void proxy_events_driver_lost(struct proxy *p, uint32_t program);
void proxy_events_forget_client(struct proxy_client *cl);
void proxy_events_fini(void);

/* clients.c: the listening sockets: proxyd's own protocol and libvirt's, each read-write and read-only. */
enum proxy_socket {
	PROXY_SOCK_RW, PROXY_SOCK_RO,       /* sepvirt's protocol */
	PROXY_SOCK_LV_RW, PROXY_SOCK_LV_RO, /* libvirt's remote protocol */
	PROXY_NSOCKS
};
int proxy_listen_clients(struct proxy *p, struct daemon_ctx *ctx, const int fds[PROXY_NSOCKS]);
/* Refuses a client that has just connected: err reaches it in its own protocol, then it is closed. */
void proxy_client_refuse(struct proxy_client *cl, const struct sv_error *err);
/* Subscribes cl to the events of program (or unsubscribes it). */
int proxy_events_subscribe(struct proxy *p, struct proxy_client *cl, uint32_t program, bool enable,
			   struct sv_error *err);
void proxy_close_clients(struct proxy *p);

/* limits.c: connections per uid and in all, unread output, running out of fds.
 * Reads SEPVIRT_MAX_CLIENTS and SEPVIRT_MAX_CLIENTS_PER_UID; call before confinement. */
int proxy_limits_init(struct evloop *loop, struct sv_error *err);
void proxy_limits_fini(void);
/* A listening socket's watch, paused for a moment when accept() finds no fd and none can be freed. */
void proxy_limits_add_listener(struct evwatch *w);
/* accept() on listen_fd failed with errno e. */
void proxy_limits_accept_failed(int listen_fd, int e);
/* Counts a new client, or refuses it past a limit (an error frame naming the limit, then close):
 * returns true when refused. */
bool proxy_limits_refuse(struct proxy_client *cl);
/* The client is gone: uncounted (and logged when it was dropped for not reading). */
void proxy_limits_release(struct proxy_client *cl);
