/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Limits that keep proxyd serving when a local user opens connections without end or stops
 * reading: connections per uid and in all (root keeps a share nobody else may use), memory
 * queued for clients that do not read, and what happens when the fds run out all the same. */
#include "config.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"
#include "proxyd.h"

#define DEFAULT_MAX_CLIENTS 1000u
#define DEFAULT_MAX_PER_UID 100u
#define MAX_CLIENTS_CEILING 1000000u
/* What a client may leave unread: two of the largest frames (a 4 MiB reply must fit), and all
 * the clients of one uid other than root together eight of them, so a uid's 100 connections
 * cannot hold 100 times that. */
#define CLIENT_OUT_MAX (2u * (RPC_FRAME_HEADER + RPC_FRAME_MAX))
#define UID_OUT_MAX (8u * (RPC_FRAME_HEADER + RPC_FRAME_MAX))
/* accept() found no fd and none could be freed: listen again after this long. */
#define ACCEPT_PAUSE_MS 100
/* Refusals are logged at most once per interval, with a count of the ones left out. */
#define LOG_INTERVAL_S 5

struct uid_entry {
	uid_t uid;
	unsigned n;
	struct rpc_out_budget out;
};

struct log_limit {
	time_t last;
	unsigned left_out;
};

static struct {
	unsigned max_clients, max_per_uid, root_reserve;
	unsigned total;
	struct uid_entry **uids; /* pointers: a budget must not move while connections use it */
	size_t nuids, cap;
	int spare_fd; /* given up to accept a client and refuse it when the fds run out */
	struct evwatch *listeners[2];
	size_t nlisteners;
	struct evwatch *resume_timer;
	bool paused;
	struct log_limit refusals, drops, no_fds;
} lim = { .spare_fd = -1 };

/* True when this line may be logged; *left_out is then what was not. */
static bool log_allowed(struct log_limit *l, unsigned *left_out)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (l->last && now.tv_sec - l->last < LOG_INTERVAL_S) {
		l->left_out++;
		return false;
	}
	l->last = now.tv_sec;
	*left_out = l->left_out;
	l->left_out = 0;
	return true;
}

static void log_limited(struct log_limit *l, const char *what, int pid)
{
	unsigned left_out;

	if (!log_allowed(l, &left_out))
		return;
	if (left_out)
		log_warn("%s (pid %d; %u more like it in the last %d s)", what, pid, left_out, LOG_INTERVAL_S);
	else
		log_warn("%s (pid %d)", what, pid);
}

static int env_unsigned(const char *name, unsigned def, unsigned min, unsigned max, unsigned *out,
			struct sv_error *err)
{
	const char *s = getenv(name);
	unsigned long v;
	char *end;

	if (!s || !*s) {
		*out = def;
		return 0;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || s[0] < '0' || s[0] > '9' || v < min || v > max)
		return sv_error_set(err, SV_FROM_PROXY, SV_ERR_INVALID_ARG, EINVAL,
				    "%s='%s' is not a number from %u to %u", name, s, min, max);
	*out = (unsigned)v;
	return 0;
}

static void on_resume(struct evwatch *w, void *userdata)
{
	if (!lim.paused)
		return;
	lim.paused = false;
	for (size_t i = 0; i < lim.nlisteners; i++)
		evwatch_set_events(lim.listeners[i], EPOLLIN);
}

int proxy_limits_init(struct evloop *loop, struct sv_error *err)
{
	struct rlimit rl;
	int r;

	r = env_unsigned("SEPVIRT_MAX_CLIENTS", DEFAULT_MAX_CLIENTS, 2, MAX_CLIENTS_CEILING, &lim.max_clients, err);
	if (r < 0)
		return r;
	/* A tenth for root alone: an administrator still gets in when other users hold the rest. */
	lim.root_reserve = lim.max_clients / 10 ? lim.max_clients / 10 : 1;
	r = env_unsigned("SEPVIRT_MAX_CLIENTS_PER_UID", DEFAULT_MAX_PER_UID < lim.max_clients - lim.root_reserve ?
			 DEFAULT_MAX_PER_UID : lim.max_clients - lim.root_reserve, 1, MAX_CLIENTS_CEILING,
			 &lim.max_per_uid, err);
	if (r < 0)
		return r;
	if (lim.max_per_uid > lim.max_clients - lim.root_reserve)
		return sv_error_set(err, SV_FROM_PROXY, SV_ERR_INVALID_ARG, EINVAL,
				    "SEPVIRT_MAX_CLIENTS_PER_UID=%u is more than the %u connections users other than "
				    "root may hold together (SEPVIRT_MAX_CLIENTS=%u, %u kept for root)", lim.max_per_uid,
				    lim.max_clients - lim.root_reserve, lim.max_clients, lim.root_reserve);
	/* Opened before confinement (no open() after): a slot to free when accept() finds none. */
	lim.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	/* Armed only when accepting must pause; this first expiry finds nothing paused. */
	lim.resume_timer = evloop_timer(loop, 24 * 3600 * 1000, 0, on_resume, NULL);
	if (lim.spare_fd < 0 || !lim.resume_timer)
		return sv_error_set_errno(err, SV_FROM_PROXY, SV_ERR_SYSTEM, errno, "cannot set up the client limits");
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)lim.max_clients + 64)
		log_warn("%llu file descriptors for up to %u clients (SEPVIRT_MAX_CLIENTS): raise the limit "
			 "(LimitNOFILE=, ulimit -n), or clients will be refused before that", (unsigned long long)rl.rlim_cur,
			 lim.max_clients);
	log_info("client limits: %u connections, %u per uid other than root, %u kept for root", lim.max_clients,
		 lim.max_per_uid, lim.root_reserve);
	return 0;
}

void proxy_limits_fini(void)
{
	for (size_t i = 0; i < lim.nuids; i++)
		free(lim.uids[i]);
	free(lim.uids);
	lim.uids = NULL;
	lim.nuids = lim.cap = 0;
	if (lim.spare_fd >= 0)
		close(lim.spare_fd);
	lim.spare_fd = -1;
}

void proxy_limits_add_listener(struct evwatch *w)
{
	if (lim.nlisteners < ARRAY_SIZE(lim.listeners))
		lim.listeners[lim.nlisteners++] = w;
}

static struct uid_entry *uid_find(uid_t uid, size_t *index)
{
	for (size_t i = 0; i < lim.nuids; i++)
		if (lim.uids[i]->uid == uid) {
			if (index)
				*index = i;
			return lim.uids[i];
		}
	return NULL;
}

static struct uid_entry *uid_get(uid_t uid)
{
	struct uid_entry *u = uid_find(uid, NULL);

	if (u)
		return u;
	if (lim.nuids == lim.cap) {
		lim.cap = lim.cap ? lim.cap * 2 : 16;
		lim.uids = xrealloc(lim.uids, lim.cap * sizeof(*lim.uids));
	}
	u = xcalloc(1, sizeof(*u));
	u->uid = uid;
	u->out.max = UID_OUT_MAX;
	lim.uids[lim.nuids++] = u;
	return u;
}

bool proxy_limits_refuse(struct proxy_client *cl)
{
	uid_t uid = cl->peer.uid;
	struct uid_entry *u = uid_find(uid, NULL);
	bool root = uid == 0;
	unsigned share = root ? lim.max_clients : lim.max_clients - lim.root_reserve;
	struct sv_error err;

	if (!root && u && u->n >= lim.max_per_uid)
		sv_error_set(&err, SV_FROM_PROXY, SV_ERR_OPERATION_FAILED, EUSERS,
			     "too many connections from uid %u (limit %u)", (unsigned)uid, lim.max_per_uid);
	else if (lim.total >= share)
		sv_error_set(&err, SV_FROM_PROXY, SV_ERR_OPERATION_FAILED, EUSERS,
			     "too many connections to sepvirt-proxyd (limit %u%s)", share,
			     root ? "" : " for users other than root");
	else {
		u = uid_get(uid);
		u->n++;
		lim.total++;
		cl->counted = true;
		/* root's clients are bounded one by one, not as a group */
		rpc_conn_set_out_limit(cl->conn, CLIENT_OUT_MAX, root ? NULL : &u->out);
		return false;
	}
	log_limited(&lim.refusals, err.message, (int)cl->peer.pid);
	proxy_client_refuse(cl, &err);
	return true;
}

void proxy_limits_release(struct proxy_client *cl)
{
	struct uid_entry *u;
	size_t i;

	if (rpc_conn_close_reason(cl->conn) == -ENOBUFS) {
		char what[160];
		snprintf(what, sizeof(what), "client uid %u does not read its replies: dropped with %zu bytes queued",
			 (unsigned)cl->peer.uid, rpc_conn_queued(cl->conn));
		log_limited(&lim.drops, what, (int)cl->peer.pid);
	}
	if (!cl->counted)
		return;
	cl->counted = false;
	lim.total--;
	u = uid_find(cl->peer.uid, &i);
	if (u && --u->n == 0) {
		/* its last connection is closed, so nothing is queued against the budget any more */
		lim.uids[i] = lim.uids[--lim.nuids];
		free(u);
	}
}

/* Sends err on a connection that has no rpc_conn yet, and closes it. */
static void refuse_fd(int fd, const struct sv_error *err)
{
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	Sepvirt__Error holder;
	_cleanup_free_ uint8_t *buf = NULL;
	struct sv_error perr;
	size_t len;

	rpc_envelope_set_error(&env, &holder, err);
	if (rpc_frame_pack(&env, &buf, &len, &perr) == 0)
		(void)!send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
}

void proxy_limits_accept_failed(int listen_fd, int e)
{
	unsigned left_out;
	int cfd;

	if (e != EMFILE && e != ENFILE && e != ENOBUFS && e != ENOMEM)
		return; /* EAGAIN (another watch took it), ECONNABORTED...: nothing is wrong */
	if (log_allowed(&lim.no_fds, &left_out))
		log_warn("cannot accept a client: %s (%u clients; %u more times in the last %d s)", strerror(e),
			 lim.total, left_out, LOG_INTERVAL_S);
	/* Level-triggered epoll would call again at once, for ever: free the spare slot, take the
	 * client and tell it why it is refused, then take the slot back. */
	if (lim.spare_fd >= 0) {
		close(lim.spare_fd);
		cfd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (cfd >= 0) {
			struct sv_error err;
			sv_error_set(&err, SV_FROM_PROXY, SV_ERR_OPERATION_FAILED, e,
				     "sepvirt-proxyd cannot accept more connections now: %s", strerror(e));
			refuse_fd(cfd, &err);
		}
		lim.spare_fd = fcntl(listen_fd, F_DUPFD_CLOEXEC, 0);
		if (cfd >= 0 && lim.spare_fd >= 0)
			return;
	}
	/* No slot to free (or it did not help): stop listening for a moment. */
	if (!lim.paused) {
		lim.paused = true;
		for (size_t i = 0; i < lim.nlisteners; i++)
			evwatch_set_events(lim.listeners[i], 0);
		evtimer_rearm(lim.resume_timer, ACCEPT_PAUSE_MS, 0);
	}
}
