/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "frame.h"
#include "log.h"
#include "qmp.h"

#define QMP_CMD_TIMEOUT_MS 30000
#define QMP_START_TIMEOUT_MS 60000
#define QMP_LINE_MAX (1024 * 1024)

/* An fd handed to QEMU (getfd, add-fd): sent with the first byte of its command, at off in out. */
struct out_fd {
	size_t off;
	int fd;
	struct out_fd *next;
};

struct queued_event {
	char *name;
	struct json_object *data;
	struct queued_event *next;
};

/* A command written to the monitor whose reply has not come. */
struct qmp_cmd {
	struct qemud_qmp *m;
	unsigned long long id;
	char *name;
	qemud_qmp_cb cb;         /* NULL once told (deadline passed): the reply is then dropped */
	void *opaque;
	struct evwatch *timer;
	int64_t sent_ms;
	int timeout_ms;
	struct qmp_cmd *next;
};

enum handshake { HS_GREETING, HS_CAPABILITIES, HS_DONE };

struct qemud_qmp {
	struct evloop *loop;
	int fd;
	char *label;
	struct evwatch *watch;
	struct evwatch *deliver; /* one-shot timer delivering queued events */
	const struct qemud_qmp_ops *ops;
	void *userdata;
	char *buf;
	size_t len, cap;
	char *out;               /* bytes not written yet (QEMU not reading) */
	size_t out_len, out_off;
	struct out_fd *out_fds;  /* not sent yet, in the order of their commands */
	unsigned long long next_id;
	bool eof, eof_told, closed;
	struct queued_event *events, **events_tail;
	struct qmp_cmd *cmds;    /* waiting for their reply, oldest first */
	char version[32];
	/* The handshake. */
	enum handshake hs;
	qemud_qmp_cb ready;
	void *ready_opaque;
	int abort_fd;
	struct evwatch *abort_watch, *hs_timer;
	int hs_timeout_ms;
	/* Unresponsive since a command passed its deadline, until QEMU says anything. */
	bool unresponsive;
	int64_t stuck_since;
	char stuck_cmd[64];
};

int64_t qemud_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int qemud_qmp_timeout_ms(void)
{
	const char *v = getenv("SEPVIRT_QMP_TIMEOUT_MS"); /* sepvirt.conf's qmp_timeout_ms lands here */
	long ms = v && *v ? strtol(v, NULL, 10) : 0;

	return ms > 0 && ms < 24L * 3600 * 1000 ? (int)ms : QMP_CMD_TIMEOUT_MS;
}

int qemud_qmp_start_timeout_ms(void)
{
	int cmd = qemud_qmp_timeout_ms();

	return cmd > QMP_START_TIMEOUT_MS / 2 ? 2 * cmd : QMP_START_TIMEOUT_MS;
}

static void deliver(struct evwatch *w, void *userdata);

static void schedule_delivery(struct qemud_qmp *m)
{
	if (m->deliver || m->closed)
		return;
	m->deliver = evloop_timer(m->loop, 1, 0, deliver, m);
}

static void queue_event(struct qemud_qmp *m, struct json_object *obj)
{
	struct json_object *ev = NULL, *data = NULL;
	struct queued_event *q;

	if (!json_object_object_get_ex(obj, "event", &ev))
		return;
	json_object_object_get_ex(obj, "data", &data);
	q = xcalloc(1, sizeof(*q));
	q->name = xstrdup(json_object_get_string(ev));
	q->data = data ? json_object_get(data) : NULL;
	*m->events_tail = q;
	m->events_tail = &q->next;
	schedule_delivery(m);
}

/* Reads what is there; returns 0, or -EPIPE at end of stream. Non-blocking socket. */
static int fill(struct qemud_qmp *m)
{
	for (;;) {
		ssize_t n;
		if (m->cap - m->len < 4096) {
			if (m->cap >= QMP_LINE_MAX)
				return -EMSGSIZE;
			m->cap = m->cap ? m->cap * 2 : 8192;
			m->buf = xrealloc(m->buf, m->cap + 1);
		}
		n = read(m->fd, m->buf + m->len, m->cap - m->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (n == 0) {
			m->eof = true;
			return -EPIPE;
		}
		m->len += (size_t)n;
	}
}

/* Takes one complete line off the buffer as JSON; NULL when none is complete. */
static struct json_object *next_message(struct qemud_qmp *m)
{
	for (;;) {
		char *nl = m->len ? memchr(m->buf, '\n', m->len) : NULL;
		struct json_object *obj;
		size_t linelen;

		if (!nl)
			return NULL;
		*nl = '\0';
		linelen = (size_t)(nl - m->buf) + 1;
		obj = json_tokener_parse(m->buf);
		memmove(m->buf, nl + 1, m->len - linelen);
		m->len -= linelen;
		if (obj)
			return obj;
		log_debug("qmp: unparsable line skipped");
	}
}

static void handshake_end(struct qemud_qmp *m, int r, const struct sv_error *err)
{
	qemud_qmp_cb ready = m->ready;

	if (m->hs_timer)
		evwatch_remove(m->hs_timer);
	if (m->abort_watch)
		evwatch_remove(m->abort_watch);
	m->hs_timer = m->abort_watch = NULL;
	m->ready = NULL;
	if (r >= 0)
		m->hs = HS_DONE;
	if (ready)
		ready(m->ready_opaque, r, NULL, err);
}

static void tell_eof(struct qemud_qmp *m)
{
	if (m->eof_told)
		return;
	m->eof_told = true;
	if (m->watch) {
		evwatch_remove(m->watch);
		m->watch = NULL;
	}
	if (m->hs != HS_DONE && m->ready) {
		struct sv_error err;
		sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EPIPE,
			     "domain '%s': QEMU closed its monitor connection", m->label);
		handshake_end(m, -EPIPE, &err);
		return;
	}
	schedule_delivery(m);
}

static void deliver(struct evwatch *w, void *userdata)
{
	struct qemud_qmp *m = userdata;

	evwatch_remove(w);
	m->deliver = NULL;
	while (m->events && !m->closed) {
		struct queued_event *q = m->events;
		m->events = q->next;
		if (!m->events)
			m->events_tail = &m->events;
		if (m->ops->event)
			m->ops->event(m, q->name, q->data, m->userdata);
		free(q->name);
		if (q->data)
			json_object_put(q->data);
		free(q);
	}
	if (m->eof_told && !m->closed && m->ops->eof) {
		m->closed = true; /* eof is said once */
		m->ops->eof(m, m->userdata);
	}
}

static void cmd_free(struct qmp_cmd *c)
{
	if (c->timer)
		evwatch_remove(c->timer);
	free(c->name);
	free(c);
}

static void cmd_unlink(struct qemud_qmp *m, struct qmp_cmd *c)
{
	for (struct qmp_cmd **p = &m->cmds; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			return;
		}
}

/* A reply: its command's callback runs (a reply for a command that timed out is dropped). */
static void on_reply(struct qemud_qmp *m, struct json_object *rep)
{
	struct json_object *idv = NULL, *val = NULL;
	unsigned long long id;
	struct qmp_cmd *c;
	struct sv_error err;

	if (m->unresponsive) {
		log_info("domain '%s': QEMU's monitor answers again (after %.3f s)", m->label,
			 (double)(qemud_now_ms() - m->stuck_since) / 1000);
		m->unresponsive = false;
	}
	if (!json_object_object_get_ex(rep, "id", &idv))
		return;
	id = (unsigned long long)json_object_get_uint64(idv);
	for (c = m->cmds; c && c->id != id; c = c->next)
		;
	if (!c)
		return;
	cmd_unlink(m, c);
	if (c->cb) {
		if (json_object_object_get_ex(rep, "error", &val)) {
			struct json_object *desc = NULL;
			json_object_object_get_ex(val, "desc", &desc);
			sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EIO, "QEMU refused '%s': %s", c->name,
				     desc ? json_object_get_string(desc) : "no reason given");
			c->cb(c->opaque, -EIO, NULL, &err);
		} else {
			json_object_object_get_ex(rep, "return", &val);
			c->cb(c->opaque, 0, val, NULL);
		}
	}
	cmd_free(c);
}

static void on_greeting(struct qemud_qmp *m, struct json_object *greeting);

static void on_readable(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	struct qemud_qmp *m = userdata;
	struct json_object *obj;
	int r = fill(m);

	while (!m->closed && (obj = next_message(m))) {
		if (json_object_object_get_ex(obj, "event", NULL))
			queue_event(m, obj);
		else if (m->hs == HS_GREETING)
			on_greeting(m, obj);
		else
			on_reply(m, obj);
		json_object_put(obj);
	}
	if (m->closed)
		return;
	if (r == -EMSGSIZE)
		log_warn("domain '%s': QEMU's monitor sent an oversized message", m->label);
	if (r < 0 || (events & (EPOLLHUP | EPOLLERR)))
		tell_eof(m);
}

/* Sends out[out_off..end) once, with fd (-1: none) attached to its first byte. */
static ssize_t send_chunk(struct qemud_qmp *m, size_t end, int fd)
{
	struct iovec iov = { .iov_base = m->out + m->out_off, .iov_len = end - m->out_off };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	union rpc_cmsg_buf ctl;

	if (fd >= 0)
		rpc_attach_fds(&mh, &ctl, &fd, 1);
	return sendmsg(m->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void flush_out(struct qemud_qmp *m)
{
	while (m->out_off < m->out_len) {
		struct out_fd *f = m->out_fds;
		bool with_fd = f && f->off == m->out_off;
		/* A chunk never runs into the next command that carries an fd. */
		size_t end = !f ? m->out_len : with_fd ? (f->next ? f->next->off : m->out_len) : f->off;
		ssize_t n = send_chunk(m, end, with_fd ? f->fd : -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break; /* EAGAIN: EPOLLOUT says when; an error: the read side sees the end */
		if (with_fd) { /* QEMU holds its copy now */
			m->out_fds = f->next;
			close(f->fd);
			free(f);
		}
		m->out_off += (size_t)n;
	}
	if (m->out_off == m->out_len)
		m->out_off = m->out_len = 0;
	if (m->watch)
		evwatch_set_events(m->watch, m->out_len ? EPOLLIN | EPOLLOUT : EPOLLIN);
}

static void on_io(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	struct qemud_qmp *m = userdata;

	if (events & EPOLLOUT)
		flush_out(m);
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		on_readable(w, fd, events, userdata);
}

static void cmd_expired(struct evwatch *w, void *userdata)
{
	struct qmp_cmd *c = userdata;
	struct qemud_qmp *m = c->m;
	qemud_qmp_cb cb = c->cb;
	struct sv_error err;

	evwatch_remove(w);
	c->timer = NULL;
	c->cb = NULL; /* kept to match its late reply */
	if (!m->unresponsive) {
		m->unresponsive = true;
		m->stuck_since = c->sent_ms;
		snprintf(m->stuck_cmd, sizeof(m->stuck_cmd), "%s", c->name);
	}
	sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
		     "domain '%s': QEMU's monitor did not answer '%s' within %d ms: the monitor is unresponsive",
		     m->label, c->name, c->timeout_ms);
	log_warn("%s", err.message);
	if (cb)
		cb(c->opaque, -ETIMEDOUT, NULL, &err);
}

int qemud_qmp_send(struct qemud_qmp *m, const char *command, struct json_object *args, int timeout_ms,
		   qemud_qmp_cb cb, void *opaque, struct sv_error *err)
{
	return qemud_qmp_send_fd(m, command, args, -1, timeout_ms, cb, opaque, err);
}

int qemud_qmp_send_fd(struct qemud_qmp *m, const char *command, struct json_object *args, int fd, int timeout_ms,
		      qemud_qmp_cb cb, void *opaque, struct sv_error *err)
{
	struct json_object *req;
	struct qmp_cmd *c, **tail;
	const char *line;
	size_t len;

	if (m->closed || m->eof || !m->watch) {
		if (fd >= 0)
			close(fd);
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EPIPE,
				    "domain '%s': QEMU's monitor is closed", m->label);
	}
	if (timeout_ms <= 0)
		timeout_ms = qemud_qmp_timeout_ms();
	c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->id = ++m->next_id;
	c->name = xstrdup(command);
	c->cb = cb;
	c->opaque = opaque;
	c->sent_ms = qemud_now_ms();
	c->timeout_ms = timeout_ms;
	c->timer = evloop_timer(m->loop, (uint64_t)timeout_ms, 0, cmd_expired, c);
	if (!c->timer) {
		cmd_free(c);
		if (fd >= 0)
			close(fd);
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "timer");
	}
	if (fd >= 0) {
		struct out_fd *f = xcalloc(1, sizeof(*f)), **ft;
		f->off = m->out_len;
		f->fd = fd;
		for (ft = &m->out_fds; *ft; ft = &(*ft)->next)
			;
		*ft = f;
	}
	req = json_object_new_object();
	json_object_object_add(req, "execute", json_object_new_string(command));
	if (args)
		json_object_object_add(req, "arguments", json_object_get(args));
	json_object_object_add(req, "id", json_object_new_uint64(c->id));
	line = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	len = strlen(line);
	m->out = xrealloc(m->out, m->out_len + len + 1);
	memcpy(m->out + m->out_len, line, len);
	m->out[m->out_len + len] = '\n';
	m->out_len += len + 1;
	json_object_put(req);
	for (tail = &m->cmds; *tail; tail = &(*tail)->next)
		;
	*tail = c;
	flush_out(m);
	return 0;
}

/* The greeting names QEMU's version; then capabilities are negotiated. */
static void capabilities_done(void *opaque, int r, struct json_object *ret, const struct sv_error *err)
{
	struct qemud_qmp *m = opaque;

	handshake_end(m, r, err);
}

static void on_greeting(struct qemud_qmp *m, struct json_object *greeting)
{
	struct json_object *v;
	struct sv_error err;
	int64_t left;

	if (json_object_object_get_ex(greeting, "QMP", &v) && json_object_object_get_ex(v, "version", &v) &&
	    json_object_object_get_ex(v, "qemu", &v)) {
		struct json_object *a, *b, *c;
		if (json_object_object_get_ex(v, "major", &a) && json_object_object_get_ex(v, "minor", &b) &&
		    json_object_object_get_ex(v, "micro", &c))
			snprintf(m->version, sizeof(m->version), "%d.%d.%d", json_object_get_int(a),
				 json_object_get_int(b), json_object_get_int(c));
	}
	m->hs = HS_CAPABILITIES;
	left = m->hs_timeout_ms; /* the handshake's own timer bounds the whole of it */
	if (qemud_qmp_send(m, "qmp_capabilities", NULL, (int)left, capabilities_done, m, &err) < 0)
		handshake_end(m, -EPIPE, &err);
}

static void hs_expired(struct evwatch *w, void *userdata)
{
	struct qemud_qmp *m = userdata;
	struct sv_error err;

	sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
		     "domain '%s': QEMU's monitor did not complete its handshake within %d ms", m->label,
		     m->hs_timeout_ms);
	handshake_end(m, -ETIMEDOUT, &err);
}

static void hs_aborted(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	struct qemud_qmp *m = userdata;
	struct sv_error err;

	sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ECHILD, "domain '%s': QEMU exited", m->label);
	handshake_end(m, -ECHILD, &err);
}

int qemud_unix_socket(const char *what, const char *path, bool listening, struct sv_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = -1;

	if (strlen(path) >= sizeof(sa.sun_path))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, ENAMETOOLONG, "%s path '%s' is too long", what,
				    path);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | (listening ? 0 : SOCK_NONBLOCK), 0);
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "socket");
	if (listening) {
		unlink(path);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0)
			return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot listen on %s '%s'", what,
						  path);
		return TAKE_FD(fd);
	}
	/* A monitor socket is bound and listening before QEMU runs, so this does not race its start. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, errno, "cannot connect to %s '%s'",
					  what, path);
	return TAKE_FD(fd);
}

int qemud_monitor_socket(const char *path, bool listening, struct sv_error *err)
{
	return qemud_unix_socket("QEMU's monitor", path, listening, err);
}

int qemud_qmp_open(struct evloop *loop, const char *path, const char *label, int abort_fd, int timeout_ms,
		   const struct qemud_qmp_ops *ops, void *userdata, qemud_qmp_cb ready, void *opaque,
		   struct qemud_qmp **out, struct sv_error *err)
{
	struct qemud_qmp *m = xcalloc(1, sizeof(*m));

	m->loop = loop;
	m->ops = ops;
	m->userdata = userdata;
	m->label = xstrdup(label);
	m->events_tail = &m->events;
	m->ready = ready;
	m->ready_opaque = opaque;
	m->abort_fd = abort_fd;
	m->hs_timeout_ms = timeout_ms;
	m->fd = qemud_monitor_socket(path, false, err);
	if (m->fd < 0) {
		int r = m->fd;
		free(m->label);
		free(m);
		return r;
	}
	m->watch = evloop_watch_fd(loop, m->fd, EPOLLIN, on_io, m);
	m->hs_timer = evloop_timer(loop, (uint64_t)timeout_ms, 0, hs_expired, m);
	if (abort_fd >= 0)
		m->abort_watch = evloop_watch_fd(loop, abort_fd, EPOLLIN, hs_aborted, m);
	if (!m->watch || !m->hs_timer || (abort_fd >= 0 && !m->abort_watch)) {
		int r = sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot watch the monitor");
		m->ready = NULL;
		qemud_qmp_close(m);
		return r;
	}
	*out = m;
	return 0;
}

static void qmp_free(void *p)
{
	struct qemud_qmp *m = p;
	struct sv_error err;

	/* Commands still waiting fail now, from the loop's end (their owners may go on from here). */
	sv_error_set(&err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EPIPE,
		     "domain '%s': QEMU's monitor closed before it answered", m->label);
	while (m->cmds) {
		struct qmp_cmd *c = m->cmds;
		m->cmds = c->next;
		if (c->cb)
			c->cb(c->opaque, -EPIPE, NULL, &err);
		cmd_free(c);
	}
	while (m->events) {
		struct queued_event *q = m->events;
		m->events = q->next;
		free(q->name);
		if (q->data)
			json_object_put(q->data);
		free(q);
	}
	while (m->out_fds) {
		struct out_fd *f = m->out_fds;
		m->out_fds = f->next;
		close(f->fd);
		free(f);
	}
	free(m->out);
	free(m->buf);
	free(m->label);
	free(m);
}

void qemud_qmp_close(struct qemud_qmp *m)
{
	if (!m)
		return;
	m->closed = true;
	m->ready = NULL; /* whoever closes it knows */
	if (m->watch)
		evwatch_remove(m->watch);
	if (m->deliver)
		evwatch_remove(m->deliver);
	if (m->hs_timer)
		evwatch_remove(m->hs_timer);
	if (m->abort_watch)
		evwatch_remove(m->abort_watch);
	for (struct qmp_cmd *c = m->cmds; c; c = c->next)
		if (c->timer) {
			evwatch_remove(c->timer);
			c->timer = NULL;
		}
	m->watch = m->deliver = m->hs_timer = m->abort_watch = NULL;
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	/* Freed after this loop iteration: close may be called from an event callback. */
	evloop_defer_free(m->loop, qmp_free, m);
}

const char *qemud_qmp_version(const struct qemud_qmp *m) { return m->version; }

enum qemud_qmp_control qemud_qmp_control(const struct qemud_qmp *m, int64_t *since_ms, const char **command)
{
	if (m->unresponsive) {
		*since_ms = m->stuck_since;
		*command = m->stuck_cmd;
		return QEMUD_QMP_UNRESPONSIVE;
	}
	for (const struct qmp_cmd *c = m->cmds; c; c = c->next)
		if (c->cb) {
			*since_ms = c->sent_ms;
			*command = c->name;
			return QEMUD_QMP_OCCUPIED;
		}
	*since_ms = 0;
	*command = "";
	return QEMUD_QMP_OK;
}

const char *qemud_qmp_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}
