/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsepvirt: connections, URIs and the per-thread last error. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "paths.h"
#include "settings.h"

#include "libsepvirt-priv.h"

static __thread struct sv_error last_err;
static __thread sepvirt_error last_pub;
static __thread bool have_err;

const sepvirt_error *sepvirt_last_error(void)
{
	if (!have_err)
		return NULL;
	last_pub.code = last_err.code;
	last_pub.domain = last_err.domain;
	last_pub.message = last_err.message;
	return &last_pub;
}

const char *sepvirt_library_version(void) { return PACKAGE_VERSION; }

void client_clear_error(void) { have_err = false; }

int client_set_error(const struct sv_error *err)
{
	last_err = *err;
	have_err = true;
	return -1;
}

int client_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	last_err.code = code;
	last_err.domain = SV_FROM_CLIENT;
	vsnprintf(last_err.message, sizeof(last_err.message), fmt, ap);
	va_end(ap);
	have_err = true;
	return -1;
}

struct uri {
	uint32_t program;
	bool system;
	bool ssh;
	char host[256]; /* [user@]host for +ssh */
	char port[8];
};

/* DRIVER[+TRANSPORT]://[[user@]host[:port]]/system|session with DRIVER qemu or lxc and
 * TRANSPORT unix (default) or ssh. */
static int parse_uri(const char *uri, struct uri *u)
{
	const char *sep = strstr(uri, "://"), *plus, *path, *colon;
	size_t dlen, hlen;

	memset(u, 0, sizeof(*u));
	if (!sep)
		return client_error(SV_ERR_INVALID_ARG, "invalid URI '%s': expected DRIVER:///system or DRIVER:///session", uri);
	plus = memchr(uri, '+', sep - uri);
	dlen = (plus ? plus : sep) - uri;
	if (dlen == 4 && !strncmp(uri, "qemu", 4))
		u->program = SEPVIRT__PROGRAM__PROGRAM_QEMU;
	else if (dlen == 3 && !strncmp(uri, "lxc", 3))
		u->program = SEPVIRT__PROGRAM__PROGRAM_LXC;
	else
		return client_error(SV_ERR_INVALID_ARG, "unsupported URI '%s': sepvirt drives qemu and lxc", uri);
	if (plus && (size_t)(sep - plus - 1) == 3 && !strncmp(plus + 1, "ssh", 3))
		u->ssh = true;
	else if (plus && !((size_t)(sep - plus - 1) == 4 && !strncmp(plus + 1, "unix", 4)))
		return client_error(SV_ERR_INVALID_ARG, "unsupported transport in URI '%s': use unix or ssh", uri);
	path = strchr(sep + 3, '/');
	if (!path)
		return client_error(SV_ERR_INVALID_ARG, "invalid URI '%s': the path must be /system or /session", uri);
	hlen = path - (sep + 3);
	if (u->ssh != (hlen > 0))
		return client_error(SV_ERR_INVALID_ARG, u->ssh ? "invalid URI '%s': +ssh needs a host" :
						"invalid URI '%s': a host needs the +ssh transport", uri);
	if (hlen >= sizeof(u->host))
		return client_error(SV_ERR_INVALID_ARG, "invalid URI '%s': host too long", uri);
	memcpy(u->host, sep + 3, hlen);
	colon = strrchr(u->host, ':');
	if (colon) {
		snprintf(u->port, sizeof(u->port), "%s", colon + 1);
		u->host[colon - u->host] = '\0';
	}
	if (u->host[0] == '-' || strpbrk(u->host, " \t\n;'\"`$\\"))
		return client_error(SV_ERR_INVALID_ARG, "invalid host in URI '%s'", uri);
	if (streq(path, "/system"))
		u->system = true;
	else if (!streq(path, "/session"))
		return client_error(SV_ERR_INVALID_ARG, "invalid URI '%s': the path must be /system or /session", uri);
	return 0;
}

/* Runs `ssh [-p PORT] HOST sepvirt-ssh-helper ...` on one end of a socketpair; the remote helper
 * splices it to that host's proxyd socket, where proxyd sees the ssh user's identity.
 * $SEPVIRT_SSH replaces the ssh command (tests, or ssh options). */
static int connect_ssh(const struct uri *u, bool ro, struct rpc_client **out, pid_t *child)
{
	const char *ssh = getenv("SEPVIRT_SSH");
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return client_error(SV_ERR_SYSTEM, "socketpair: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return client_error(SV_ERR_SYSTEM, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		const char *argv[12];
		int n = 0;
		dup2(sv[1], STDIN_FILENO);
		dup2(sv[1], STDOUT_FILENO);
		argv[n++] = ssh && ssh[0] ? ssh : "ssh";
		if (u->port[0]) {
			argv[n++] = "-p";
			argv[n++] = u->port;
		}
		argv[n++] = "--";
		argv[n++] = u->host;
		argv[n++] = "sepvirt-ssh-helper";
		argv[n++] = u->system ? "--system" : "--session";
		if (ro)
			argv[n++] = "--readonly";
		argv[n] = NULL;
		execvp(argv[0], (char **)argv);
		_exit(127);
	}
	close(sv[1]);
	*out = rpc_client_from_fd(sv[0], u->host);
	*child = pid;
	return 0;
}

sepvirt_conn *sepvirt_connect(const char *uri, unsigned int flags)
{
	struct sv_paths paths;
	struct sv_error err;
	int spin = rpc_client_default_spin_us(), timeout = 0;
	struct uri u;
	sepvirt_conn *c;
	bool ro = flags & SEPVIRT_CONNECT_RO;

	client_clear_error();
	if (!uri || !uri[0])
		uri = getenv("SEPVIRT_DEFAULT_URI");
	if (!uri || !uri[0])
		uri = geteuid() == 0 ? "qemu:///system" : "qemu:///session";
	if (parse_uri(uri, &u) < 0)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->ssh_pid = -1;
	if (u.ssh) {
		if (connect_ssh(&u, ro, &c->rpc, &c->ssh_pid) < 0) {
			free(c);
			return NULL;
		}
	} else {
		if (paths_init_mode(&paths, !u.system, &err) < 0) {
			free(c);
			client_set_error(&err);
			return NULL;
		}
		_cleanup_free_ char *path = paths_socket(&paths, ro ? "proxyd-ro" : "proxyd");
		char v[32];
		/* The client's own keys of sepvirt.conf (the environment still overrides them). */
		if (settings_lookup(paths.config_dir, "client_spin_us", v, sizeof(v)))
			spin = atoi(v);
		if (settings_lookup(paths.config_dir, "call_timeout_ms", v, sizeof(v)))
			timeout = atoi(v);
		paths_free(&paths);
		if (rpc_client_connect(path, &c->rpc, &err) < 0) {
			client_error(SV_ERR_RPC, "failed to connect to the sepvirt proxy: %s (is sepvirtd running?)",
				     err.message);
			free(c);
			return NULL;
		}
	}
	rpc_client_set_spin(c->rpc, spin);
	if (timeout > 0)
		rpc_client_set_timeout(c->rpc, timeout);
	c->uri = xstrdup(uri);
	c->program = u.program;
	return c;
}

int sepvirt_close(sepvirt_conn *conn)
{
	if (!conn)
		return 0;
	rpc_client_free(conn->rpc);
	if (conn->ssh_pid > 0)
		waitpid(conn->ssh_pid, NULL, 0); /* ssh exits once its end of the socketpair closes */
	free(conn->uri);
	free(conn);
	return 0;
}

const char *sepvirt_conn_uri(const sepvirt_conn *conn) { return conn->uri; }

int client_call(sepvirt_conn *conn, uint32_t program, uint32_t proc, const ProtobufCMessage *req,
		const ProtobufCMessageDescriptor *reply_desc, ProtobufCMessage **reply)
{
	struct sv_error err;

	client_clear_error();
	if (!conn)
		return client_error(SV_ERR_INVALID_ARG, "no connection");
	if (rpc_client_call(conn->rpc, program, proc, req, NULL, 0, reply_desc, reply, NULL, NULL, &err) < 0)
		return client_set_error(&err);
	return 0;
}

int sepvirt_conn_set_timeout(sepvirt_conn *conn, int ms)
{
	client_clear_error();
	if (!conn || ms < 0)
		return client_error(SV_ERR_INVALID_ARG, "invalid call timeout %d ms (0 or more)", ms);
	rpc_client_set_timeout(conn->rpc, ms);
	return 0;
}
