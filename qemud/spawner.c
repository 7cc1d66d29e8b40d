#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "frame.h"
#include "log.h"
#include "spawner.h"

static int spawner_sock = -1;
static pid_t spawner_pid = -1;

bool qemud_spawner_allowed(const char *path)
{
	const char *extra = getenv("SEPVIRT_QEMU_BINARIES");

	if (streq(path, QEMU_SYSTEM_DEFAULT))
		return true;
	if (!extra)
		return false;
	_cleanup_free_ char *list = xstrdup(extra);
	char *save = NULL;
	for (char *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save))
		if (p[0] == '/' && streq(p, path))
			return true;
	return false;
}

/* A frame here: 4-byte big-endian length, the message, fds on the first byte. */
static int send_msg(int sock, const ProtobufCMessage *msg, const int *fds, size_t nfds)
{
	size_t len = protobuf_c_message_get_packed_size(msg);
	_cleanup_free_ uint8_t *buf = xmalloc(len + RPC_FRAME_HEADER);

	buf[0] = (uint8_t)(len >> 24);
	buf[1] = (uint8_t)(len >> 16);
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	protobuf_c_message_pack(msg, buf + RPC_FRAME_HEADER);
	return rpc_send_all(sock, buf, len + RPC_FRAME_HEADER, fds, nfds);
}

static int recv_exact(int sock, uint8_t *buf, size_t len, int *fds, size_t *nfds)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = rpc_recv_some(sock, buf + off, len - off, fds, nfds, RPC_MAX_FDS);
		if (n < 0)
			return (int)n;
		if (n == 0)
			return -EPIPE;
		off += (size_t)n;
	}
	return 0;
}

static int recv_msg(int sock, const ProtobufCMessageDescriptor *desc, ProtobufCMessage **msg, int *fds,
		    size_t *nfds)
{
	uint8_t hdr[RPC_FRAME_HEADER];
	_cleanup_free_ uint8_t *buf = NULL;
	uint32_t len;
	int r;

	*nfds = 0;
	r = recv_exact(sock, hdr, sizeof(hdr), fds, nfds);
	if (r < 0)
		return r;
	len = rpc_frame_read_len(hdr);
	if (rpc_frame_check_len(len, NULL) < 0)
		return -EMSGSIZE;
	buf = xmalloc(len ? len : 1);
	r = recv_exact(sock, buf, len, fds, nfds);
	if (r < 0)
		return r;
	*msg = protobuf_c_message_unpack(desc, NULL, len, buf);
	return *msg ? 0 : -EBADMSG;
}

/* In the grandchild: back to default signal handling (qemud ignores SIGPIPE and blocks
 * SIGTERM for its signalfd; an exec'd QEMU must not inherit either). */
static void reset_signals(void)
{
	sigset_t none;

	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* A short helper: one fork, reaped here, so it is never anybody else's child. */
static int run_to_end(const struct command *cmd)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int keep = -1;
		reset_signals();
		command_exec_child(cmd, &keep);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

/* Fork twice: the middle child starts a session and exits, so the command is nobody's child
 * here and survives qemud and the spawner. Reports the pid, or the exec errno. */
static int launch(const struct command *cmd, pid_t *pid_out)
{
	int pfd[2];
	pid_t mid, child = -1;
	int child_errno = 0;
	ssize_t n;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	mid = fork();
	if (mid < 0) {
		int e = errno;
		close(pfd[0]);
		close(pfd[1]);
		return -e;
	}
	if (mid == 0) {
		close(pfd[0]);
		setsid();
		pid_t c = fork();
		if (c == 0) {
			int keep = pfd[1];
			reset_signals();
			int e = -command_exec_child(cmd, &keep);
			(void)!write(keep, &e, sizeof(e));
			_exit(127);
		}
		(void)!write(pfd[1], &c, sizeof(c));
		_exit(c < 0 ? 1 : 0);
	}
	close(pfd[1]);
	waitpid(mid, NULL, 0);
	n = read(pfd[0], &child, sizeof(child));
	if (n == (ssize_t)sizeof(child) && child > 0) {
		/* EOF when exec succeeded (the pipe is close-on-exec); an errno when it failed. */
		n = read(pfd[0], &child_errno, sizeof(child_errno));
		if (n != (ssize_t)sizeof(child_errno))
			child_errno = 0;
	}
	close(pfd[0]);
	if (child <= 0)
		return -EAGAIN;
	if (child_errno)
		return -child_errno;
	*pid_out = child;
	return 0;
}

static void serve_one(int sock)
{
	_cleanup_message_ Sepvirt__SpawnRequest *req = NULL;
	Sepvirt__SpawnReply rep = SEPVIRT__SPAWN_REPLY__INIT;
	_cleanup_command_ struct command *cmd = NULL;
	_cleanup_free_ char *msg = NULL;
	int fds[RPC_MAX_FDS];
	size_t nfds = 0, i;
	pid_t pid = -1;
	int r;

	r = recv_msg(sock, &sepvirt__spawn_request__descriptor, (ProtobufCMessage **)&req, fds, &nfds);
	if (r < 0) {
		rpc_close_fds(fds, nfds);
		_exit(r == -EPIPE ? 0 : 1); /* qemud is gone (or broke the protocol): so are we */
	}
	if (req->n_argv == 0 || nfds != req->nfds + (req->has_output ? 1 : 0)) {
		rpc_close_fds(fds, nfds);
		r = -EINVAL;
		msg = xstrdup("malformed launch request");
	} else if (!qemud_spawner_allowed(req->argv[0])) {
		rpc_close_fds(fds, nfds);
		r = -EPERM;
		msg = xasprintf("binary '%s' is not on the spawner's list (%s, $SEPVIRT_QEMU_BINARIES)",
				req->argv[0], QEMU_SYSTEM_DEFAULT);
	} else {
		cmd = command_new(req->argv[0]);
		for (i = 1; i < req->n_argv; i++)
			command_add_arg(cmd, req->argv[i]);
		for (i = 0; i < req->n_env; i++) {
			char *eq = strchr(req->env[i], '=');
			if (eq) {
				*eq = '\0';
				command_add_env(cmd, req->env[i], eq + 1);
			}
		}
		for (i = 0; i < req->nfds; i++)
			command_pass_fd(cmd, fds[i]);
		if (req->has_output)
			command_set_output(cmd, fds[nfds - 1]);
		r = req->wait ? run_to_end(cmd) : launch(cmd, &pid);
		if (r < 0)
			msg = xasprintf("cannot execute '%s': %s", req->argv[0], strerror(-r));
	}
	rep.pid = r < 0 ? -1 : pid;
	rep.error = r < 0 ? -r : 0;
	rep.message = msg ? msg : (char *)"";
	if (send_msg(sock, &rep.base, NULL, 0) < 0)
		_exit(0);
}

static _Noreturn void spawner_main(int sock, const struct sandbox_policy *policy,
				   const struct sandbox_identity *id)
{
	struct sv_error err;

	/* Dies with qemud; its children do not (the flag is cleared on fork). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "qemud-spawner");
	/* Only stdio and the request socket: not qemud's listening socket or state fds. */
	if (sock != 3) {
		if (dup2(sock, 3) < 0)
			_exit(1);
		sock = 3;
	}
	syscall(SYS_close_range, 4, ~0U, 0);
	/* The suite user, the kvm group, no capability, and no way back (no_new_privs): what
	 * QEMU starts with before its own -sandbox. */
	if (sandbox_drop_privileges(policy, id, &err) < 0) {
		fprintf(stderr, "qemud-spawner: %s\n", err.message);
		_exit(1);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(1);
	for (;;)
		serve_one(sock);
}

int qemud_spawner_start(const struct sandbox_policy *policy, const struct sandbox_identity *id,
			struct sv_error *err)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot create the spawner socket");
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot fork the spawner");
	}
	if (pid == 0) {
		close(sv[0]);
		spawner_main(sv[1], policy, id);
	}
	close(sv[1]);
	spawner_sock = sv[0];
	spawner_pid = pid;
	return 0;
}

static int request(const struct command *cmd, bool wait, pid_t *pid, struct sv_error *err);

int qemud_spawner_launch(const struct command *cmd, pid_t *pid, struct sv_error *err)
{
	return request(cmd, false, pid, err);
}

int qemud_spawner_run(const struct command *cmd, struct sv_error *err)
{
	pid_t unused;
	return request(cmd, true, &unused, err);
}

static int request(const struct command *cmd, bool wait, pid_t *pid, struct sv_error *err)
{
	Sepvirt__SpawnRequest req = SEPVIRT__SPAWN_REQUEST__INIT;
	_cleanup_message_ Sepvirt__SpawnReply *rep = NULL;
	int fds[RPC_MAX_FDS], rfds[RPC_MAX_FDS];
	size_t nfds, nrfds = 0, n;
	const int *cfds = command_fds(cmd, &nfds);
	char *const *argv = command_argv(cmd), *const *env = command_env(cmd);
	int r;

	if (spawner_sock < 0)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EPIPE, "the spawner is not running");
	if (nfds + 1 > RPC_MAX_FDS)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, EMFILE,
				    "too many file descriptors for one QEMU (%zu, at most %u)", nfds, RPC_MAX_FDS - 1);
	memcpy(fds, cfds, nfds * sizeof(int));
	for (n = 0; argv[n]; n++)
		;
	req.n_argv = n;
	req.argv = (char **)argv;
	for (n = 0; env[n]; n++)
		;
	req.n_env = n;
	req.env = (char **)env;
	req.nfds = nfds;
	req.wait = wait;
	if (command_output_fd(cmd) >= 0) {
		req.has_output = true;
		fds[nfds++] = command_output_fd(cmd);
	}
	r = send_msg(spawner_sock, &req.base, fds, nfds);
	if (r >= 0)
		r = recv_msg(spawner_sock, &sepvirt__spawn_reply__descriptor, (ProtobufCMessage **)&rep, rfds, &nrfds);
	rpc_close_fds(rfds, nrfds);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_INTERNAL, -r, "the spawner did not answer");
	if (rep->error)
		return sv_error_set(err, SV_FROM_QEMU, rep->error == EPERM ? SV_ERR_PERMISSION : SV_ERR_OPERATION_FAILED,
				    rep->error, "%s", rep->message);
	*pid = rep->pid;
	return 0;
}

void qemud_spawner_stop(void)
{
	if (spawner_sock >= 0)
		close(spawner_sock); /* the spawner reads EOF and exits */
	spawner_sock = -1;
	spawner_pid = -1; /* not reaped: qemud has no wait4; sepvirtd reaps it after qemud exits */
}
