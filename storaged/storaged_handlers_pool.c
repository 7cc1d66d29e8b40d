/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PROC_POOL_*: define, undefine, build, start, destroy, list, info, XML, refresh, autostart. */
#include "config.h"

#include "log.h"
#include "storaged_handlers.h"
#include "storaged_pool.h"
#include "storaged_volume.h"

static void fill_summary(const struct storaged_pool *p, Sepvirt__PoolSummary *s, char uuid[SV_UUID_STRING_LEN])
{
	sv_uuid_format(p->def->uuid, uuid);
	s->name = p->def->name;
	s->uuid = uuid;
	s->active = p->active;
	s->autostart = p->autostart;
	s->persistent = true;
	s->capacity = p->def->capacity;
	s->allocation = p->def->allocation;
	s->available = p->def->available;
	s->path = p->def->target_path;
}

static int reply_summary(struct storaged_pool *p, struct rpc_reply *reply)
{
	Sepvirt__PoolSummary s = SEPVIRT__POOL_SUMMARY__INIT;
	char uuid[SV_UUID_STRING_LEN];

	fill_summary(p, &s, uuid);
	rpc_reply_pack(reply, &s.base);
	return 0;
}

STORAGED_HANDLER(storaged_handle_pool_define)
{
	const Sepvirt__PoolDefineRequest *in = (const void *)msg;
	struct pool_def *def = NULL;
	struct storaged_pool *p;
	int r = pool_def_parse(in->xml, strlen(in->xml), 0, &def, err);

	if (r < 0)
		return r;
	r = storaged_pool_define(def, &p, err);
	if (r < 0)
		return r;
	log_info("storage pool '%s' defined (%s)", p->def->name, p->def->target_path);
	return reply_summary(p, reply);
}

/* Looks the pool up, runs fn on it and replies with its summary. */
static int pool_action(const ProtobufCMessage *msg, struct rpc_reply *reply, struct sv_error *err,
		       int (*fn)(struct storaged_pool *, struct sv_error *), const char *done)
{
	const Sepvirt__PoolRef *in = (const void *)msg;
	struct storaged_pool *p;
	int r = storaged_pool_get(in->pool, false, &p, err);

	if (r < 0 || (r = fn(p, err)) < 0)
		return r;
	log_info("storage pool '%s' %s", p->def->name, done);
	return reply_summary(p, reply);
}

STORAGED_HANDLER(storaged_handle_pool_build) { return pool_action(msg, reply, err, storaged_pool_build, "built"); }
STORAGED_HANDLER(storaged_handle_pool_start) { return pool_action(msg, reply, err, storaged_pool_start, "started"); }
STORAGED_HANDLER(storaged_handle_pool_destroy) { return pool_action(msg, reply, err, storaged_pool_stop, "destroyed"); }
/* A refresh also says which volume storaged refuses to describe or hand over (a qcow2 header
 * naming a data file outside the pools): the figures are fresh all the same. */
static int refresh_and_check(struct storaged_pool *p, struct sv_error *err)
{
	struct sv_error e;
	int r = storaged_pool_refresh(p, err);

	if (r >= 0 && (r = storaged_vol_check_all(p, &e)) < 0)
		return sv_error_set(err, e.domain, e.code, -r, "storage pool '%s' refreshed, but %s", p->def->name,
				    e.message);
	return r;
}

STORAGED_HANDLER(storaged_handle_pool_refresh) { return pool_action(msg, reply, err, refresh_and_check, "refreshed"); }

STORAGED_HANDLER(storaged_handle_pool_undefine)
{
	const Sepvirt__PoolRef *in = (const void *)msg;
	Sepvirt__PoolSummary s = SEPVIRT__POOL_SUMMARY__INIT;
	char uuid[SV_UUID_STRING_LEN];
	_cleanup_free_ char *name = NULL;
	struct storaged_pool *p;
	int r = storaged_pool_get(in->pool, false, &p, err);

	if (r < 0)
		return r;
	name = xstrdup(p->def->name);
	fill_summary(p, &s, uuid);
	s.name = name;
	s.path = NULL;
	r = storaged_pool_undefine(p, err);
	if (r < 0)
		return r;
	log_info("storage pool '%s' undefined", name);
	rpc_reply_pack(reply, &s.base);
	return 0;
}

STORAGED_HANDLER(storaged_handle_pool_list)
{
	const Sepvirt__PoolListRequest *in = (const void *)msg;
	Sepvirt__PoolListReply rep = SEPVIRT__POOL_LIST_REPLY__INIT;
	_cleanup_free_ Sepvirt__PoolSummary *sums = xcalloc(storaged.npools + 1, sizeof(*sums));
	_cleanup_free_ Sepvirt__PoolSummary **ptrs = xcalloc(storaged.npools + 1, sizeof(*ptrs));
	_cleanup_free_ char (*uuids)[SV_UUID_STRING_LEN] = xcalloc(storaged.npools + 1, sizeof(*uuids));

	for (size_t i = 0; i < storaged.npools; i++) {
		struct storaged_pool *p = storaged.pools[i];
		if (!in->all && !p->active)
			continue;
		if (p->active)
			storaged_pool_refresh(p, NULL);
		sepvirt__pool_summary__init(&sums[rep.n_pools]);
		fill_summary(p, &sums[rep.n_pools], uuids[rep.n_pools]);
		ptrs[rep.n_pools] = &sums[rep.n_pools];
		rep.n_pools++;
	}
	rep.pools = ptrs;
	rpc_reply_pack(reply, &rep.base);
	return 0;
}

/* The pool with fresh figures when it is active. */
static int get_fresh(const char *key, struct storaged_pool **p, struct sv_error *err)
{
	int r = storaged_pool_get(key, false, p, err);

	if (r >= 0 && (*p)->active)
		storaged_pool_refresh(*p, NULL);
	return r;
}

STORAGED_HANDLER(storaged_handle_pool_info)
{
	const Sepvirt__PoolRef *in = (const void *)msg;
	struct storaged_pool *p;
	int r = get_fresh(in->pool, &p, err);

	return r < 0 ? r : reply_summary(p, reply);
}

STORAGED_HANDLER(storaged_handle_pool_get_xml)
{
	const Sepvirt__PoolRef *in = (const void *)msg;
	Sepvirt__PoolXmlReply rep = SEPVIRT__POOL_XML_REPLY__INIT;
	_cleanup_free_ char *xml = NULL;
	struct storaged_pool *p;
	int r = get_fresh(in->pool, &p, err);

	if (r < 0)
		return r;
	r = pool_def_format(p->def, 0, &xml, err);
	if (r < 0)
		return r;
	rep.xml = xml;
	rpc_reply_pack(reply, &rep.base);
	return 0;
}

STORAGED_HANDLER(storaged_handle_pool_set_autostart)
{
	const Sepvirt__PoolAutostartRequest *in = (const void *)msg;
	struct storaged_pool *p;
	int r = storaged_pool_get(in->pool, false, &p, err);

	if (r < 0 || (r = storaged_pool_set_autostart(p, in->enable, err)) < 0)
		return r;
	return reply_summary(p, reply);
}
