/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netd's spawner (see spawner.h): the process, and netd's side of its socketpair. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "../qemud/spawner-wire.h"
#include "netd.h"
#include "spawn-detached.h"
#include "spawner.h"

static int spawner_sock = -1;
static char *conf_dir; /* STATE/netd, in the spawner */

const char *netd_dnsmasq_binary(void)
{
	const char *b = getenv("SEPVIRT_DNSMASQ");

	return b && b[0] == '/' ? b : NETD_DNSMASQ_DEFAULT;
}

/* A config name netd writes: "dnsmasq-NAME.conf", no '/', nothing hidden. */
static bool conf_name_ok(const char *name)
{
	size_t l = strlen(name);

	return startswith(name, "dnsmasq-") && l > 13 && l < 300 && !strchr(name, '/') &&
	       streq(name + l - 5, ".conf");
}

static char *conf_arg(const char *name) { return xasprintf("--conf-file=%s/%s", conf_dir, name); }

static int pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

/* In the detached grandchild: dnsmasq with stdio on /dev/null and a plain environment. */
static void dnsmasq_child(void *userdata, int report_fd)
{
	_cleanup_free_ char *arg = conf_arg(userdata);
	char *const argv[] = { (char *)netd_dnsmasq_binary(), arg, (char *)"--keep-in-foreground", NULL };
	char *const envp[] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
	int e, nul = open("/dev/null", O_RDWR | O_CLOEXEC);

	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	if (nul >= 0) {
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
	}
	execve(argv[0], argv, envp);
	e = errno;
	(void)!write(report_fd, &e, sizeof(e));
}

/* Detached (spawn-detached.h): dnsmasq survives netd and the spawner. */
static int launch(const char *name, pid_t *pid_out)
{
	return spawn_detached(dnsmasq_child, (void *)name, pid_out);
}

/* Whether pid is the dnsmasq of config name: its command line is exactly what launch() runs. */
static bool is_ours(pid_t pid, const char *name)
{
	_cleanup_free_ char *path = xasprintf("/proc/%d/cmdline", (int)pid), *arg = conf_arg(name);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	char buf[4096];
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	size_t l0;

	if (n <= 0)
		return false;
	buf[n] = '\0';
	l0 = strlen(buf);
	return streq(buf, netd_dnsmasq_binary()) && (size_t)n > l0 + 1 && streq(buf + l0 + 1, arg);
}

static void serve_one(int sock)
{
	_cleanup_message_ Sepvirt__SpawnRequest *req = NULL;
	_cleanup_free_ char *msg = NULL;
	int fds[RPC_MAX_FDS], out_fd = -1, r;
	size_t nfds = 0;
	pid_t pid = -1;

	r = qemud_spawner_recv(sock, &sepvirt__spawn_request__descriptor, (ProtobufCMessage **)&req, fds, &nfds);
	if (r < 0)
		_exit(0); /* netd is gone */
	if (req->action == SEPVIRT__SPAWN_ACTION__SPAWN_SIGNAL) {
		r = nfds == 1 && syscall(SYS_pidfd_send_signal, fds[0], req->signal, NULL, 0) == 0 ? 0 : -errno;
		if (r < 0)
			msg = xasprintf("cannot signal dnsmasq: %s", strerror(-r));
	} else if (req->n_argv != 1 || !conf_name_ok(req->argv[0])) {
		r = -EINVAL;
		msg = xasprintf("the spawner runs dnsmasq with a config of netd's only, not '%s'",
				req->n_argv ? req->argv[0] : "");
	} else if (req->action == SEPVIRT__SPAWN_ACTION__SPAWN_ADOPT) {
		pid = req->pid;
		r = pid > 1 && is_ours(pid, req->argv[0]) ? 0 : -ESRCH;
		if (r < 0)
			msg = xasprintf("process %d is not the dnsmasq of '%s'", (int)pid, req->argv[0]);
	} else if (req->action == SEPVIRT__SPAWN_ACTION__SPAWN_LAUNCH) {
		r = launch(req->argv[0], &pid);
		if (r < 0)
			msg = xasprintf("cannot execute '%s': %s", netd_dnsmasq_binary(), strerror(-r));
	} else {
		r = -EINVAL;
		msg = xstrdup("unknown request");
	}
	if (r >= 0 && req->action != SEPVIRT__SPAWN_ACTION__SPAWN_SIGNAL && (out_fd = pidfd_open(pid)) < 0) {
		r = -errno;
		msg = xasprintf("cannot open a pidfd of dnsmasq %d: %s", (int)pid, strerror(errno));
	}
	rpc_close_fds(fds, nfds);
	qemud_spawner_answer(sock, r, pid, msg, out_fd);
}

static _Noreturn void spawner_main(int sock, bool session)
{
	struct sandbox_identity self = { .uid = 0, .gid = 0, .extra_gid = (gid_t)-1, .session = session };
	struct sv_error err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "netd-spawner");
	signal(SIGCHLD, SIG_DFL);
	if (sock != 3) {
		if (dup2(sock, 3) < 0)
			_exit(1);
		sock = 3;
	}
	syscall(SYS_close_range, 4, ~0U, 0);
	/* Its row (sandbox.c): what dnsmasq needs and no more, bounding set too, no_new_privs. No
	 * seccomp filter: dnsmasq would inherit it. */
	if (!session && sandbox_drop_privileges(&netd_spawner_policy, &self, &err) < 0) {
		fprintf(stderr, "netd-spawner: %s\n", err.message);
		_exit(1);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(1);
	for (;;)
		serve_one(sock);
}

int netd_spawner_start(const char *state_dir, struct sv_error *err)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno, "cannot create the spawner socket");
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno, "cannot fork the spawner");
	}
	if (pid == 0) {
		close(sv[0]);
		conf_dir = xstrdup(state_dir);
		spawner_main(sv[1], netd.session);
	}
	close(sv[1]);
	spawner_sock = sv[0];
	return 0;
}

void netd_spawner_stop(void)
{
	if (spawner_sock >= 0)
		close(spawner_sock); /* the spawner reads EOF and exits; sepvirtd reaps it */
	spawner_sock = -1;
}

/* One request, one reply; a pidfd that came back goes to *pidfd. */
static int call(Sepvirt__SpawnRequest *req, const int *fds, size_t nfds, pid_t *pid, int *pidfd,
		struct sv_error *err)
{
	_cleanup_message_ Sepvirt__SpawnReply *rep = NULL;
	int rfds[RPC_MAX_FDS];
	size_t nrfds = 0;
	int r;

	if (spawner_sock < 0)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INTERNAL, EPIPE, "netd's spawner is not running");
	r = qemud_spawner_send(spawner_sock, &req->base, fds, nfds);
	if (r >= 0)
		r = qemud_spawner_recv(spawner_sock, &sepvirt__spawn_reply__descriptor, (ProtobufCMessage **)&rep, rfds,
				       &nrfds);
	if (r < 0) {
		rpc_close_fds(rfds, nrfds);
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_INTERNAL, -r, "netd's spawner did not answer");
	}
	if (rep->error) {
		rpc_close_fds(rfds, nrfds);
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_FAILED, rep->error, "%s", rep->message);
	}
	if (pidfd) {
		if (nrfds != 1) {
			rpc_close_fds(rfds, nrfds);
			return sv_error_set(err, SV_FROM_NET, SV_ERR_INTERNAL, EPROTO, "netd's spawner sent no pidfd");
		}
		*pidfd = rfds[0];
		*pid = rep->pid;
	} else {
		rpc_close_fds(rfds, nrfds);
	}
	return 0;
}

static int conf_call(Sepvirt__SpawnAction action, const char *conf, pid_t *pid, int *pidfd, struct sv_error *err)
{
	Sepvirt__SpawnRequest req = SEPVIRT__SPAWN_REQUEST__INIT;
	char *argv[] = { (char *)conf };

	req.action = action;
	req.n_argv = 1;
	req.argv = argv;
	req.pid = *pid;
	return call(&req, NULL, 0, pid, pidfd, err);
}

int netd_spawner_launch(const char *conf, pid_t *pid, int *pidfd, struct sv_error *err)
{
	*pid = 0;
	return conf_call(SEPVIRT__SPAWN_ACTION__SPAWN_LAUNCH, conf, pid, pidfd, err);
}

int netd_spawner_adopt(const char *conf, pid_t pid, int *pidfd, struct sv_error *err)
{
	return conf_call(SEPVIRT__SPAWN_ACTION__SPAWN_ADOPT, conf, &pid, pidfd, err);
}

int netd_spawner_signal(int pidfd, int sig, struct sv_error *err)
{
	Sepvirt__SpawnRequest req = SEPVIRT__SPAWN_REQUEST__INIT;

	req.action = SEPVIRT__SPAWN_ACTION__SPAWN_SIGNAL;
	req.signal = sig;
	return call(&req, &pidfd, 1, NULL, NULL, err);
}
