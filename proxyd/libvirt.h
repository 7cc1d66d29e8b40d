/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-proxyd: libvirt's remote protocol on libvirt-sock and libvirt-sock-ro. A client of
 * libvirt (virsh, python3-libvirt, virt-install) talks to proxyd as it would to libvirtd; each of
 * its calls becomes one or more calls of proxyd's own protocol to the driver daemons, under the
 * client's identity. Nothing else in the suite learns libvirt's protocol. */
#pragma once

#include <rpc/rpc.h>

#include "libvirt_protocol.h" /* rpcgen's output for libvirt_protocol.x */
#include "proxyd.h"

#define LV_LENGTH_BYTES 4u

struct lv_call;
/* The next step of a call: the driver answered reply (never an error: those end the call). */
typedef void (*lv_step_fn)(struct lv_call *call, const rpc_envelope *reply);

enum lv_proc_flags {
	LV_READ_ONLY = 1 << 0,   /* allowed on libvirt-sock-ro */
	LV_BEFORE_OPEN = 1 << 1, /* allowed before CONNECT_OPEN */
};

struct lv_proc {
	int proc;
	const char *api; /* the libvirt function it serves, named in errors */
	xdrproc_t args_xdr;
	size_t args_size;
	xdrproc_t ret_xdr; /* NULL: an empty reply */
	unsigned flags;
	void (*run)(struct lv_call *call, void *args);
};

struct lv_call {
	struct proxy_client *cl;
	const struct lv_proc *proc;
	uint32_t serial;
	void *args;
	lv_step_fn next;
	int int_arg; /* kept between steps */
	int *fds;    /* during a step: the fds of the driver's reply (see proxy_reply_fn) */
	size_t nfds;
};

/* libvirt-procs.c: the procedures served. */
const struct lv_proc *lv_proc_lookup(int proc);
/* libvirt-caps.c: virConnectGetCapabilities. */
void lv_run_get_capabilities(struct lv_call *call, void *args);
/* libvirt-storage.c: pools and volumes. */
const struct lv_proc *lv_storage_proc_lookup(int proc);
/* libvirt-network.c: virtual networks. */
const struct lv_proc *lv_network_proc_lookup(int proc);

/* libvirt-stream.c: streams (a domain's console, a volume's download) and their procedures. */
struct lv_stream;
const struct lv_proc *lv_stream_proc_lookup(int proc);
/* A stream packet from the client (data, finish or abort) for the stream of serial. */
void lv_stream_packet(struct proxy_client *cl, const lv_header *h, const uint8_t *data, size_t len);
/* The client has gone: its streams end (a download's call still out ends when it is answered). */
void lv_streams_end(struct proxy_client *cl);

/* libvirt-session.c: a client connection. */
void lv_session_begin(struct proxy_client *cl);
void lv_session_end(struct proxy_client *cl);
void lv_handle_message(struct proxy_client *cl, const uint8_t *msg, size_t len);
/* A driver's event: sent to each of the client's callbacks that wants it. */
void lv_relay_event(struct proxy_client *cl, uint32_t program, const rpc_envelope *env);

/* What a procedure's handler uses. Each call ends with exactly one of reply/fail/fail_lv. */
bool lv_session_open(const struct proxy_client *cl);
uint32_t lv_session_program(const struct proxy_client *cl);
const char *lv_session_uri(const struct proxy_client *cl);
int lv_session_set_uri(struct proxy_client *cl, const char *name, struct sv_error *err);
void lv_session_mark_open(struct proxy_client *cl, bool open);
/* True for the event IDs sepvirt sends (lifecycle and the ones of PROC_DOMAIN_EVENT_OTHER). */
bool lv_event_id_sent(int event_id);
int lv_session_add_callback(struct proxy_client *cl, int event_id, const lv_domain *dom, struct sv_error *err);
int lv_session_remove_callback(struct proxy_client *cl, int callback_id, struct sv_error *err);

/* The client's streams (libvirt-stream.c keeps the list). */
struct lv_stream **lv_session_streams(struct proxy_client *cl);
/* A stream packet to the client: data (status continue; len 0 says end of file) or a finish's
 * confirmation (status ok, no data). */
void lv_send_stream(struct proxy_client *cl, int proc, uint32_t serial, int status, const void *data, size_t len);
/* A stream that failed on proxyd's side: its error, as a stream packet of status error. */
void lv_send_stream_error(struct proxy_client *cl, int proc, uint32_t serial, const struct sv_error *err);

void lv_reply(struct lv_call *call, void *ret);
void lv_fail(struct lv_call *call, const struct sv_error *err);
/* An error in libvirt's own terms (code and domain of virterror.h). */
void lv_fail_lv(struct lv_call *call, int code, int domain, const char *fmt, ...) _printf_(4, 5);
/* Calls the driver of the session's program; next gets its reply, an error ends the call. */
void lv_forward(struct lv_call *call, uint32_t procedure, const ProtobufCMessage *msg, lv_step_fn next);
/* The same to another driver (storaged for pools and volumes). */
void lv_forward_to(struct lv_call *call, uint32_t program, uint32_t procedure, const ProtobufCMessage *msg,
		   lv_step_fn next);
/* Refuses flags outside known, with libvirt's words; false when refused (the call has ended). */
bool lv_flags_ok(struct lv_call *call, unsigned flags, unsigned known);

/* A libvirt domain from a name and a UUID in text form (the strings are not copied); id -1 when
 * it is not running. */
void lv_domain_set(lv_domain *d, const char *name, const char *uuid, int id);

/* In a step: var, the driver's reply body as type; a body that does not unpack ends the call. */
#define UNPACK(reply, type, name, var)                                                                         \
	_cleanup_message_ Sepvirt__##type *var = NULL;                                                         \
	do {                                                                                                   \
		struct sv_error uerr_;                                                                         \
		if (rpc_body_unpack(reply, &sepvirt__##name##__descriptor, (ProtobufCMessage **)&var, &uerr_) < 0) { \
			lv_fail(call, &uerr_);                                                                 \
			return;                                                                                \
		}                                                                                              \
	} while (0)

/* bsearch's comparison for tables of struct lv_proc sorted by number. */
int lv_proc_cmp(const void *key, const void *elem);

/* libvirt's numbers this file needs (virterror.h). */
enum {
	LV_ERR_INTERNAL = 1,
	LV_ERR_NO_SUPPORT = 3,
	LV_ERR_NO_CONNECT = 5,
	LV_ERR_INVALID_ARG = 8,
	LV_ERR_OPERATION_FAILED = 9,
	LV_ERR_XML = 27,
	LV_ERR_OPERATION_DENIED = 29,
	LV_ERR_SYSTEM = 38,
	LV_ERR_RPC = 39,
	LV_ERR_NO_DOMAIN = 42,
	LV_ERR_NO_NETWORK = 43,
	LV_ERR_NO_POOL = 49,
	LV_ERR_NO_VOLUME = 50,
	LV_ERR_OPERATION_INVALID = 55,
	LV_ERR_CONFIG_UNSUPPORTED = 67,
	LV_ERR_ACCESS_DENIED = 88,
};
enum {
	LV_FROM_NONE = 0,
	LV_FROM_RPC = 7,
	LV_FROM_QEMU = 10,
	LV_FROM_REMOTE = 13,
	LV_FROM_LXC = 17,
	LV_FROM_STORAGE = 18,
	LV_FROM_NETWORK = 19,
	LV_FROM_DOMAIN = 20,
};
