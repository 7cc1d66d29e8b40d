/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "daemon.h"
#include "instance.h"
#include "log.h"
#include "settings.h"

static struct daemon_ctx *the_ctx; /* for the ping handler */

static void usage(const char *name)
{
	printf("Usage: %s [OPTION]...\n"
	       "  --log-file PATH     log to PATH instead of stderr\n"
	       "  --log-level LEVEL   error, warning, info (default) or debug\n"
	       "  --version           print the version and exit\n"
	       "  --help              print this help and exit\n"
	       "Environment: SEPVIRT_ROOT puts every path under one directory; SEPVIRT_PROXY_USER,\n"
	       "SEPVIRT_QEMU_USER, SEPVIRT_STORAGE_USER name the daemons' users (default %s, %s, %s),\n"
	       "SEPVIRT_DAEMON_GROUP the driver sockets' group (%s), SEPVIRT_ADMIN_GROUP the group allowed\n"
	       "on the read-write socket (%s), SEPVIRT_VM_UIDS the uids QEMUs run as (%s).\n",
	       name, SEPVIRT_PROXY_USER_DEFAULT, SEPVIRT_QEMU_USER_DEFAULT, SEPVIRT_STORAGE_USER_DEFAULT,
	       SEPVIRT_DAEMON_GROUP_DEFAULT, SEPVIRT_ADMIN_GROUP_DEFAULT, SEPVIRT_VM_UIDS_DEFAULT);
}

int daemon_init(struct daemon_ctx *ctx, const char *name, const struct sandbox_policy *policy,
		int argc, char **argv)
{
	static const struct option opts[] = {
		{ "log-file", required_argument, NULL, 'l' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *log_file = NULL;
	enum log_level level = LOG_LVL_INFO;
	struct sv_error err;
	int c;

	memset(ctx, 0, sizeof(*ctx));
	ctx->name = name;
	ctx->policy = policy;
	ctx->status_fd = -1;
	ctx->lock_fd = -1;
	the_ctx = ctx;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			log_file = optarg;
			break;
		case 'L':
			if (log_level_parse(optarg, &level) < 0) {
				fprintf(stderr, "%s: invalid log level '%s'\n", name, optarg);
				return -EINVAL;
			}
			break;
		case 'V':
			printf("%s %s\n", name, PACKAGE_VERSION);
			return 1;
		case 'h':
			usage(name);
			return 1;
		default:
			usage(name);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", name, argv[optind]);
		return -EINVAL;
	}
	/* The configuration file first: it may set the log level and every identity below. */
	if (paths_init(&ctx->paths, &err) < 0 || settings_load(ctx->paths.config_dir, &err) < 0) {
		fprintf(stderr, "%s: %s\n", name, err.message);
		return -EINVAL;
	}
	if (log_init(name, log_file, level) < 0) {
		fprintf(stderr, "%s: cannot open log file '%s': %s\n", name, log_file, strerror(errno));
		return -EINVAL;
	}
	if (log_output_configured() == LOG_OUT_SYSLOG && (c = log_use_syslog()) < 0) {
		fprintf(stderr, "%s: log_output is syslog but the system logger's socket /dev/log cannot be "
			"reached: %s\n", name, strerror(-c));
		return -EINVAL;
	}
	signal(SIGPIPE, SIG_IGN);
	/* An fd per client, tap, volume, monitor: 1,024 is one local user's connections away. */
	sv_raise_nofile_limit();
	rpc_keep_frames_on_heap();
	if (suite_ids_resolve(&ctx->ids, geteuid() != 0, &err) < 0 ||
	    sandbox_resolve(policy, &ctx->ids, &ctx->id, &err) < 0) {
		log_error("%s", err.message);
		return -EINVAL;
	}
	if (paths_mkdir_p(ctx->paths.run_dir, 0755) < 0) {
		log_error("cannot create '%s': %s", ctx->paths.run_dir, strerror(errno));
		return -EINVAL;
	}
	/* One copy per SEPVIRT_ROOT: a second one would take the first one's socket. */
	ctx->lock_fd = instance_claim(ctx->paths.run_dir, name, &err);
	if (ctx->lock_fd < 0) {
		log_error("%s", err.message);
		return -EINVAL;
	}
	ctx->loop = evloop_new();
	if (!ctx->loop) {
		log_error("cannot create the event loop: %s", strerror(errno));
		return -EINVAL;
	}
	/* Kept open: ping reports CapEff and Seccomp after confinement without open(). */
	ctx->status_fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	return 0;
}

int daemon_listen(struct daemon_ctx *ctx, const char *sockname, mode_t mode, gid_t group, struct sv_error *err)
{
	_cleanup_free_ char *path = paths_socket(&ctx->paths, sockname);

	return daemon_listen_path(ctx, path, mode, group, err);
}

int daemon_listen_path(struct daemon_ctx *ctx, const char *path, mode_t mode, gid_t group, struct sv_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = -1;

	if (strlen(path) >= sizeof(sa.sun_path))
		return sv_error_set(err, SV_FROM_NONE, SV_ERR_INVALID_ARG, ENAMETOOLONG,
				    "socket path '%s' is too long (SEPVIRT_ROOT too deep?)", path);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "socket");
	if (instance_socket_live(path))
		return sv_error_set(err, SV_FROM_NONE, SV_ERR_OPERATION_INVALID, EADDRINUSE,
				    "socket '%s' is in use by a running copy of %s: not replacing it", path, ctx->name);
	unlink(path); /* a stale socket of an earlier run */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot bind '%s'", path);
	/* Owned by the uid the daemon will run as and, for a driver, the daemons' group: the other
	 * daemons may connect, a QEMU or any other user cannot (each procedure's roles refine it). */
	if (group == (gid_t)-1)
		group = ctx->ids.daemon_gid;
	if (!ctx->id.session && chown(path, ctx->id.uid, group) < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot chown '%s'", path);
	if (chmod(path, mode) < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot chmod '%s'", path);
	return TAKE_FD(fd);
}

int daemon_accept_clients(int fd, struct sv_error *err)
{
	if (listen(fd, 256) < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot listen on its socket");
	return 0;
}

int daemon_confine(struct daemon_ctx *ctx, struct sv_error *err)
{
	int r = sandbox_drop_privileges(ctx->policy, &ctx->id, err);
	if (r < 0)
		return r;
	return sandbox_load_filter(ctx->policy, err);
}

static void on_term(int signo, void *userdata)
{
	struct daemon_ctx *ctx = userdata;
	log_info("signal %d: shutting down", signo);
	evloop_quit(ctx->loop);
}

int daemon_run(struct daemon_ctx *ctx)
{
	int r;

	if (evloop_signal(ctx->loop, SIGTERM, on_term, ctx) < 0 || evloop_signal(ctx->loop, SIGINT, on_term, ctx) < 0) {
		log_error("cannot watch signals: %s", strerror(errno));
		return -1;
	}
	log_info("%s %s serving (uid %u, gid %u)", ctx->name, PACKAGE_VERSION, (unsigned)geteuid(),
		 (unsigned)getegid());
	r = evloop_run(ctx->loop);
	if (r < 0)
		log_error("event loop failed: %s", strerror(-r));
	return r;
}

void daemon_fini(struct daemon_ctx *ctx)
{
	evloop_free(ctx->loop);
	ctx->loop = NULL;
	if (ctx->status_fd >= 0)
		close(ctx->status_fd);
	if (ctx->lock_fd >= 0)
		close(ctx->lock_fd);
	paths_free(&ctx->paths);
}

void daemon_server_config(struct daemon_ctx *ctx, struct rpc_server_config *cfg)
{
	cfg->daemon = ctx->name;
	cfg->ids = &ctx->ids;
}

/* "CapEff:\t0000000000001000" -> the hex digits; "Seccomp:\t2" -> 2 */
static void read_status(int fd, char *capeff, size_t caplen, uint32_t *seccomp)
{
	char buf[4096];
	ssize_t n = fd >= 0 ? pread(fd, buf, sizeof(buf) - 1, 0) : -1;
	char *p;

	snprintf(capeff, caplen, "unknown");
	*seccomp = 0;
	if (n <= 0)
		return;
	buf[n] = '\0';
	p = strstr(buf, "CapEff:");
	if (p && sscanf(p + 7, " %31s", capeff) != 1)
		snprintf(capeff, caplen, "unknown");
	p = strstr(buf, "Seccomp:");
	if (p)
		*seccomp = (uint32_t)strtoul(p + 8, NULL, 10);
}

void daemon_fill_ping(Sepvirt__PingReply *rep)
{
	static char capeff[32];
	static uint32_t seccomp;
	static bool cached;
	static pid_t pid;
	static uid_t uid;
	static gid_t gid;

	/* Privileges only shrink after confinement, which precedes the first call: read once
	 * (generating /proc/self/status costs more than the whole round trip). */
	if (!cached) {
		read_status(the_ctx ? the_ctx->status_fd : -1, capeff, sizeof(capeff), &seccomp);
		pid = getpid();
		uid = geteuid();
		gid = getegid();
		cached = seccomp == 2;
	}
	rep->daemon = (char *)(the_ctx ? the_ctx->name : "sepvirt");
	rep->version = (char *)PACKAGE_VERSION;
	rep->pid = pid;
	rep->uid = uid;
	rep->gid = gid;
	rep->cap_eff = capeff;
	rep->seccomp = seccomp;
	rep->hypervisor = (char *)(the_ctx && the_ctx->hypervisor ? the_ctx->hypervisor : "");
}

int daemon_handle_ping(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
		       struct sv_error *err)
{
	Sepvirt__PingReply rep = SEPVIRT__PING_REPLY__INIT;
	Sepvirt__Identity who = SEPVIRT__IDENTITY__INIT;

	daemon_fill_ping(&rep);
	who.uid = req->caller.uid;
	who.gid = req->caller.gid;
	who.pid = req->caller.pid;
	who.read_only = req->caller.read_only;
	rep.caller = &who;
	rpc_reply_pack(reply, &rep.base);
	return 0;
}

int daemon_main_driver(const struct driver_spec *spec, int argc, char **argv)
{
	struct rpc_server_config cfg = {
		.program = spec->program,
		.error_domain = spec->error_domain,
		.procs = spec->procs,
		.nprocs = spec->nprocs,
		.userdata = spec->userdata,
	};
	struct rpc_server *server = NULL;
	struct daemon_ctx ctx;
	struct sv_error err;
	int r, fd;

	r = daemon_init(&ctx, spec->name, spec->policy, argc, argv);
	if (r != 0) {
		if (ctx.loop)
			daemon_fini(&ctx);
		return r > 0 ? 0 : 1;
	}
	fd = daemon_listen(&ctx, spec->sockname, 0660, (gid_t)-1, &err);
	r = fd;
	if (r >= 0 && spec->setup)
		r = spec->setup(&ctx, &err);
	if (r >= 0)
		r = daemon_confine(&ctx, &err);
	if (r >= 0)
		r = daemon_accept_clients(fd, &err);
	if (r >= 0) {
		daemon_server_config(&ctx, &cfg);
		server = rpc_server_new(ctx.loop, fd, &cfg);
		fd = -1;
		if (!server)
			r = sv_error_set_errno(&err, spec->error_domain, SV_ERR_SYSTEM, errno, "cannot watch the socket");
	}
	if (r >= 0 && spec->start)
		r = spec->start(&ctx, server, &err);
	if (r >= 0)
		r = daemon_run(&ctx);
	else
		log_error("%s", err.message);
	if (spec->stop)
		spec->stop(&ctx);
	rpc_server_free(server);
	if (fd >= 0)
		close(fd);
	daemon_fini(&ctx);
	return r < 0 ? 1 : 0;
}
