/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One client of libvirt's remote protocol: its messages decoded (the length was checked by the
 * connection before anything was allocated), keepalive answered, each call checked against the
 * read-only rule and dispatched to its procedure, and replies, errors and events encoded. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "domain-event.h"
#include "libvirt.h"
#include "log.h"
#include "procs.h"

#define MAX_CALLBACKS 64 /* event callbacks per connection */

struct lv_callback {
	int id;
	int event_id;
	bool has_dom;
	char uuid[16];
};

struct lv_session {
	bool open;
	uint32_t program; /* the driver of its domains: qemud or lxcd */
	char *uri;
	struct lv_callback cbs[MAX_CALLBACKS];
	size_t ncbs;
	int next_cb_id;
	struct lv_stream *streams;
};

void lv_session_begin(struct proxy_client *cl)
{
	cl->lv = xcalloc(1, sizeof(*cl->lv));
	cl->lv->program = SEPVIRT__PROGRAM__PROGRAM_QEMU;
	cl->lv->next_cb_id = 1;
}

void lv_session_end(struct proxy_client *cl)
{
	lv_streams_end(cl);
	free(cl->lv->uri);
	free(cl->lv);
	cl->lv = NULL;
}

bool lv_session_open(const struct proxy_client *cl) { return cl->lv->open; }
uint32_t lv_session_program(const struct proxy_client *cl) { return cl->lv->program; }
const char *lv_session_uri(const struct proxy_client *cl) { return cl->lv->uri; }
void lv_session_mark_open(struct proxy_client *cl, bool open) { cl->lv->open = open; }
struct lv_stream **lv_session_streams(struct proxy_client *cl) { return &cl->lv->streams; }

/* The driver a connection URI names: qemu:///system, qemu:///session, lxc:///, or none (qemu). */
int lv_session_set_uri(struct proxy_client *cl, const char *name, struct sv_error *err)
{
	static const struct {
		const char *scheme;
		uint32_t program;
	} drivers[] = { { "qemu", SEPVIRT__PROGRAM__PROGRAM_QEMU }, { "lxc", SEPVIRT__PROGRAM__PROGRAM_LXC } };
	size_t len;

	if (!name || !*name)
		name = "qemu:///system";
	len = strcspn(name, ":");
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++)
		if (strlen(drivers[i].scheme) == len && !strncmp(name, drivers[i].scheme, len) &&
		    !strncmp(name + len, ":///", 4)) {
			cl->lv->program = drivers[i].program;
			free(cl->lv->uri);
			cl->lv->uri = xstrdup(name);
			return 0;
		}
	return sv_error_set(err, SV_FROM_PROXY, SV_ERR_NOT_SUPPORTED, ENOENT,
			    "no connection driver available for %s", name);
}

int lv_session_add_callback(struct proxy_client *cl, int event_id, const lv_domain *dom, struct sv_error *err)
{
	struct lv_session *s = cl->lv;
	struct lv_callback *cb;

	if (s->ncbs == MAX_CALLBACKS)
		return sv_error_set(err, SV_FROM_PROXY, SV_ERR_OPERATION_FAILED, ENOSPC,
				    "too many event callbacks on this connection (limit %d)", MAX_CALLBACKS);
	if (proxy_events_subscribe(cl->proxy, cl, s->program, true, err) < 0)
		return -1;
	cb = &s->cbs[s->ncbs++];
	cb->id = s->next_cb_id++;
	cb->event_id = event_id;
	cb->has_dom = dom != NULL;
	if (dom)
		memcpy(cb->uuid, dom->uuid, sizeof(cb->uuid));
	return cb->id;
}

int lv_session_remove_callback(struct proxy_client *cl, int callback_id, struct sv_error *err)
{
	struct lv_session *s = cl->lv;

	for (size_t i = 0; i < s->ncbs; i++)
		if (s->cbs[i].id == callback_id) {
			s->cbs[i] = s->cbs[--s->ncbs];
			if (!s->ncbs)
				proxy_events_subscribe(cl->proxy, cl, s->program, false, err);
			return 0;
		}
	return sv_error_set(err, SV_FROM_PROXY, SV_ERR_INVALID_ARG, ENOENT,
			    "could not find event callback %d for deregistration", callback_id);
}

/* Encodes header and body (XDR, or raw bytes: a stream's data) into one message with its length
 * word; NULL when it cannot be encoded. */
static uint8_t *encode(const lv_header *h, xdrproc_t body_xdr, void *body, const void *raw, size_t raw_len,
		       size_t *len)
{
	unsigned long body_len = body_xdr ? xdr_sizeof(body_xdr, body) : raw_len;
	size_t total = LV_LENGTH_BYTES + LV_HEADER_BYTES + body_len;
	uint8_t *buf;
	XDR x;
	bool ok;

	if (total > LV_MESSAGE_MAX)
		return NULL;
	buf = xmalloc(total);
	xdrmem_create(&x, (char *)buf, total, XDR_ENCODE);
	uint32_t n = total;
	ok = xdr_uint32_t(&x, &n) && xdr_lv_header(&x, (lv_header *)h) && (!body_xdr || body_xdr(&x, body));
	xdr_destroy(&x);
	if (!ok) {
		free(buf);
		return NULL;
	}
	if (raw_len)
		memcpy(buf + LV_LENGTH_BYTES + LV_HEADER_BYTES, raw, raw_len);
	*len = total;
	return buf;
}

static void send_encoded(struct proxy_client *cl, const lv_header *h, xdrproc_t body_xdr, void *body,
			 const void *raw, size_t raw_len)
{
	size_t len;
	uint8_t *buf = encode(h, body_xdr, body, raw, raw_len, &len);

	if (!buf) {
		log_warn("cannot encode libvirt message proc %d for pid %d", h->proc, (int)cl->peer.pid);
		return;
	}
	rpc_conn_send_raw(cl->conn, buf, len);
}

static void send_message(struct proxy_client *cl, const lv_header *h, xdrproc_t body_xdr, void *body)
{
	send_encoded(cl, h, body_xdr, body, NULL, 0);
}

/* An error answering the message of header call: a reply, or a stream packet for a stream. */
static void send_error_as(struct proxy_client *cl, const lv_header *call, int type, int code, int domain,
			  const char *msg)
{
	lv_header h = *call;
	lv_error e = { .code = code, .domain = domain, .level = 2 /* VIR_ERR_ERROR */ };
	char *m = (char *)msg;

	h.type = type;
	h.status = LV_ERROR;
	e.message = &m;
	send_message(cl, &h, (xdrproc_t)xdr_lv_error, &e);
}

static void send_error(struct proxy_client *cl, const lv_header *call, int code, int domain, const char *msg)
{
	send_error_as(cl, call, LV_REPLY, code, domain, msg);
}

void lv_send_stream(struct proxy_client *cl, int proc, uint32_t serial, int status, const void *data, size_t len)
{
	lv_header h = { .prog = LV_PROGRAM, .vers = LV_PROGRAM_VERSION, .proc = proc, .type = LV_STREAM,
			.serial = serial, .status = status };

	send_encoded(cl, &h, NULL, NULL, data, len);
}

static void call_free(struct lv_call *call)
{
	if (call->args) {
		xdr_free(call->proc->args_xdr, call->args);
		free(call->args);
	}
	free(call);
}

static lv_header reply_header(const struct lv_call *call)
{
	return (lv_header){ .prog = LV_PROGRAM, .vers = LV_PROGRAM_VERSION, .proc = call->proc->proc,
			    .type = LV_REPLY, .serial = call->serial, .status = LV_OK };
}

void lv_reply(struct lv_call *call, void *ret)
{
	lv_header h = reply_header(call);

	if (call->cl)
		send_message(call->cl, &h, call->proc->ret_xdr, ret);
	call_free(call);
}

void lv_fail_lv(struct lv_call *call, int code, int domain, const char *fmt, ...)
{
	lv_header h = reply_header(call);
	char msg[SV_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (call->cl)
		send_error(call->cl, &h, code, domain, msg);
	call_free(call);
}

/* sepvirt's error codes and domains in libvirt's terms; the message travels unchanged. */
static void map_error(const struct sv_error *err, int *code, int *domain)
{
	static const int codes[SV_ERR_LAST] = {
		[SV_ERR_INTERNAL] = LV_ERR_INTERNAL,
		[SV_ERR_INVALID_ARG] = LV_ERR_INVALID_ARG,
		[SV_ERR_XML] = LV_ERR_XML,
		[SV_ERR_CONFIG_UNSUPPORTED] = LV_ERR_CONFIG_UNSUPPORTED,
		[SV_ERR_NOT_SUPPORTED] = LV_ERR_NO_SUPPORT,
		[SV_ERR_NO_DOMAIN] = LV_ERR_NO_DOMAIN,
		[SV_ERR_NO_NETWORK] = LV_ERR_NO_NETWORK,
		[SV_ERR_NO_POOL] = LV_ERR_NO_POOL,
		[SV_ERR_NO_VOLUME] = LV_ERR_NO_VOLUME,
		[SV_ERR_OPERATION_INVALID] = LV_ERR_OPERATION_INVALID,
		[SV_ERR_OPERATION_FAILED] = LV_ERR_OPERATION_FAILED,
		[SV_ERR_PERMISSION] = LV_ERR_ACCESS_DENIED,
		[SV_ERR_READ_ONLY] = LV_ERR_OPERATION_DENIED,
		[SV_ERR_DRIVER_UNAVAILABLE] = LV_ERR_OPERATION_FAILED,
		[SV_ERR_RPC] = LV_ERR_RPC,
		[SV_ERR_SYSTEM] = LV_ERR_SYSTEM,
		[SV_ERR_EXISTS] = LV_ERR_OPERATION_FAILED,
		/* libvirt has no word for it; the message says the call may have been carried out */
		[SV_ERR_OUTCOME_UNKNOWN] = LV_ERR_OPERATION_FAILED,
	};
	static const int domains[SV_FROM_LAST] = {
		[SV_FROM_RPC] = LV_FROM_RPC,       [SV_FROM_XML] = LV_FROM_DOMAIN,
		[SV_FROM_PROXY] = LV_FROM_REMOTE,  [SV_FROM_QEMU] = LV_FROM_QEMU,
		[SV_FROM_LXC] = LV_FROM_LXC,       [SV_FROM_NET] = LV_FROM_NETWORK,
		[SV_FROM_STORAGE] = LV_FROM_STORAGE,
	};

	*code = err->code > 0 && err->code < SV_ERR_LAST && codes[err->code] ? codes[err->code] : LV_ERR_INTERNAL;
	*domain = err->domain > 0 && err->domain < SV_FROM_LAST ? domains[err->domain] : LV_FROM_NONE;
}

void lv_fail(struct lv_call *call, const struct sv_error *err)
{
	int code, domain;

	map_error(err, &code, &domain);
	lv_fail_lv(call, code, domain, "%s", err->message);
}

void lv_send_stream_error(struct proxy_client *cl, int proc, uint32_t serial, const struct sv_error *err)
{
	lv_header h = { .prog = LV_PROGRAM, .vers = LV_PROGRAM_VERSION, .proc = proc, .serial = serial };
	int code, domain;

	map_error(err, &code, &domain);
	send_error_as(cl, &h, LV_STREAM, code, domain, err->message);
}

static void on_driver_reply(struct proxy_client *cl, void *ud, const rpc_envelope *reply, int *fds, size_t nfds)
{
	struct lv_call *call = ud;
	struct sv_error err;

	call->cl = cl;
	if (!cl) {
		call_free(call); /* the client has gone */
		return;
	}
	if (reply->status != SEPVIRT__STATUS__STATUS_OK) {
		rpc_envelope_get_error(reply, &err);
		lv_fail(call, &err);
		return;
	}
	call->fds = fds;
	call->nfds = nfds;
	call->next(call, reply);
}

void lv_forward_to(struct lv_call *call, uint32_t program, uint32_t procedure, const ProtobufCMessage *msg,
		   lv_step_fn next)
{
	struct sv_error err;

	call->next = next;
	if (proxy_call_for(call->cl, program, procedure, msg, on_driver_reply, call, &err) < 0)
		lv_fail(call, &err);
}

void lv_forward(struct lv_call *call, uint32_t procedure, const ProtobufCMessage *msg, lv_step_fn next)
{
	lv_forward_to(call, call->cl->lv->program, procedure, msg, next);
}

/* Keepalive: a client's PING is answered with a PONG; its PONGs need nothing. */
static void keepalive(struct proxy_client *cl, const lv_header *h)
{
	lv_header pong = { .prog = LV_KEEPALIVE_PROGRAM, .vers = LV_KEEPALIVE_VERSION, .proc = LV_KEEPALIVE_PONG,
			   .type = LV_MESSAGE, .serial = 0, .status = LV_OK };

	if (h->proc == LV_KEEPALIVE_PING && h->type == LV_MESSAGE)
		send_message(cl, &pong, NULL, NULL);
}

static void dispatch(struct proxy_client *cl, const lv_header *h, XDR *body)
{
	const struct lv_proc *p = lv_proc_lookup(h->proc);
	struct lv_call *call;

	if (!p) {
		/* What libvirtd answers for a procedure it does not know: clients treat it as an older server. */
		char msg[64];
		snprintf(msg, sizeof(msg), "unknown procedure: %d", h->proc);
		log_debug("libvirt client pid %d: %s", (int)cl->peer.pid, msg);
		send_error(cl, h, LV_ERR_RPC, LV_FROM_RPC, msg);
		return;
	}
	if (!cl->lv->open && !(p->flags & LV_BEFORE_OPEN)) {
		send_error(cl, h, LV_ERR_INTERNAL, LV_FROM_REMOTE, "internal error: connection not open");
		return;
	}
	if (cl->read_only && !(p->flags & LV_READ_ONLY)) {
		char msg[160];
		snprintf(msg, sizeof(msg), "operation forbidden: read only access prevents %s", p->api);
		send_error(cl, h, LV_ERR_OPERATION_DENIED, LV_FROM_NONE, msg);
		return;
	}
	call = xcalloc(1, sizeof(*call));
	call->cl = cl;
	call->proc = p;
	call->serial = h->serial;
	if (p->args_xdr) {
		call->args = xcalloc(1, p->args_size);
		if (!p->args_xdr(body, call->args)) {
			xdr_free(p->args_xdr, call->args);
			free(call->args);
			call->args = NULL;
			lv_fail_lv(call, LV_ERR_RPC, LV_FROM_RPC, "Unable to decode message payload");
			return;
		}
	}
	p->run(call, call->args);
}

void lv_handle_message(struct proxy_client *cl, const uint8_t *msg, size_t len)
{
	lv_header h;
	XDR x;
	char text[96];

	xdrmem_create(&x, (char *)msg + LV_LENGTH_BYTES, len - LV_LENGTH_BYTES, XDR_DECODE);
	if (!xdr_lv_header(&x, &h)) {
		log_warn("libvirt client pid %d sent a message without a header: closing", (int)cl->peer.pid);
		rpc_conn_close(cl->conn);
		goto out;
	}
	if (h.prog == LV_KEEPALIVE_PROGRAM) {
		keepalive(cl, &h);
		goto out;
	}
	if (h.type == LV_STREAM && h.prog == LV_PROGRAM) {
		lv_stream_packet(cl, &h, msg + LV_LENGTH_BYTES + LV_HEADER_BYTES, len - LV_LENGTH_BYTES - LV_HEADER_BYTES);
		goto out;
	}
	if (h.type == LV_STREAM || h.type == LV_STREAM_HOLE || h.type == LV_MESSAGE)
		goto out; /* sparse streams are never offered; nothing else is expected unasked */
	if (h.type != LV_CALL && h.type != LV_CALL_WITH_FDS)
		snprintf(text, sizeof(text), "Unexpected message type %u", (unsigned)h.type);
	else if (h.prog != LV_PROGRAM)
		snprintf(text, sizeof(text), "program mismatch (actual %x, expected %x)", h.prog, LV_PROGRAM);
	else if (h.vers != LV_PROGRAM_VERSION)
		snprintf(text, sizeof(text), "version mismatch (actual %x, expected %x)", h.vers, LV_PROGRAM_VERSION);
	else if (h.status != LV_OK)
		snprintf(text, sizeof(text), "Unexpected message status %u", (unsigned)h.status);
	else if (h.type == LV_CALL_WITH_FDS)
		snprintf(text, sizeof(text), "file descriptors cannot be passed to sepvirt-proxyd");
	else {
		dispatch(cl, &h, &x);
		goto out;
	}
	send_error(cl, &h, LV_ERR_RPC, LV_FROM_RPC, text);
out:
	xdr_destroy(&x);
}

bool lv_event_id_sent(int event_id)
{
	return event_id == 0 || domain_event_id_name(event_id);
}

/* Each callback of the session for this event ID and domain gets the message, its id first. */
static void to_callbacks(struct proxy_client *cl, int event_id, int proc, const lv_domain *dom, xdrproc_t body_xdr,
			 void *body, int *callback_id)
{
	struct lv_session *s = cl->lv;
	lv_header h = { .prog = LV_PROGRAM, .vers = LV_PROGRAM_VERSION, .proc = proc, .type = LV_MESSAGE, .serial = 0,
			.status = LV_OK };

	for (size_t i = 0; i < s->ncbs; i++) {
		if (s->cbs[i].event_id != event_id || (s->cbs[i].has_dom && memcmp(s->cbs[i].uuid, dom->uuid, 16)))
			continue;
		*callback_id = s->cbs[i].id;
		send_message(cl, &h, body_xdr, body);
	}
}

/* libvirt's callback procedure of each event ID sepvirt sends. */
enum {
	CB_LIFECYCLE = 318, CB_REBOOT = 319, CB_WATCHDOG = 321, CB_IO_ERROR = 322, CB_IO_ERROR_REASON = 324,
	CB_BALLOON_CHANGE = 331, CB_DEVICE_REMOVED = 333, CB_DEVICE_ADDED = 354
};

static void relay_other(struct proxy_client *cl, const Sepvirt__DomainEventOther *ev)
{
	lv_domain dom;
	char *src = ev->src_path, *alias = ev->dev_alias, *reason = ev->reason;

	memset(&dom, 0, sizeof(dom));
	lv_domain_set(&dom, ev->name, ev->uuid, -1);
	switch (ev->id) {
	case DOMAIN_EVENT_ID_REBOOT: {
		lv_callback_reboot_msg m = { .dom = dom };
		to_callbacks(cl, ev->id, CB_REBOOT, &dom, (xdrproc_t)xdr_lv_callback_reboot_msg, &m, &m.callback_id);
		break;
	}
	case DOMAIN_EVENT_ID_WATCHDOG: {
		lv_callback_watchdog_msg m = { .dom = dom, .action = ev->action };
		to_callbacks(cl, ev->id, CB_WATCHDOG, &dom, (xdrproc_t)xdr_lv_callback_watchdog_msg, &m, &m.callback_id);
		break;
	}
	case DOMAIN_EVENT_ID_IO_ERROR: {
		lv_callback_io_error_msg m = { .dom = dom, .src_path = src, .dev_alias = alias, .action = ev->action };
		to_callbacks(cl, ev->id, CB_IO_ERROR, &dom, (xdrproc_t)xdr_lv_callback_io_error_msg, &m, &m.callback_id);
		break;
	}
	case DOMAIN_EVENT_ID_IO_ERROR_REASON: {
		lv_callback_io_error_reason_msg m = {
			.dom = dom, .src_path = src, .dev_alias = alias, .action = ev->action, .reason = reason
		};
		to_callbacks(cl, ev->id, CB_IO_ERROR_REASON, &dom, (xdrproc_t)xdr_lv_callback_io_error_reason_msg, &m,
			     &m.callback_id);
		break;
	}
	case DOMAIN_EVENT_ID_BALLOON_CHANGE: {
		lv_callback_balloon_change_msg m = { .dom = dom, .actual = ev->value };
		to_callbacks(cl, ev->id, CB_BALLOON_CHANGE, &dom, (xdrproc_t)xdr_lv_callback_balloon_change_msg, &m,
			     &m.callback_id);
		break;
	}
	case DOMAIN_EVENT_ID_DEVICE_REMOVED:
	case DOMAIN_EVENT_ID_DEVICE_ADDED: {
		lv_callback_device_msg m = { .dom = dom, .dev_alias = alias };
		to_callbacks(cl, ev->id, ev->id == DOMAIN_EVENT_ID_DEVICE_ADDED ? CB_DEVICE_ADDED : CB_DEVICE_REMOVED, &dom,
			     (xdrproc_t)xdr_lv_callback_device_msg, &m, &m.callback_id);
		break;
	}
	default:
		break;
	}
}

void lv_relay_event(struct proxy_client *cl, uint32_t program, const rpc_envelope *env)
{
	struct lv_session *s = cl->lv;
	struct sv_error err;

	if (program != s->program)
		return;
	if (env->procedure == SEPVIRT__PROCEDURE__PROC_DOMAIN_EVENT_OTHER) {
		_cleanup_message_ Sepvirt__DomainEventOther *o = NULL;
		if (rpc_body_unpack(env, &sepvirt__domain_event_other__descriptor, (ProtobufCMessage **)&o, &err) == 0)
			relay_other(cl, o);
		return;
	}
	_cleanup_message_ Sepvirt__DomainEvent *ev = NULL;
	lv_callback_lifecycle_msg m;

	if (env->procedure != SEPVIRT__PROCEDURE__PROC_DOMAIN_EVENT ||
	    rpc_body_unpack(env, &sepvirt__domain_event__descriptor, (ProtobufCMessage **)&ev, &err) < 0)
		return;
	memset(&m, 0, sizeof(m));
	lv_domain_set(&m.msg.dom, ev->name, ev->uuid, -1);
	m.msg.event = ev->event;
	m.msg.detail = ev->detail;
	to_callbacks(cl, 0, CB_LIFECYCLE, &m.msg.dom, (xdrproc_t)xdr_lv_callback_lifecycle_msg, &m, &m.callback_id);
}
