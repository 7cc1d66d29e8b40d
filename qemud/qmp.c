#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "log.h"
#include "qmp.h"

#define QMP_CMD_TIMEOUT_MS 30000
#define QMP_LINE_MAX (1024 * 1024)

struct queued_event {
	char *name;
	struct json_object *data;
	struct queued_event *next;
};

struct qemud_qmp {
	struct evloop *loop;
	int fd;
	struct evwatch *watch;
	struct evwatch *deliver; /* one-shot timer delivering queued events */
	const struct qemud_qmp_ops *ops;
	void *userdata;
	char *buf;
	size_t len, cap;
	unsigned long long next_id;
	bool eof, eof_told, closed;
	struct queued_event *events, **events_tail;
	char version[32];
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

static void tell_eof(struct qemud_qmp *m)
{
	if (m->eof_told)
		return;
	m->eof_told = true;
	if (m->watch) {
		evwatch_remove(m->watch);
		m->watch = NULL;
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

static void on_readable(struct evwatch *w, int fd, uint32_t events, void *userdata)
{
	struct qemud_qmp *m = userdata;
	struct json_object *obj;
	int r = fill(m);

	while ((obj = next_message(m))) {
		queue_event(m, obj); /* a reply nobody waits for is dropped */
		json_object_put(obj);
	}
	if (r < 0 || (events & (EPOLLHUP | EPOLLERR)))
		tell_eof(m);
}

/* Waits for one message that is not an event, queueing events met on the way. */
static int wait_reply(struct qemud_qmp *m, int abort_fd, int64_t deadline, struct json_object **out,
		      struct sv_error *err)
{
	for (;;) {
		struct json_object *obj;
		while ((obj = next_message(m))) {
			if (json_object_object_get_ex(obj, "event", NULL)) {
				queue_event(m, obj);
				json_object_put(obj);
				continue;
			}
			*out = obj;
			return 0;
		}
		if (m->eof) {
			tell_eof(m);
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EPIPE,
					    "QEMU closed its monitor connection");
		}
		struct pollfd p[2] = { { .fd = m->fd, .events = POLLIN }, { .fd = abort_fd, .events = POLLIN } };
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
					    "QEMU's monitor did not answer in time");
		int n = poll(p, abort_fd >= 0 ? 2 : 1, (int)left);
		if (n < 0 && errno != EINTR)
			return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "poll on the monitor");
		if (abort_fd >= 0 && (p[1].revents & POLLIN))
			return -ECHILD;
		if (n > 0 && fill(m) == -EMSGSIZE)
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EMSGSIZE,
					    "QEMU's monitor sent an oversized message");
	}
}

static int send_line(struct qemud_qmp *m, const char *line, int64_t deadline, struct sv_error *err)
{
	size_t len = strlen(line), off = 0;

	while (off < len) {
		ssize_t n = send(m->fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = m->fd, .events = POLLOUT };
			if (deadline - now_ms() <= 0 || poll(&p, 1, (int)(deadline - now_ms())) < 0)
				return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, ETIMEDOUT,
						    "cannot write to QEMU's monitor");
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, errno,
						  "cannot write to QEMU's monitor");
		off += (size_t)n;
	}
	return 0;
}

static int execute(struct qemud_qmp *m, const char *command, struct json_object *args, int abort_fd,
		   int64_t deadline, struct json_object **ret, struct sv_error *err)
{
	struct json_object *req, *rep = NULL, *val = NULL;
	_cleanup_free_ char *line = NULL;
	int r;

	if (m->closed || m->eof)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EPIPE, "QEMU's monitor is closed");
	req = json_object_new_object();
	json_object_object_add(req, "execute", json_object_new_string(command));
	if (args)
		json_object_object_add(req, "arguments", json_object_get(args));
	json_object_object_add(req, "id", json_object_new_uint64(++m->next_id));
	line = xasprintf("%s\n", json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN));
	json_object_put(req);
	r = send_line(m, line, deadline, err);
	if (r >= 0)
		r = wait_reply(m, abort_fd, deadline, &rep, err);
	if (r < 0)
		return r;
	if (json_object_object_get_ex(rep, "error", &val)) {
		struct json_object *desc = NULL;
		json_object_object_get_ex(val, "desc", &desc);
		r = sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EIO, "QEMU refused '%s': %s", command,
				 desc ? json_object_get_string(desc) : "no reason given");
	} else if (ret) {
		*ret = json_object_object_get_ex(rep, "return", &val) ? json_object_get(val) : NULL;
	}
	json_object_put(rep);
	return r;
}

int qemud_qmp_execute(struct qemud_qmp *m, const char *command, struct json_object *args,
		      struct json_object **ret, struct sv_error *err)
{
	return execute(m, command, args, -1, now_ms() + QMP_CMD_TIMEOUT_MS, ret, err);
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

int qemud_qmp_open(struct evloop *loop, const char *path, int abort_fd, int timeout_ms,
		   const struct qemud_qmp_ops *ops, void *userdata, struct qemud_qmp **out, struct sv_error *err)
{
	struct qemud_qmp *m = xcalloc(1, sizeof(*m));
	int64_t deadline = now_ms() + timeout_ms;
	struct json_object *greeting = NULL, *v;
	int r;

	m->loop = loop;
	m->ops = ops;
	m->userdata = userdata;
	m->events_tail = &m->events;
	m->fd = qemud_monitor_socket(path, false, err);
	if (m->fd < 0) {
		r = m->fd;
		free(m);
		return r;
	}
	r = wait_reply(m, abort_fd, deadline, &greeting, err);
	if (r >= 0) {
		if (json_object_object_get_ex(greeting, "QMP", &v) && json_object_object_get_ex(v, "version", &v) &&
		    json_object_object_get_ex(v, "qemu", &v)) {
			struct json_object *a, *b, *c;
			if (json_object_object_get_ex(v, "major", &a) && json_object_object_get_ex(v, "minor", &b) &&
			    json_object_object_get_ex(v, "micro", &c))
				snprintf(m->version, sizeof(m->version), "%d.%d.%d", json_object_get_int(a),
					 json_object_get_int(b), json_object_get_int(c));
		}
		json_object_put(greeting);
		r = execute(m, "qmp_capabilities", NULL, abort_fd, deadline, NULL, err);
	}
	if (r >= 0) {
		m->watch = evloop_watch_fd(loop, m->fd, EPOLLIN, on_readable, m);
		if (!m->watch)
			r = sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot watch the monitor");
	}
	if (r < 0) {
		m->closed = true;
		qemud_qmp_close(m);
		return r;
	}
	/* Events that came with the handshake wait for the loop. */
	if (m->events)
		schedule_delivery(m);
	*out = m;
	return 0;
}

static void qmp_free(void *p)
{
	struct qemud_qmp *m = p;

	while (m->events) {
		struct queued_event *q = m->events;
		m->events = q->next;
		free(q->name);
		if (q->data)
			json_object_put(q->data);
		free(q);
	}
	free(m->buf);
	free(m);
}

void qemud_qmp_close(struct qemud_qmp *m)
{
	if (!m)
		return;
	m->closed = true;
	if (m->watch)
		evwatch_remove(m->watch);
	if (m->deliver)
		evwatch_remove(m->deliver);
	m->watch = m->deliver = NULL;
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	/* Freed after this loop iteration: close may be called from an event callback. */
	evloop_defer_free(m->loop, qmp_free, m);
}

const char *qemud_qmp_version(const struct qemud_qmp *m) { return m->version; }
