/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemud's side of the spawner: requests go over the socketpair at once, and the spawner answers
 * them one by one in the order they came, so each reply belongs to the oldest request still
 * waiting. A launch and a signal are answered from the loop (qemud never waits on the spawner
 * there: a launch that is slow to answer, an image on a stalled NFS server, holds up only its own
 * domain's start, and fails at its deadline); opening a pty and running a helper wait, with a
 * deadline of their own, handing what answers before theirs to the loop. */
#include "config.h"

#include <signal.h>
#include <poll.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>

#include "caller.h"
#include "log.h"
#include "qemud.h"
#include "spawner-priv.h"
#include "spawner-wire.h"

#define SYNC_TIMEOUT_MS 5000

struct spawn_call {
	char *what;                   /* for messages: "the launch of QEMU for domain 'vm1'" */
	uid_t uid;
	bool launch;                  /* a late answer's process is killed */
	bool sync;                    /* waited for by pump() */
	bool abandoned;               /* past its deadline: the answer is dropped */
	bool answered;
	int64_t sent_ms;
	int timeout_ms;
	struct evwatch *timer;
	qemud_spawner_fn fn;
	qemud_spawner_fd_fn fd_fn;    /* instead of fn: an opened image's answer */
	void *opaque;
	/* The answer. */
	int r;
	pid_t pid;
	int fd;
	struct sv_error err;
	struct spawn_call *next;
};

static int spawner_sock = -1;
static pid_t spawner_pid = -1;
static struct evwatch *sock_watch;
static struct spawn_call *queue; /* sent, oldest first, answered in this order */
static bool pumping;             /* answers are handed to the loop, not run */
static void (*idle_fn)(void);    /* runs once when nothing waits any more */

/* The frame being read. */
static uint8_t rx_hdr[RPC_FRAME_HEADER];
static uint8_t *rx_body;
static uint32_t rx_len;
static size_t rx_have;
static int rx_fds[RPC_MAX_FDS];
static size_t rx_nfds;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int qemud_spawner_start(const struct suite_ids *ids, const struct sv_paths *paths, struct sv_error *err)
{
	return qemud_spawner_fork(ids, paths, &spawner_sock, &spawner_pid, err);
}

static void call_free(struct spawn_call *k)
{
	if (k->timer)
		evwatch_remove(k->timer);
	if (k->fd >= 0)
		close(k->fd);
	free(k->what);
	free(k);
}

static void send_kill(pid_t pid, uid_t uid);

/* An answer for a caller on the loop: its callback, then the call is gone. */
static void deliver(void *p)
{
	struct spawn_call *k = p;

	if (k->fd_fn) {
		k->fd_fn(k->opaque, k->r, TAKE_FD(k->fd), &k->err);
		call_free(k);
		return;
	}
	if (!k->fn(k->opaque, k->r, k->pid, &k->err) && k->launch && k->r >= 0 && k->pid > 0) {
		log_warn("%s: its start ended meanwhile: stopping QEMU (pid %d)", k->what, (int)k->pid);
		send_kill(k->pid, k->uid);
	}
	call_free(k);
}

/* k (out of the queue) has its answer. */
static void answered(struct spawn_call *k)
{
	k->answered = true;
	if (k->sync)
		return; /* pump() takes it */
	if (k->abandoned) {
		/* Its caller gave up: a QEMU it launched after all must not outlive that. */
		if (k->launch && k->r >= 0 && k->pid > 0) {
			log_warn("%s: answered after its deadline (pid %d): stopping that QEMU", k->what, (int)k->pid);
			send_kill(k->pid, k->uid);
		}
		call_free(k);
	} else if (pumping) {
		evloop_defer_free(qemud.loop, deliver, k);
	} else {
		deliver(k);
	}
	if (!queue && idle_fn && !qemud.stopping) {
		void (*fn)(void) = idle_fn;
		idle_fn = NULL;
		fn();
	}
}

static struct spawn_call *pop(void)
{
	struct spawn_call *k = queue;

	if (k)
		queue = k->next;
	return k;
}

/* The spawner is gone (or broke the protocol): nothing more will be answered. */
static void spawner_lost(int r)
{
	struct spawn_call *k;

	if (sock_watch)
		evwatch_remove(sock_watch);
	sock_watch = NULL;
	if (spawner_sock >= 0)
		close(spawner_sock);
	spawner_sock = -1;
	rpc_close_fds(rx_fds, rx_nfds);
	rx_nfds = 0;
	free(rx_body);
	rx_body = NULL;
	rx_have = 0;
	log_error("the spawner stopped answering: %s", strerror(-r));
	while ((k = pop())) {
		k->r = sv_error_set_errno(&k->err, SV_FROM_QEMU, SV_ERR_OUTCOME_UNKNOWN, -r,
					  "the spawner was lost before it answered %s", k->what);
		answered(k);
	}
}

/* One answer read whole: the oldest request's. */
static void take_frame(void)
{
	_cleanup_message_ Sepvirt__SpawnReply *rep =
		(Sepvirt__SpawnReply *)protobuf_c_message_unpack(&sepvirt__spawn_reply__descriptor, NULL, rx_len, rx_body);
	struct spawn_call *k = pop();

	free(rx_body);
	rx_body = NULL;
	rx_have = 0;
	if (!k || !rep) {
		rpc_close_fds(rx_fds, rx_nfds);
		rx_nfds = 0;
		if (k) {
			k->r = sv_error_set(&k->err, SV_FROM_QEMU, SV_ERR_INTERNAL, EBADMSG,
					    "the spawner's answer to %s does not decode", k->what);
			answered(k);
		} else {
			log_error("the spawner answered a request nobody made");
		}
		return;
	}
	if (rep->error) {
		k->r = sv_error_set(&k->err, SV_FROM_QEMU,
				    rep->error == EPERM ? SV_ERR_PERMISSION : SV_ERR_OPERATION_FAILED, (int)rep->error, "%s",
				    rep->message);
	} else {
		k->r = 0;
		k->pid = rep->pid;
		if (rx_nfds == 1) {
			k->fd = rx_fds[0];
			rx_nfds = 0;
		}
	}
	rpc_close_fds(rx_fds, rx_nfds);
	rx_nfds = 0;
	answered(k);
}

/* Reads what the socket holds, up to the end of the frame under way: 1 when a frame is whole,
 * 0 when more must come, < 0 when the spawner is gone. Never waits. */
static int read_some(void)
{
	ssize_t n;

	if (rx_have < RPC_FRAME_HEADER) {
		n = rpc_recv_some_flags(spawner_sock, rx_hdr + rx_have, RPC_FRAME_HEADER - rx_have, rx_fds, &rx_nfds,
					RPC_MAX_FDS, MSG_DONTWAIT);
		if (n < 0)
			return n == -EAGAIN ? 0 : (int)n;
		if (n == 0)
			return -EPIPE;
		rx_have += (size_t)n;
		if (rx_have < RPC_FRAME_HEADER)
			return 0;
		rx_len = rpc_frame_read_len(rx_hdr);
		if (rpc_frame_check_len(rx_len, NULL) < 0)
			return -EMSGSIZE;
		rx_body = xmalloc(rx_len ? rx_len : 1);
	}
	while (rx_have < RPC_FRAME_HEADER + rx_len) {
		n = rpc_recv_some_flags(spawner_sock, rx_body + rx_have - RPC_FRAME_HEADER,
					RPC_FRAME_HEADER + rx_len - rx_have, rx_fds, &rx_nfds, RPC_MAX_FDS, MSG_DONTWAIT);
		if (n < 0)
			return n == -EAGAIN ? 0 : (int)n;
		if (n == 0)
			return -EPIPE;
		rx_have += (size_t)n;
	}
	return 1;
}

/* Takes every whole answer the socket holds. */
static void drain(void)
{
	int r;

	while (spawner_sock >= 0 && (r = read_some()) != 0) {
		if (r < 0)
			return spawner_lost(r);
		take_frame();
	}
}

static void on_readable(struct evwatch *w, int fd, uint32_t events, void *userdata) { drain(); }

static void on_deadline(struct evwatch *w, void *userdata)
{
	struct spawn_call *k = userdata;
	struct sv_error err;

	evwatch_remove(w);
	k->timer = NULL;
	/* It stays in the queue (its answer still comes first), abandoned. */
	k->abandoned = true;
	sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OUTCOME_UNKNOWN, ETIMEDOUT, "the spawner did not answer %s within %d ms",
		     k->what, k->timeout_ms);
	if (k->fd_fn)
		k->fd_fn(k->opaque, -ETIMEDOUT, -1, &err);
	else
		(void)k->fn(k->opaque, -ETIMEDOUT, -1, &err);
}

/* Sends req with fds and queues its call. */
static int send_request(Sepvirt__SpawnRequest *req, const int *fds, size_t nfds, struct spawn_call *k,
			struct sv_error *err)
{
	struct spawn_call **tail;
	int r;

	if (spawner_sock < 0)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EPIPE, "the spawner is not running (for %s)",
				    k->what);
	if (!sock_watch && qemud.loop && !(sock_watch = evloop_watch_fd(qemud.loop, spawner_sock, EPOLLIN, on_readable, NULL)))
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot watch the spawner");
	r = qemud_spawner_send(spawner_sock, &req->base, fds, nfds);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_INTERNAL, -r, "cannot send %s to the spawner", k->what);
	k->sent_ms = now_ms();
	for (tail = &queue; *tail; tail = &(*tail)->next)
		;
	*tail = k;
	return 0;
}

static struct spawn_call *call_new(char *what, uid_t uid)
{
	struct spawn_call *k = xcalloc(1, sizeof(*k));

	k->what = what;
	k->uid = uid;
	k->fd = -1;
	k->pid = -1;
	return k;
}

/* An asynchronous request: fn runs with the answer or at the deadline. */
static int submit(Sepvirt__SpawnRequest *req, const int *fds, size_t nfds, struct spawn_call *k, int timeout_ms,
		  struct sv_error *err)
{
	int r = send_request(req, fds, nfds, k, err);

	if (r < 0) {
		call_free(k);
		return r;
	}
	k->timeout_ms = timeout_ms;
	if (timeout_ms > 0)
		k->timer = evloop_timer(qemud.loop, (uint64_t)timeout_ms, 0, on_deadline, k);
	return 0;
}

/* A request waited for here, for at most SYNC_TIMEOUT_MS: answers to earlier requests that come
 * meanwhile are handed to the loop. */
static int pump(Sepvirt__SpawnRequest *req, const int *fds, size_t nfds, char *what, int *out_fd, pid_t *pid,
		struct sv_error *err)
{
	struct spawn_call *k = call_new(what, req->uid);
	int64_t deadline;
	int r;

	k->sync = true;
	r = send_request(req, fds, nfds, k, err);
	if (r < 0) {
		call_free(k);
		return r;
	}
	deadline = k->sent_ms + SYNC_TIMEOUT_MS;
	pumping = true;
	while (!k->answered && spawner_sock >= 0) {
		struct pollfd p = { .fd = spawner_sock, .events = POLLIN };
		int64_t left = deadline - now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) == 0)
			break;
		drain();
	}
	pumping = false;
	if (!k->answered) {
		/* Left in the queue for its answer to be dropped. */
		k->sync = false;
		k->abandoned = true;
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OUTCOME_UNKNOWN, ETIMEDOUT,
				    "the spawner did not answer %s within %d ms", what, SYNC_TIMEOUT_MS);
	}
	r = k->r;
	if (r < 0)
		*err = k->err;
	if (r >= 0 && out_fd)
		*out_fd = TAKE_FD(k->fd);
	if (r >= 0 && pid)
		*pid = k->pid;
	call_free(k);
	return r;
}

void qemud_spawner_stop(void)
{
	struct spawn_call *k;

	if (sock_watch)
		evwatch_remove(sock_watch);
	sock_watch = NULL;
	if (spawner_sock >= 0)
		close(spawner_sock); /* the spawner reads EOF and exits */
	spawner_sock = -1;
	spawner_pid = -1; /* not reaped: qemud has no wait4; sepvirtd reaps it after qemud exits */
	while ((k = pop())) {
		if (!k->abandoned && !k->sync) {
			k->r = sv_error_set(&k->err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ESHUTDOWN,
					    "sepvirt-qemud is stopping: %s is not answered", k->what);
			(void)k->fn(k->opaque, k->r, -1, &k->err);
		}
		call_free(k);
	}
	rpc_close_fds(rx_fds, rx_nfds);
	rx_nfds = 0;
	free(rx_body);
	rx_body = NULL;
}

/* A launch request for cmd: the paths are opened by the spawner into their slots; the rest of
 * the fds travel with it (into fds). */
static int launch_request(const struct command *cmd, uid_t uid, bool wait, Sepvirt__SpawnRequest *req,
			  Sepvirt__SpawnFile *files, Sepvirt__SpawnFile **filev, int *fds, size_t *nfds_out,
			  struct sv_error *err)
{
	size_t nslots, nfds = 0, nfiles = 0, n;
	const int *slots = command_fds(cmd, &nslots);
	char *const *argv = command_argv(cmd), *const *env = command_env(cmd);

	for (size_t i = 0; i < nslots; i++) {
		bool ro;
		const char *path = command_path(cmd, i, &ro);
		if (path) {
			sepvirt__spawn_file__init(&files[nfiles]);
			files[nfiles].path = (char *)path;
			files[nfiles].read_only = ro;
			files[nfiles].index = (uint32_t)i;
			filev[nfiles] = &files[nfiles];
			nfiles++;
		} else if (nfds + 1 >= RPC_MAX_FDS) {
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, EMFILE,
					    "too many file descriptors for one QEMU (at most %u)", RPC_MAX_FDS - 1);
		} else {
			fds[nfds++] = slots[i];
		}
	}
	for (n = 0; argv[n]; n++)
		;
	req->n_argv = n;
	req->argv = (char **)argv;
	for (n = 0; env[n]; n++)
		;
	req->n_env = n;
	req->env = (char **)env;
	req->nfds = (uint32_t)nfds;
	req->n_files = nfiles;
	req->files = filev;
	req->wait = wait;
	req->uid = uid;
	if (command_output_fd(cmd) >= 0) {
		req->has_output = true;
		fds[nfds++] = command_output_fd(cmd);
	}
	*nfds_out = nfds;
	return 0;
}

/* A launch of cmd: with k, answered from the loop; without, a helper run to its end, waited for. */
static int request(const struct command *cmd, uid_t uid, struct spawn_call *k, struct sv_error *err)
{
	Sepvirt__SpawnRequest req = SEPVIRT__SPAWN_REQUEST__INIT;
	size_t nslots, nfds = 0;
	int fds[RPC_MAX_FDS];
	int r;

	command_fds(cmd, &nslots);
	_cleanup_free_ Sepvirt__SpawnFile *files = xcalloc(nslots + 1, sizeof(*files));
	_cleanup_free_ Sepvirt__SpawnFile **filev = xcalloc(nslots + 1, sizeof(*filev));
	r = launch_request(cmd, uid, !k, &req, files, filev, fds, &nfds, err);
	if (r < 0 && k)
		call_free(k);
	if (r < 0)
		return r;
	if (k)
		return submit(&req, fds, nfds, k, rpc_caller_timeout_ms(), err);
	return pump(&req, fds, nfds, xasprintf("the run of '%s'", command_argv(cmd)[0]), NULL, NULL, err);
}

int qemud_spawner_launch(const struct command *cmd, uid_t uid, const char *what, qemud_spawner_fn fn, void *opaque,
			 struct sv_error *err)
{
	struct spawn_call *k = call_new(xstrdup(what), uid);

	k->launch = true;
	k->fn = fn;
	k->opaque = opaque;
	return request(cmd, uid, k, err);
}

int qemud_spawner_run(const struct command *cmd, uid_t uid, struct sv_error *err)
{
	return request(cmd, uid, NULL, err);
}

/* A signal's answer: nobody waits for it, a failure is logged. */
static bool signal_answered(void *opaque, int r, pid_t pid, const struct sv_error *err)
{
	if (r < 0)
		log_warn("%s", err->message);
	return true;
}

int qemud_spawner_signal(int pidfd, uid_t uid, int sig, struct sv_error *err)
{
	Sepvirt__SpawnRequest req = SEPVIRT__SPAWN_REQUEST__INIT;
	struct spawn_call *k = call_new(xasprintf("signal %d to a QEMU of uid %u", sig, (unsigned)uid), uid);

	req.action = SEPVIRT__SPAWN_ACTION__SPAWN_SIGNAL;
	req.uid = uid;
	req.signal = sig;
	k->fn = signal_answered;
	/* The pidfd travels with the request: the caller may close its own at once. */
	return submit(&req, &pidfd, 1, k, 0, err);
}

static void send_kill(pid_t pid, uid_t uid)
{
	struct sv_error err;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd < 0)
		return;
	if (qemud_spawner_signal(pidfd, uid, SIGKILL, &err) < 0)
		log_warn("cannot stop QEMU (pid %d): %s", (int)pid, err.message);
	close(pidfd);
}

int qemud_spawner_open_pty(const char *path, uid_t uid, int *fd, struct sv_error *err)
{
	Sepvirt__SpawnRequest req = SEPVIRT__SPAWN_REQUEST__INIT;

	*fd = -1;
	req.action = SEPVIRT__SPAWN_ACTION__SPAWN_OPEN_PTY;
	req.uid = uid;
	req.pty = (char *)path;
	return pump(&req, NULL, 0, xasprintf("the opening of '%s'", path), fd, NULL, err);
}

int qemud_spawner_open_image(const char *path, bool read_only, uid_t uid, qemud_spawner_fd_fn fn, void *opaque,
			     struct sv_error *err)
{
	Sepvirt__SpawnRequest req = SEPVIRT__SPAWN_REQUEST__INIT;
	Sepvirt__SpawnFile file = SEPVIRT__SPAWN_FILE__INIT, *files[] = { &file };
	struct spawn_call *k = call_new(xasprintf("the opening of image '%s'", path), uid);

	req.action = SEPVIRT__SPAWN_ACTION__SPAWN_OPEN_IMAGE;
	req.uid = uid;
	file.path = (char *)path;
	file.read_only = read_only;
	req.files = files;
	req.n_files = 1;
	k->fd_fn = fn;
	k->opaque = opaque;
	return submit(&req, NULL, 0, k, rpc_caller_timeout_ms(), err);
}

size_t qemud_spawner_waiting(void)
{
	size_t n = 0;

	for (struct spawn_call *k = queue; k; k = k->next)
		n++;
	return n;
}

void qemud_spawner_when_idle(void (*fn)(void))
{
	if (!queue) {
		fn();
		return;
	}
	idle_fn = fn;
}
