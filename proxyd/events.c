/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Events: a client subscribes to the events of a program (PROC_EVENT_REGISTER, answered here);
 * proxyd subscribes once to that driver daemon on the clients' behalf and relays each event
 * frame to every subscribed client. A driver daemon that restarts is subscribed to again as
 * soon as it is back, so subscribers go on receiving without doing anything. */
#include "config.h"

#include "log.h"
#include "libvirt.h"
#include "proxyd.h"

#define RETRY_MS 200 /* reconnecting to a restarted driver for its events */

static struct {
	struct proxy_client **cl; /* clients with at least one program subscribed */
	size_t n, cap;
	bool registered[PROXY_NPROGRAMS];
	struct evwatch *retry;
} subs;

static bool has_program(uint32_t program)
{
	return program == SEPVIRT__PROGRAM__PROGRAM_QEMU || program == SEPVIRT__PROGRAM__PROGRAM_LXC;
}

static bool anyone_wants(uint32_t program)
{
	for (size_t i = 0; i < subs.n; i++)
		if (subs.cl[i]->event_programs & (1u << program))
			return true;
	return false;
}

static int driver_register(struct proxy *px, uint32_t program, struct sv_error *err)
{
	Sepvirt__EventRegisterRequest req = SEPVIRT__EVENT_REGISTER_REQUEST__INIT;

	if (subs.registered[program])
		return 0;
	req.enable = true;
	int r = proxy_driver_call(px, program, SEPVIRT__PROCEDURE__PROC_EVENT_REGISTER, &req.base, err);
	if (r == 0) {
		subs.registered[program] = true;
		log_info("subscribed to the events of program %s", program_name(program));
	}
	return r;
}

static void on_retry(struct evwatch *w, void *userdata)
{
	struct proxy *px = userdata;
	bool missing = false;

	for (uint32_t p = 0; p < PROXY_NPROGRAMS; p++) {
		struct sv_error err;
		if (has_program(p) && !subs.registered[p] && anyone_wants(p) && driver_register(px, p, &err) < 0)
			missing = true;
	}
	if (!missing) {
		evwatch_remove(subs.retry);
		subs.retry = NULL;
	}
}

void proxy_events_driver_lost(struct proxy *px, uint32_t program)
{
	subs.registered[program] = false;
	if (anyone_wants(program) && !subs.retry)
		subs.retry = evloop_timer(proxy_loop(px), RETRY_MS, RETRY_MS, on_retry, px);
}

void proxy_events_relay(struct proxy *px, uint32_t program, const rpc_envelope *env)
{
	/* A copy: a failed send may close a client, which then leaves the list. */
	size_t n = subs.n;
	_cleanup_free_ struct proxy_client **to = xmalloc((n + 1) * sizeof(*to));

	(void)px;
	memcpy(to, subs.cl, n * sizeof(*to));
	for (size_t i = 0; i < n; i++)
		if (!(to[i]->event_programs & (1u << program)))
			continue;
		else if (to[i]->lv)
			lv_relay_event(to[i], program, env);
		else
			rpc_conn_send(to[i]->conn, env, NULL, 0);
}

void proxy_events_forget_client(struct proxy_client *cl)
{
	for (size_t i = 0; i < subs.n; i++)
		if (subs.cl[i] == cl) {
			subs.cl[i] = subs.cl[--subs.n];
			return;
		}
}

int proxy_events_subscribe(struct proxy *px, struct proxy_client *cl, uint32_t program, bool enable,
			   struct sv_error *err)
{
	if (!has_program(program))
		return sv_error_set(err, SV_FROM_PROXY, SV_ERR_NOT_SUPPORTED, ENOTSUP,
				    "program '%s' has no events (the qemu and lxc drivers do)", program_name(program));
	if (enable) {
		int r = driver_register(px, program, err);
		if (r < 0)
			return r;
		if (!cl->event_programs) {
			if (subs.n == subs.cap) {
				subs.cap = subs.cap ? subs.cap * 2 : 8;
				subs.cl = xrealloc(subs.cl, subs.cap * sizeof(*subs.cl));
			}
			subs.cl[subs.n++] = cl;
		}
		cl->event_programs |= 1u << program;
	} else {
		cl->event_programs &= ~(1u << program);
		if (!cl->event_programs)
			proxy_events_forget_client(cl);
	}
	return 0;
}

void proxy_events_register(struct proxy *px, struct proxy_client *cl, const rpc_envelope *env)
{
	_cleanup_message_ Sepvirt__EventRegisterRequest *req = NULL;
	rpc_envelope reply = SEPVIRT__ENVELOPE__INIT;
	struct sv_error err;

	if (rpc_body_unpack(env, &sepvirt__event_register_request__descriptor, (ProtobufCMessage **)&req, &err) < 0 ||
	    proxy_events_subscribe(px, cl, env->program, req->enable, &err) < 0) {
		rpc_conn_send_error(cl->conn, env, &err);
		return;
	}
	reply.program = env->program;
	reply.procedure = env->procedure;
	reply.serial = env->serial;
	reply.status = SEPVIRT__STATUS__STATUS_OK;
	rpc_conn_send(cl->conn, &reply, NULL, 0);
}

void proxy_events_fini(void)
{
	evwatch_remove(subs.retry);
	free(subs.cl);
	memset(&subs, 0, sizeof(subs));
}
