/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain events: subscribe a connection, then take the events one by one (lifecycle only, or
 * every ID). */
#include "config.h"

#include <stdio.h>

#include "domain-event.h"
#include "libsepvirt-priv.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x

int sepvirt_domain_event_register(sepvirt_conn *conn)
{
	Sepvirt__EventRegisterRequest req = SEPVIRT__EVENT_REGISTER_REQUEST__INIT;

	req.enable = true;
	return client_call(conn, conn ? conn->program : 0, PROC(EVENT_REGISTER), &req.base, NULL, NULL);
}

/* The lifecycle ones of sepvirt_domain_event_wait_any; the others are skipped. */
int sepvirt_domain_event_wait(sepvirt_conn *conn, int timeout_ms, sepvirt_domain_event *ev)
{
	sepvirt_domain_event_any any;
	int r;

	if (!ev) {
		client_clear_error();
		return client_error(SV_ERR_INVALID_ARG, "no connection or no event to fill");
	}
	while ((r = sepvirt_domain_event_wait_any(conn, timeout_ms, &any)) > 0) {
		if (any.id != SEPVIRT_DOMAIN_EVENT_ID_LIFECYCLE)
			continue;
		COPY_FIELD(ev->name, any.name);
		COPY_FIELD(ev->uuid, any.uuid);
		ev->event = any.event;
		ev->detail = any.detail;
		return 1;
	}
	return r;
}

int sepvirt_domain_event_wait_any(sepvirt_conn *conn, int timeout_ms, sepvirt_domain_event_any *ev)
{
	_cleanup_envelope_ rpc_envelope *env = NULL;
	struct sv_error err;
	int r;

	client_clear_error();
	if (!conn || !ev)
		return client_error(SV_ERR_INVALID_ARG, "no connection or no event to fill");
	for (;;) {
		r = rpc_client_next_event(conn->rpc, timeout_ms, &env, &err);
		if (r <= 0)
			return r < 0 ? client_set_error(&err) : 0;
		if (env->procedure == PROC(DOMAIN_EVENT) || env->procedure == PROC(DOMAIN_EVENT_OTHER))
			break;
		rpc_envelope_free(TAKE_PTR(env));
	}
	memset(ev, 0, sizeof(*ev));
	if (env->procedure == PROC(DOMAIN_EVENT)) {
		_cleanup_message_ Sepvirt__DomainEvent *msg = NULL;

		if (rpc_body_unpack(env, &sepvirt__domain_event__descriptor, (ProtobufCMessage **)&msg, &err) < 0)
			return client_set_error(&err);
		ev->id = SEPVIRT_DOMAIN_EVENT_ID_LIFECYCLE;
		COPY_FIELD(ev->name, msg->name);
		COPY_FIELD(ev->uuid, msg->uuid);
		ev->event = msg->event;
		ev->detail = msg->detail;
		return 1;
	}
	_cleanup_message_ Sepvirt__DomainEventOther *o = NULL;
	if (rpc_body_unpack(env, &sepvirt__domain_event_other__descriptor, (ProtobufCMessage **)&o, &err) < 0)
		return client_set_error(&err);
	ev->id = o->id;
	COPY_FIELD(ev->name, o->name);
	COPY_FIELD(ev->uuid, o->uuid);
	ev->action = o->action;
	COPY_FIELD(ev->src_path, o->src_path);
	COPY_FIELD(ev->dev_alias, o->dev_alias);
	COPY_FIELD(ev->reason, o->reason);
	ev->value = o->value;
	return 1;
}

const char *sepvirt_domain_event_id_name(int id) { return domain_event_id_name(id); }
int sepvirt_domain_event_id_from_name(const char *name) { return name ? domain_event_id_of_name(name) : -1; }

const char *sepvirt_domain_event_action_name(int id, int action)
{
	if (id == SEPVIRT_DOMAIN_EVENT_ID_WATCHDOG)
		return domain_event_watchdog_action_name(action);
	if (id == SEPVIRT_DOMAIN_EVENT_ID_IO_ERROR || id == SEPVIRT_DOMAIN_EVENT_ID_IO_ERROR_REASON)
		return domain_event_io_error_action_name(action);
	return "unknown";
}

const char *sepvirt_domain_event_name(int event) { return domain_event_name(event); }
const char *sepvirt_domain_event_detail_name(int event, int detail) { return domain_event_detail_name(event, detail); }
