/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The start-up every daemon shares, in the fixed order of STYLE.md:
 * open what it needs (socket, dirs, log) -> drop uid/gid and capabilities -> no_new_privs ->
 * seccomp -> only then serve. */
#pragma once

#include "evloop.h"
#include "paths.h"
#include "sandbox.h"
#include "server.h"

struct daemon_ctx {
	const char *name; /* "sepvirt-qemud" */
	const struct sandbox_policy *policy;
	struct evloop *loop;
	struct sv_paths paths;
	struct sandbox_identity id; /* who it will run as */
	struct suite_ids ids;       /* who is who in the suite: peers' roles, socket groups */
	int status_fd;              /* /proc/self/status, opened before confinement for ping */
	int lock_fd;                /* run_dir/NAME.pid, locked for the process's life (instance.h) */
	const char *hypervisor;     /* reported by ping when set */
	int exit_code;
};

/* Parses the common options (--log-file, --log-level, --version, --help), sets up logging and
 * paths, resolves the identity. Returns 1 when the process should exit 0 at once (--help). */
int daemon_init(struct daemon_ctx *ctx, const char *name, const struct sandbox_policy *policy,
		int argc, char **argv);
/* Binds run_dir/NAME.sock with mode, owned by the daemon's future uid and group (gid_t)-1: the
 * driver sockets' group (the daemons only); proxyd's read-write socket names the admins' group.
 * It does not listen yet: a connect is refused until daemon_accept_clients(), after confinement,
 * so nobody (sepvirtd's readiness check included) reaches a daemon that is not yet confined. */
int daemon_listen(struct daemon_ctx *ctx, const char *sockname, mode_t mode, gid_t group, struct sv_error *err);
/* The same at a path of its own (proxyd's libvirt-sock has no .sock suffix). */
int daemon_listen_path(struct daemon_ctx *ctx, const char *path, mode_t mode, gid_t group, struct sv_error *err);
int daemon_accept_clients(int fd, struct sv_error *err);
/* Drop privileges and load the seccomp filter. */
int daemon_confine(struct daemon_ctx *ctx, struct sv_error *err);
/* Serves until SIGTERM or SIGINT. */
int daemon_run(struct daemon_ctx *ctx);
void daemon_fini(struct daemon_ctx *ctx);
/* A server config that knows the roles of the suite's uids. */
void daemon_server_config(struct daemon_ctx *ctx, struct rpc_server_config *cfg);

/* The PROC_PING handler every daemon lists in its table. */
int daemon_handle_ping(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
		       struct sv_error *err);
/* Fills a PingReply for this process (strings point into static storage). */
void daemon_fill_ping(Sepvirt__PingReply *rep);

/* A driver daemon: one socket, one dispatch table. */
struct driver_spec {
	const char *name;     /* "sepvirt-netd" */
	const char *sockname; /* "netd" */
	uint32_t program;
	int error_domain;
	const struct sandbox_policy *policy;
	const struct rpc_proc *procs;
	size_t nprocs;
	void *userdata;       /* rpc_server_userdata() of its server (a domain driver: its store) */
	/* Before confinement: open devices, state dirs, spawners. May be NULL. */
	int (*setup)(struct daemon_ctx *ctx, struct sv_error *err);
	/* After confinement, before the first client: reload state, re-attach. May be NULL. */
	int (*start)(struct daemon_ctx *ctx, struct rpc_server *server, struct sv_error *err);
	/* On SIGTERM, before exit. May be NULL. */
	void (*stop)(struct daemon_ctx *ctx);
};

int daemon_main_driver(const struct driver_spec *spec, int argc, char **argv);
