/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Streams of libvirt's protocol: after the call that opens one is answered, its data travel as
 * stream packets carrying the call's procedure and serial (status continue: data, an empty one
 * is the end of file; ok: the finish, which the other side confirms with an empty ok; error:
 * an abort). Served: a domain's console (virDomainOpenConsole: proxyd relays between the
 * client and the pty qemud or lxcd hands it), a volume's download (virStorageVolDownload:
 * storaged's chunks become data packets) and upload (virStorageVolUpload: data packets become
 * storaged's chunks, the finish its final call). What proxyd has queued for a client that reads
 * slowly bounds how much more it reads from the pty or asks of storaged; a client that uploads
 * faster than storaged writes is not read from until storaged has taken the chunk out. */
#include "config.h"

#include <fcntl.h>

#include "evloop.h"
#include "libvirt.h"
#include "log.h"
#include "xml/uuid.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x
#define STORAGE SEPVIRT__PROGRAM__PROGRAM_STORAGE
#define STREAMS_MAX 16                 /* per connection */
#define PACKET_DATA_MAX (256u * 1024)  /* libvirtd's own packet size (legacy payload limit) */
#define QUEUED_MAX (2u * 1024 * 1024)  /* read no more while this much waits for the client */
#define CONSOLE_INPUT_MAX (256u * 1024) /* typed input the pty has not taken yet */
#define RETRY_MS 20
#define DOWNLOAD_CHUNK (1024u * 1024)  /* storaged's largest chunk */

#define UPLOAD_CHUNK (1024u * 1024)    /* storaged's chunk */

enum lv_stream_kind { STREAM_CONSOLE, STREAM_DOWNLOAD, STREAM_UPLOAD };

struct lv_stream {
	struct lv_stream *next;
	struct proxy_client *cl; /* NULL once the client has gone */
	enum lv_stream_kind kind;
	int proc;
	uint32_t serial;
	bool eof_sent;       /* our side has ended: the client's finish is awaited */
	struct evwatch *retry; /* the client reads slowly: look again later */
	/* console */
	int fd;
	struct evwatch *watch;
	uint8_t *input;
	size_t input_len;
	/* download */
	char *pool, *volume;
	uint64_t offset, end; /* end 0: to the end of the volume */
	bool in_flight;       /* a chunk is asked of (or sent to) storaged */
	struct lv_call *opening; /* the call that opened it, answered with the first chunk */
	/* upload */
	struct proxy *proxy;
	char token[33];       /* storaged's, once its first call answered */
	uint8_t *buf;         /* data not yet sent to storaged */
	size_t buf_len;
	uint64_t sent;
	bool finishing;       /* the client's finish arrived: the last chunk is final */
	bool final_sent;
	bool paused;          /* the client's input waits for storaged */
};

/* False (and the call refused) when the connection has all the streams it may have. */
static bool stream_room(struct lv_call *call)
{
	size_t n = 0;

	for (struct lv_stream *s = *lv_session_streams(call->cl); s; s = s->next)
		n++;
	if (n < STREAMS_MAX)
		return true;
	lv_fail_lv(call, LV_ERR_OPERATION_FAILED, LV_FROM_REMOTE,
		   "operation failed: too many streams open on this connection (limit %d)", STREAMS_MAX);
	return false;
}

static struct lv_stream *stream_new(struct lv_call *call, enum lv_stream_kind kind)
{
	struct lv_stream *s = xcalloc(1, sizeof(*s));
	struct lv_stream **head = lv_session_streams(call->cl);

	s->cl = call->cl;
	s->proxy = call->cl->proxy;
	s->kind = kind;
	s->proc = call->proc->proc;
	s->serial = call->serial;
	s->fd = -1;
	s->next = *head;
	*head = s;
	return s;
}

static void stream_unlink(struct lv_stream *s)
{
	struct proxy_client *cl = s->cl;

	if (!cl)
		return;
	for (struct lv_stream **p = lv_session_streams(cl); *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	s->cl = NULL;
	/* Last: reading again hands on what waited, which may be more packets of this stream; by
	 * now they find no stream and are dropped (this one is being ended). */
	if (s->paused) {
		s->paused = false;
		rpc_conn_pause_input(cl->conn, false);
	}
}

/* An upload storaged began and that will not be finished: dropped there at once (proxyd's own
 * call; storaged would drop it after a minute without data anyway). */
static void upload_abandon(struct lv_stream *s)
{
	Sepvirt__VolUploadRequest req = SEPVIRT__VOL_UPLOAD_REQUEST__INIT;
	struct sv_error err;

	if (s->kind != STREAM_UPLOAD || !s->token[0] || s->final_sent)
		return;
	req.pool = s->pool;
	req.volume = s->volume;
	req.token = s->token;
	req.abort = true;
	if (proxy_driver_call(s->proxy, STORAGE, PROC(VOL_UPLOAD), &req.base, &err) < 0)
		log_warn("cannot abort the upload to volume '%s': %s", s->volume, err.message);
	s->token[0] = '\0';
}

/* Ends the stream; its memory goes now, or when storaged answers the chunk still out. */
static void stream_end(struct lv_stream *s)
{
	stream_unlink(s);
	if (!s->in_flight)
		upload_abandon(s);
	if (s->watch)
		evwatch_remove(s->watch);
	if (s->retry)
		evwatch_remove(s->retry);
	s->watch = s->retry = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->in_flight)
		return;
	free(s->input);
	free(s->buf);
	free(s->pool);
	free(s->volume);
	free(s);
}

void lv_streams_end(struct proxy_client *cl)
{
	while (*lv_session_streams(cl))
		stream_end(*lv_session_streams(cl));
}

static struct lv_stream *stream_find(struct proxy_client *cl, uint32_t serial, int proc)
{
	for (struct lv_stream *s = *lv_session_streams(cl); s; s = s->next)
		if (s->serial == serial && s->proc == proc)
			return s;
	return NULL;
}

static bool client_busy(const struct lv_stream *s)
{
	return rpc_conn_queued(s->cl->conn) > QUEUED_MAX;
}

static void send_eof(struct lv_stream *s)
{
	s->eof_sent = true;
	lv_send_stream(s->cl, s->proc, s->serial, LV_CONTINUE, "", 0);
}

static void send_data(struct lv_stream *s, const uint8_t *data, size_t len)
{
	for (size_t off = 0; off < len; off += PACKET_DATA_MAX)
		lv_send_stream(s->cl, s->proc, s->serial, LV_CONTINUE, data + off,
			       len - off < PACKET_DATA_MAX ? len - off : PACKET_DATA_MAX);
}

/* ---- console ---- */

static void console_io(struct evwatch *w, int fd, uint32_t events, void *ud);

static void console_update_events(struct lv_stream *s)
{
	uint32_t ev = 0;

	if (!s->watch)
		return;
	if (s->eof_sent && !s->input_len) {
		/* epoll reports a hung-up pty whatever it is asked: nothing more to watch */
		evwatch_remove(s->watch);
		s->watch = NULL;
		return;
	}

	if (!s->eof_sent && !s->retry)
		ev |= EPOLLIN;
	if (s->input_len)
		ev |= EPOLLOUT;
	evwatch_set_events(s->watch, ev);
}

static void console_retry(struct evwatch *w, void *ud)
{
	struct lv_stream *s = ud;

	evwatch_remove(w);
	s->retry = NULL;
	console_update_events(s);
}

/* The guest's output: to the client, unless it has too much unread already. */
static void console_read(struct lv_stream *s)
{
	uint8_t buf[PACKET_DATA_MAX];
	ssize_t n;

	if (client_busy(s)) {
		s->retry = evloop_timer(proxy_loop(s->cl->proxy), RETRY_MS, 0, console_retry, s);
		return;
	}
	n = read(s->fd, buf, sizeof(buf));
	if (n > 0)
		send_data(s, buf, n);
	else if (n == 0 || (errno != EAGAIN && errno != EINTR))
		send_eof(s); /* EIO: QEMU closed the pty, the domain stopped */
}

static void console_write(struct lv_stream *s)
{
	ssize_t n = write(s->fd, s->input, s->input_len);

	if (n > 0) {
		memmove(s->input, s->input + n, s->input_len - n);
		s->input_len -= n;
	} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
		s->input_len = 0; /* the pty is gone: the read side says so */
	}
}

static void console_io(struct evwatch *w, int fd, uint32_t events, void *ud)
{
	struct lv_stream *s = ud;

	if (events & EPOLLOUT)
		console_write(s);
	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !s->eof_sent && !s->retry)
		console_read(s);
	if (s->eof_sent)
		s->input_len = 0; /* no one reads it any more */
	console_update_events(s);
}

static void console_input(struct lv_stream *s, const uint8_t *data, size_t len)
{
	if (s->eof_sent)
		return; /* the console has gone: the client's finish follows */
	if (s->input_len + len > CONSOLE_INPUT_MAX) {
		log_warn("console of libvirt client pid %d: %zu bytes of input the guest does not read: dropped",
			 (int)s->cl->peer.pid, len);
		return;
	}
	s->input = xrealloc(s->input, s->input_len + len);
	memcpy(s->input + s->input_len, data, len);
	s->input_len += len;
	console_write(s);
	console_update_events(s);
}

static void got_console(struct lv_call *call, const rpc_envelope *reply)
{
	struct lv_stream *s;

	if (call->nfds < 1 || call->fds[0] < 0) {
		lv_fail_lv(call, LV_ERR_INTERNAL, LV_FROM_REMOTE, "internal error: the driver sent no console fd");
		return;
	}
	s = stream_new(call, STREAM_CONSOLE);
	s->fd = call->fds[0];
	call->fds[0] = -1;
	fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
	/* the answer first: the client takes data for the stream only once its call returned */
	lv_reply(call, NULL);
	s->watch = evloop_watch_fd(proxy_loop(s->cl->proxy), s->fd, EPOLLIN, console_io, s);
	if (!s->watch) {
		struct sv_error err;
		sv_error_set_errno(&err, SV_FROM_PROXY, SV_ERR_SYSTEM, errno, "cannot watch the console");
		lv_send_stream_error(s->cl, s->proc, s->serial, &err);
		stream_end(s);
	}
}

static void run_open_console(struct lv_call *call, void *args)
{
	lv_open_console_args *a = args;
	Sepvirt__DomainConsoleRequest req = SEPVIRT__DOMAIN_CONSOLE_REQUEST__INIT;
	char uuid[SV_UUID_STRING_LEN];

	/* VIR_DOMAIN_CONSOLE_FORCE, VIR_DOMAIN_CONSOLE_SAFE: the pty is shared, nothing to take over */
	if (!lv_flags_ok(call, a->flags, 0x3))
		return;
	if (!stream_room(call))
		return;
	sv_uuid_format((const unsigned char *)a->dom.uuid, uuid);
	req.domain = uuid;
	req.dev_name = a->dev_name ? *a->dev_name : "";
	lv_forward(call, PROC(DOMAIN_OPEN_CONSOLE), &req.base, got_console);
}

/* ---- volume download ---- */

static void download_next(struct lv_stream *s);

static void download_retry(struct evwatch *w, void *ud)
{
	struct lv_stream *s = ud;

	evwatch_remove(w);
	s->retry = NULL;
	download_next(s);
}

/* storaged answered the chunk asked for (download) or sent (upload): its reply unpacked, or NULL
 * when the stream has ended (the client gone, or an error: the opening call's, else the
 * stream's). The first answer also answers the call that opened the stream. */
static ProtobufCMessage *storage_answered(struct lv_stream *s, const rpc_envelope *reply,
					  const ProtobufCMessageDescriptor *desc)
{
	struct lv_call *opening = s->opening;
	ProtobufCMessage *rep = NULL;
	struct sv_error err;

	s->in_flight = false;
	s->opening = NULL;
	if (reply->status != SEPVIRT__STATUS__STATUS_OK)
		rpc_envelope_get_error(reply, &err);
	else
		rpc_body_unpack(reply, desc, &rep, &err);
	if (s->kind == STREAM_UPLOAD) /* storaged drops an upload that failed itself */
		snprintf(s->token, sizeof(s->token), "%s",
			 rep && !s->final_sent ? ((Sepvirt__VolUploadReply *)rep)->token : "");
	if (!s->cl) { /* the client went while storaged worked */
		if (opening) {
			opening->cl = NULL; /* nothing to answer: the call is only freed */
			lv_fail_lv(opening, LV_ERR_INTERNAL, LV_FROM_REMOTE, "client gone");
		}
		if (rep)
			protobuf_c_message_free_unpacked(rep, NULL);
		stream_end(s);
		return NULL;
	}
	if (!rep) {
		if (opening)
			lv_fail(opening, &err);
		else
			lv_send_stream_error(s->cl, s->proc, s->serial, &err);
		stream_end(s);
		return NULL;
	}
	if (opening)
		lv_reply(opening, NULL);
	return rep;
}

static void got_chunk(struct proxy_client *cl, void *ud, const rpc_envelope *reply, int *fds, size_t nfds)
{
	struct lv_stream *s = ud;
	_cleanup_message_ Sepvirt__VolDownloadReply *rep =
		(Sepvirt__VolDownloadReply *)storage_answered(s, reply, &sepvirt__vol_download_reply__descriptor);

	if (!rep)
		return;
	send_data(s, rep->data.data, rep->data.len);
	s->offset += rep->data.len;
	if (rep->eof || !rep->data.len || (s->end && s->offset >= s->end))
		send_eof(s);
	else
		download_next(s);
}

static void download_next(struct lv_stream *s)
{
	Sepvirt__VolDownloadRequest req = SEPVIRT__VOL_DOWNLOAD_REQUEST__INIT;
	struct sv_error err;

	if (!s->opening && client_busy(s)) {
		s->retry = evloop_timer(proxy_loop(s->cl->proxy), RETRY_MS, 0, download_retry, s);
		return;
	}
	req.pool = s->pool;
	req.volume = s->volume;
	req.offset = s->offset;
	req.length = s->end && s->end - s->offset < DOWNLOAD_CHUNK ? s->end - s->offset : DOWNLOAD_CHUNK;
	if (proxy_call_for(s->cl, STORAGE, PROC(VOL_DOWNLOAD), &req.base, got_chunk, s, &err) < 0) {
		if (s->opening) {
			struct lv_call *opening = s->opening;
			stream_end(s);
			lv_fail(opening, &err);
			return;
		}
		lv_send_stream_error(s->cl, s->proc, s->serial, &err);
		stream_end(s);
		return;
	}
	s->in_flight = true;
}

static void run_vol_download(struct lv_call *call, void *args)
{
	lv_vol_transfer_args *a = args;
	struct lv_stream *s;

	/* VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM is not offered: holes come as zeros */
	if (!lv_flags_ok(call, a->flags, 0))
		return;
	if (!stream_room(call))
		return;
	s = stream_new(call, STREAM_DOWNLOAD);
	s->pool = xstrdup(a->vol.pool);
	s->volume = xstrdup(a->vol.name);
	s->offset = a->offset;
	s->end = a->length ? a->offset + a->length : 0;
	s->opening = call;
	download_next(s);
}

/* ---- volume upload ---- */

static void upload_send(struct lv_stream *s);

static void got_upload_reply(struct proxy_client *cl, void *ud, const rpc_envelope *reply, int *fds, size_t nfds)
{
	struct lv_stream *s = ud;
	_cleanup_message_ Sepvirt__VolUploadReply *rep =
		(Sepvirt__VolUploadReply *)storage_answered(s, reply, &sepvirt__vol_upload_reply__descriptor);

	if (!rep)
		return;
	if (s->final_sent) { /* fsync'd and renamed over the volume: the finish is confirmed */
		lv_send_stream(s->cl, s->proc, s->serial, LV_OK, NULL, 0);
		stream_end(s);
		return;
	}
	upload_send(s);
}

/* Sends the next chunk when one is full (or the finish came), and lets the client's input
 * flow while storaged can take more. */
static void upload_send(struct lv_stream *s)
{
	Sepvirt__VolUploadRequest req = SEPVIRT__VOL_UPLOAD_REQUEST__INIT;
	size_t len = s->buf_len < UPLOAD_CHUNK ? s->buf_len : UPLOAD_CHUNK;
	struct sv_error err;

	if (!s->in_flight && (s->buf_len >= UPLOAD_CHUNK || s->finishing)) {
		req.pool = s->pool;
		req.volume = s->volume;
		req.token = s->token;
		req.offset = s->sent;
		req.data.data = s->buf;
		req.data.len = len;
		req.final = s->finishing && len == s->buf_len;
		if (proxy_call_for(s->cl, STORAGE, PROC(VOL_UPLOAD), &req.base, got_upload_reply, s, &err) < 0) {
			lv_send_stream_error(s->cl, s->proc, s->serial, &err);
			stream_end(s);
			return;
		}
		s->in_flight = true;
		s->final_sent = req.final;
		s->sent += len;
		memmove(s->buf, s->buf + len, s->buf_len - len);
		s->buf_len -= len;
	}
	/* one chunk at storaged and at most one more here: past that the client waits */
	bool full = s->in_flight && s->buf_len >= UPLOAD_CHUNK;
	if (full != s->paused) {
		s->paused = full;
		rpc_conn_pause_input(s->cl->conn, full);
	}
}

static void upload_data(struct lv_stream *s, const uint8_t *data, size_t len)
{
	if (s->finishing)
		return; /* after its own finish: nothing more is the volume's */
	s->buf = xrealloc(s->buf, s->buf_len + len);
	memcpy(s->buf + s->buf_len, data, len);
	s->buf_len += len;
	upload_send(s);
}

static void run_vol_upload(struct lv_call *call, void *args)
{
	lv_vol_transfer_args *a = args;
	Sepvirt__VolUploadRequest req = SEPVIRT__VOL_UPLOAD_REQUEST__INIT;
	struct lv_stream *s;
	struct sv_error err;

	/* VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM is not offered: holes come as zeros */
	if (!lv_flags_ok(call, a->flags, 0) || !stream_room(call))
		return;
	s = stream_new(call, STREAM_UPLOAD);
	s->pool = xstrdup(a->vol.pool);
	s->volume = xstrdup(a->vol.name);
	s->opening = call;
	/* storaged opens the upload (the call's own errors: no such volume, no room) before the
	 * call is answered and data may come */
	req.pool = s->pool;
	req.volume = s->volume;
	req.token = "";
	req.volume_offset = a->offset;
	req.max_length = a->length;
	if (proxy_call_for(call->cl, STORAGE, PROC(VOL_UPLOAD), &req.base, got_upload_reply, s, &err) < 0) {
		stream_end(s);
		lv_fail(call, &err);
		return;
	}
	s->in_flight = true;
}

/* ---- packets from the client ---- */

void lv_stream_packet(struct proxy_client *cl, const lv_header *h, const uint8_t *data, size_t len)
{
	struct lv_stream *s = stream_find(cl, h->serial, h->proc);
	struct sv_error err;

	if (!s) {
		log_debug("libvirt client pid %d: stream packet for serial %u, which has no stream", (int)cl->peer.pid,
			  h->serial);
		return;
	}
	switch (h->status) {
	case LV_CONTINUE:
		if (s->kind == STREAM_CONSOLE && len) {
			console_input(s, data, len);
			return;
		}
		if (s->kind == STREAM_UPLOAD) {
			upload_data(s, data, len);
			return;
		}
		if (!len)
			return; /* the client's end of file: its finish follows */
		sv_error_set(&err, SV_FROM_PROXY, SV_ERR_RPC, EINVAL, "stream of a download does not take data");
		lv_send_stream_error(cl, s->proc, s->serial, &err);
		stream_end(s);
		return;
	case LV_OK: /* finish: confirmed with an empty ok (an upload's once storaged has it all) */
		if (s->kind == STREAM_UPLOAD) {
			s->finishing = true;
			upload_send(s);
			return;
		}
		/* fall through */
	case LV_ERROR: /* abort at the client's request: confirmed the same way */
	default:
		lv_send_stream(cl, s->proc, s->serial, LV_OK, NULL, 0);
		stream_end(s);
		return;
	}
}

#define ARGS(t) (xdrproc_t) xdr_##t, sizeof(t)

/* Sorted by procedure number. None is allowed on libvirt-sock-ro, as with libvirtd. */
static const struct lv_proc procs[] = {
	{ 201, "virDomainOpenConsole", ARGS(lv_open_console_args), NULL, 0, run_open_console },
	{ 208, "virStorageVolUpload", ARGS(lv_vol_transfer_args), NULL, 0, run_vol_upload },
	{ 209, "virStorageVolDownload", ARGS(lv_vol_transfer_args), NULL, 0, run_vol_download },
};

const struct lv_proc *lv_stream_proc_lookup(int proc)
{
	return bsearch(&proc, procs, ARRAY_SIZE(procs), sizeof(procs[0]), lv_proc_cmp);
}
