/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container spawner process and the daemon's calls to it. */
#include "config.h"

#include <cap-ng.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "container.h"
#include "launch.h"
#include "log.h"
#include "lxcd.h"
#include "spawner.h"

/* Keep the spawner's own capabilities to its table, in its bounding set too, so nothing it ever
 * runs in the host's user namespace could gain more. Containers are not narrowed by this: a new
 * user namespace starts with a full bounding set whatever its creator's (user_namespaces(7)), and
 * the container narrows its own (container.c).
 * No no_new_privs and no seccomp filter here, by decision: both are inherited across clone and
 * exec by every container, where no_new_privs would break setuid programs (su, ping, passwd) and
 * an allowlist fit for the spawner would cripple what containers may run; the containers get
 * their own filter instead, and the spawner takes requests only from lxcd over its socketpair. */
static int spawner_drop_caps(void)
{
	capng_clear(CAPNG_SELECT_BOTH);
	for (size_t i = 0; i < lxcd_spawner_ncaps; i++)
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET, lxcd_spawner_caps[i].cap);
	/* The bounding set first, while CAP_SETPCAP is still held. */
	if (capng_apply(CAPNG_SELECT_BOUNDS) < 0 || capng_apply(CAPNG_SELECT_CAPS) < 0)
		return -EPERM;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return 0;
}

static _Noreturn void spawner_main(int sock)
{
	_cleanup_free_ char *buf = xmalloc(LXCD_LAUNCH_MAX + 1);

	prctl(PR_SET_NAME, "sepvirt-lxc-spw", 0, 0, 0);
	/* Without lxcd there is nobody to serve. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (spawner_drop_caps() < 0) {
		log_error("spawner: cannot narrow its capabilities");
		_exit(1);
	}
	for (;;) {
		struct lxcd_launch *req = xmalloc(sizeof(*req));
		struct sv_error err;
		ssize_t n = recv(sock, buf, LXCD_LAUNCH_MAX, 0);
		pid_t pid;

		if (n < 0 && errno == EINTR) {
			free(req);
			continue;
		}
		if (n <= 0)
			_exit(0);
		if (lxcd_launch_decode(buf, (size_t)n, req, &err) < 0) {
			_cleanup_free_ char *msg = xasprintf("error %d %s", err.code, err.message);
			(void)!send(sock, msg, strlen(msg), MSG_NOSIGNAL);
			free(req);
			continue;
		}
		pid = fork();
		if (pid == 0)
			lxcd_container_launch(req, sock);
		if (pid < 0) {
			_cleanup_free_ char *msg = xasprintf("error %d cannot fork: %s", SV_ERR_SYSTEM, strerror(errno));
			(void)!send(sock, msg, strlen(msg), MSG_NOSIGNAL);
		} else {
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
		free(req);
	}
}

int lxcd_spawner_start(int *sock, pid_t *pid_out, struct sv_error *err)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "socketpair");
	pid = fork();
	if (pid < 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot fork the spawner");
	if (pid == 0) {
		/* Nothing of the daemon's (its listening socket above all) stays open here. */
		for (int fd = 3; fd < 1024; fd++)
			if (fd != sv[1] && fd != log_fd())
				close(fd);
		spawner_main(sv[1]);
	}
	close(sv[1]);
	*sock = sv[0];
	*pid_out = pid;
	return 0;
}

int lxcd_spawner_launch(int sock, const char *req, size_t len, struct lxcd_started *out, struct sv_error *err)
{
	char text[SV_ERROR_MSG_MAX + 32], cbuf[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { .iov_base = text, .iov_len = sizeof(text) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	int fds[3] = { -1, -1, -1 }, code = 0, off = 0;
	ssize_t n;

	if (send(sock, req, len, MSG_NOSIGNAL) != (ssize_t)len)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot reach the container spawner");
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, n < 0 ? errno : EPIPE,
					  "no answer from the container spawner");
	text[n] = '\0';
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len == CMSG_LEN(sizeof(fds)))
			memcpy(fds, CMSG_DATA(cm), sizeof(fds));
	if (startswith(text, "ok ") && fds[2] >= 0 &&
	    sscanf(text, "ok %d %llu", &out->pid, &out->start_ticks) == 2) {
		out->pidfd = fds[0];
		out->go_fd = fds[1];
		out->status_fd = fds[2];
		return 0;
	}
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (sscanf(text, "error %d %n", &code, &off) == 1 && off > 0)
		return sv_error_set(err, SV_FROM_LXC, code > 0 && code < SV_ERR_LAST ? code : SV_ERR_OPERATION_FAILED,
				    EINVAL, "%s", text + off);
	return sv_error_set(err, SV_FROM_LXC, SV_ERR_INTERNAL, EPROTO, "bad answer from the container spawner");
}
