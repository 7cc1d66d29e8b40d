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

/* An answer of the spawner (text and the fds that came with it) -> out, or err. */
static int parse_answer(const char *text, int fds[3], struct lxcd_started *out, struct sv_error *err)
{
	int code = 0, off = 0;

	if (startswith(text, "ok ") && fds[2] >= 0 && sscanf(text, "ok %d %llu", &out->pid, &out->start_ticks) == 2) {
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

/* Launches sent and not answered yet, oldest first: the spawner answers them in that order. */
struct launch_call {
	char *what;
	lxcd_spawner_fn fn;
	void *opaque;
	int timeout_ms;
	struct evwatch *timer;
	bool abandoned; /* past its deadline: a container launched after all is killed */
	struct launch_call *next;
};

static struct launch_call *queue;
static struct evwatch *sock_watch;

static void launch_call_free(struct launch_call *k)
{
	if (k->timer)
		evwatch_remove(k->timer);
	free(k->what);
	free(k);
}

/* A container nobody waits for any more: its init never gets the go. */
static void drop_started(struct lxcd_started *st)
{
	kill(st->pid, SIGKILL);
	close(st->pidfd);
	close(st->go_fd);
	close(st->status_fd);
}

static void on_answer(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	char text[SV_ERROR_MSG_MAX + 32], cbuf[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { .iov_base = text, .iov_len = sizeof(text) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	int fds[3] = { -1, -1, -1 };
	struct launch_call *k = queue;
	struct lxcd_started st;
	struct sv_error err;
	ssize_t n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	int r;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* The spawner is gone: nothing waiting will be answered. */
		evwatch_remove(w);
		sock_watch = NULL;
		while ((k = queue)) {
			queue = k->next;
			sv_error_set(&err, SV_FROM_LXC, SV_ERR_OUTCOME_UNKNOWN, EPIPE,
				     "the container spawner was lost before it answered %s", k->what);
			if (!k->abandoned && !k->fn(k->opaque, -EPIPE, NULL, &err))
				log_warn("%s: the launch is lost", k->what);
			launch_call_free(k);
		}
		return;
	}
	text[n] = '\0';
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len == CMSG_LEN(sizeof(fds)))
			memcpy(fds, CMSG_DATA(cm), sizeof(fds));
	r = parse_answer(text, fds, &st, &err);
	if (!k) {
		log_error("the container spawner answered a launch nobody asked for");
		if (r >= 0)
			drop_started(&st);
		return;
	}
	queue = k->next;
	if ((k->abandoned || !k->fn(k->opaque, r, r >= 0 ? &st : NULL, &err)) && r >= 0) {
		log_warn("%s: answered after its start ended: killing init (pid %d)", k->what, (int)st.pid);
		drop_started(&st);
	}
	launch_call_free(k);
}

static void on_deadline(struct evwatch *w, void *userdata)
{
	struct launch_call *k = userdata;
	struct sv_error err;

	evwatch_remove(w);
	k->timer = NULL;
	k->abandoned = true; /* stays queued: its answer still comes first */
	sv_error_set(&err, SV_FROM_LXC, SV_ERR_OUTCOME_UNKNOWN, ETIMEDOUT,
		     "the container spawner did not answer %s within %d ms", k->what, k->timeout_ms);
	(void)k->fn(k->opaque, -ETIMEDOUT, NULL, &err);
}

int lxcd_spawner_launch(const char *req, size_t len, int timeout_ms, const char *what, lxcd_spawner_fn fn,
			void *opaque, struct sv_error *err)
{
	struct launch_call *k, **tail;

	if (!sock_watch && !(sock_watch = evloop_watch_fd(lxcd.ctx->loop, lxcd.spawner_fd, EPOLLIN, on_answer, NULL)))
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot watch the container spawner");
	if (send(lxcd.spawner_fd, req, len, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)len)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno,
					  "cannot reach the container spawner for %s", what);
	k = xcalloc(1, sizeof(*k));
	k->what = xstrdup(what);
	k->fn = fn;
	k->opaque = opaque;
	k->timeout_ms = timeout_ms;
	k->timer = evloop_timer(lxcd.ctx->loop, (uint64_t)timeout_ms, 0, on_deadline, k);
	for (tail = &queue; *tail; tail = &(*tail)->next)
		;
	*tail = k;
	return 0;
}

void lxcd_spawner_calls_fini(void)
{
	struct launch_call *k;
	struct sv_error err;

	if (sock_watch)
		evwatch_remove(sock_watch);
	sock_watch = NULL;
	sv_error_set(&err, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, ESHUTDOWN, "sepvirt-lxcd is stopping");
	while ((k = queue)) {
		queue = k->next;
		if (!k->abandoned)
			(void)k->fn(k->opaque, -ESHUTDOWN, NULL, &err);
		launch_call_free(k);
	}
}
