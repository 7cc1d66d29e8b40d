/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvirt's storage pool and volume procedures, served by storaged whatever driver the
 * connection was opened for (as libvirtd's storage driver is). A pool is named to storaged by
 * its UUID, a volume by its pool's name and its own; a volume's key is its path. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "libvirt.h"
#include "xml/uuid.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x
#define STORAGE SEPVIRT__PROGRAM__PROGRAM_STORAGE

/* libvirt-storage.h's numbers. */
enum {
	LV_POOL_INACTIVE = 0,
	LV_POOL_RUNNING = 2,

	LV_POOLS_INACTIVE = 1 << 0,
	LV_POOLS_ACTIVE = 1 << 1,
	LV_POOLS_PERSISTENT = 1 << 2,
	LV_POOLS_TRANSIENT = 1 << 3,
	LV_POOLS_AUTOSTART = 1 << 4,
	LV_POOLS_NO_AUTOSTART = 1 << 5,
	LV_POOLS_DIR = 1 << 6,
	LV_POOLS_TYPES = ((1u << 20) - 1) & ~((1u << 6) - 1), /* dir, fs, netfs ... iscsi-direct */

	LV_POOL_CREATE_WITH_BUILD = 1 << 0,
	LV_POOL_XML_INACTIVE = 1 << 0,
	LV_VOL_FILE = 0,
};

static void pool_set(lv_pool *p, const char *name, const char *uuid)
{
	p->name = (char *)name;
	memset(p->uuid, 0, sizeof(p->uuid));
	sv_uuid_parse(uuid, (unsigned char *)p->uuid);
}

static void vol_set(lv_vol *v, const Sepvirt__VolSummary *s)
{
	v->pool = s->pool;
	v->name = s->name;
	v->key = s->path;
}

/* The PoolRef for a pool named in a call. */
struct pool_ref {
	Sepvirt__PoolRef ref;
	char uuid[SV_UUID_STRING_LEN];
};

static const ProtobufCMessage *pool_ref(struct pool_ref *r, const lv_pool *p)
{
	sepvirt__pool_ref__init(&r->ref);
	sv_uuid_format((const unsigned char *)p->uuid, r->uuid);
	r->ref.pool = r->uuid;
	return &r->ref.base;
}

static const ProtobufCMessage *vol_ref(Sepvirt__VolRef *r, const lv_vol *v)
{
	sepvirt__vol_ref__init(r);
	r->pool = v->pool;
	r->volume = v->name;
	return &r->base;
}

static void reply_void(struct lv_call *call, const rpc_envelope *reply) { lv_reply(call, NULL); }

/* ---- pools ---- */

static void reply_pool(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, PoolSummary, pool_summary, s);
	lv_pool_arg ret;

	pool_set(&ret.pool, s->name, s->uuid);
	lv_reply(call, &ret);
}

static bool pool_listed(const Sepvirt__PoolSummary *p, unsigned f)
{
	if ((f & (LV_POOLS_ACTIVE | LV_POOLS_INACTIVE)) &&
	    !((f & LV_POOLS_ACTIVE && p->active) || (f & LV_POOLS_INACTIVE && !p->active)))
		return false;
	if ((f & (LV_POOLS_PERSISTENT | LV_POOLS_TRANSIENT)) &&
	    !((f & LV_POOLS_PERSISTENT && p->persistent) || (f & LV_POOLS_TRANSIENT && !p->persistent)))
		return false;
	if ((f & (LV_POOLS_AUTOSTART | LV_POOLS_NO_AUTOSTART)) &&
	    !((f & LV_POOLS_AUTOSTART && p->autostart) || (f & LV_POOLS_NO_AUTOSTART && !p->autostart)))
		return false;
	return !(f & LV_POOLS_TYPES) || (f & LV_POOLS_DIR); /* every pool here is a directory */
}

static void got_pools(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, PoolListReply, pool_list_reply, list);
	_cleanup_free_ lv_pool *pools = xcalloc(list->n_pools + 1, sizeof(*pools));
	_cleanup_free_ char **names = xcalloc(list->n_pools + 1, sizeof(*names));
	size_t n = 0;

	switch (call->proc->proc) {
	case 281: {
		lv_list_all_args *a = call->args;
		for (size_t i = 0; i < list->n_pools; i++)
			if (pool_listed(list->pools[i], a->flags))
				pool_set(&pools[n++], list->pools[i]->name, list->pools[i]->uuid);
		lv_pool_list_all_ret ret = { .pools = { a->need_results ? n : 0, pools }, .count = n };
		lv_reply(call, &ret);
		return;
	}
	case 71:
	case 73: { /* number of active, of inactive pools */
		bool want_active = call->proc->proc == 71;
		for (size_t i = 0; i < list->n_pools; i++)
			n += list->pools[i]->active == want_active;
		lv_int ret = { (int)n };
		lv_reply(call, &ret);
		return;
	}
	default: { /* 72, 74: names of active, of inactive pools */
		bool want_active = call->proc->proc == 72;
		for (size_t i = 0; i < list->n_pools && (int)n < call->int_arg; i++)
			if (list->pools[i]->active == want_active)
				names[n++] = list->pools[i]->name;
		lv_list_names_ret ret = { .names = { n, names } };
		lv_reply(call, &ret);
		return;
	}
	}
}

static void list_pools(struct lv_call *call)
{
	Sepvirt__PoolListRequest req = SEPVIRT__POOL_LIST_REQUEST__INIT;
	req.all = true;
	lv_forward_to(call, STORAGE, PROC(POOL_LIST), &req.base, got_pools);
}

static void run_list_all(struct lv_call *call, void *args)
{
	lv_list_all_args *a = args;
	if (lv_flags_ok(call, a->flags, (1u << 20) - 1))
		list_pools(call);
}

static void run_count(struct lv_call *call, void *args) { list_pools(call); }

static void run_list_names(struct lv_call *call, void *args)
{
	lv_int *a = args;
	if (a->value < 0 || a->value > LV_LIST_MAX) {
		lv_fail_lv(call, LV_ERR_RPC, LV_FROM_REMOTE, "too many storage pools requested (%d > %d)", a->value,
			   LV_LIST_MAX);
		return;
	}
	call->int_arg = a->value;
	list_pools(call);
}

static void pool_info_by(struct lv_call *call, const char *key, lv_step_fn next)
{
	Sepvirt__PoolRef ref = SEPVIRT__POOL_REF__INIT;
	ref.pool = (char *)key;
	lv_forward_to(call, STORAGE, PROC(POOL_INFO), &ref.base, next);
}

static void run_lookup_by_name(struct lv_call *call, void *args)
{
	lv_str *a = args;
	pool_info_by(call, a->value, reply_pool);
}

static void run_lookup_by_uuid(struct lv_call *call, void *args)
{
	lv_uuid_args *a = args;
	char uuid[SV_UUID_STRING_LEN];

	sv_uuid_format((const unsigned char *)a->uuid, uuid);
	pool_info_by(call, uuid, reply_pool);
}

static void run_lookup_by_volume(struct lv_call *call, void *args)
{
	lv_vol_arg *a = args;
	pool_info_by(call, a->vol.pool, reply_pool);
}

static void run_define(struct lv_call *call, void *args)
{
	lv_xml_flags *a = args;
	Sepvirt__PoolDefineRequest req = SEPVIRT__POOL_DEFINE_REQUEST__INIT;

	if (!lv_flags_ok(call, a->flags, 0))
		return;
	req.xml = a->xml;
	lv_forward_to(call, STORAGE, PROC(POOL_DEFINE), &req.base, reply_pool);
}

static uint32_t pool_procedure(int lv_proc)
{
	switch (lv_proc) {
	case 78: return PROC(POOL_START);
	case 79: return PROC(POOL_BUILD);
	case 80: return PROC(POOL_DESTROY);
	case 82: return PROC(POOL_UNDEFINE);
	default: return PROC(POOL_REFRESH); /* 83 */
	}
}

static void run_pool(struct lv_call *call, void *args)
{
	lv_pool_arg *a = args;
	struct pool_ref r;
	lv_forward_to(call, STORAGE, pool_procedure(call->proc->proc), pool_ref(&r, &a->pool), reply_void);
}

static void run_pool_flags(struct lv_call *call, void *args)
{
	lv_pool_flags *a = args;
	struct pool_ref r;

	if (lv_flags_ok(call, a->flags, 0))
		lv_forward_to(call, STORAGE, pool_procedure(call->proc->proc), pool_ref(&r, &a->pool), reply_void);
}

/* pool-start --build: the directory first, then the start. */
static void built(struct lv_call *call, const rpc_envelope *reply)
{
	lv_pool_flags *a = call->args;
	struct pool_ref r;
	lv_forward_to(call, STORAGE, PROC(POOL_START), pool_ref(&r, &a->pool), reply_void);
}

static void run_create(struct lv_call *call, void *args)
{
	lv_pool_flags *a = args;
	struct pool_ref r;

	if (!lv_flags_ok(call, a->flags, LV_POOL_CREATE_WITH_BUILD))
		return;
	if (a->flags & LV_POOL_CREATE_WITH_BUILD)
		lv_forward_to(call, STORAGE, PROC(POOL_BUILD), pool_ref(&r, &a->pool), built);
	else
		lv_forward_to(call, STORAGE, PROC(POOL_START), pool_ref(&r, &a->pool), reply_void);
}

static void got_pool_summary(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, PoolSummary, pool_summary, s);
	lv_int ret = { 0 };

	switch (call->proc->proc) {
	case 87: {
		lv_pool_info_ret info = { s->active ? LV_POOL_RUNNING : LV_POOL_INACTIVE, s->capacity, s->allocation,
					  s->available };
		lv_reply(call, &info);
		return;
	}
	case 89: ret.value = s->autostart; break;
	case 154: ret.value = s->active; break;
	default: ret.value = s->persistent; break; /* 155 */
	}
	lv_reply(call, &ret);
}

static void run_pool_summary(struct lv_call *call, void *args)
{
	lv_pool_arg *a = args;
	struct pool_ref r;
	lv_forward_to(call, STORAGE, PROC(POOL_INFO), pool_ref(&r, &a->pool), got_pool_summary);
}

static void got_pool_xml(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, PoolXmlReply, pool_xml_reply, x);
	lv_str ret = { x->xml };
	lv_reply(call, &ret);
}

static void run_pool_xml(struct lv_call *call, void *args)
{
	lv_pool_flags *a = args;
	struct pool_ref r;

	/* A pool's definition is the same active or not: INACTIVE asks for what it already is. */
	if (lv_flags_ok(call, a->flags, LV_POOL_XML_INACTIVE))
		lv_forward_to(call, STORAGE, PROC(POOL_GET_XML), pool_ref(&r, &a->pool), got_pool_xml);
}

static void run_pool_set_autostart(struct lv_call *call, void *args)
{
	lv_pool_autostart_args *a = args;
	Sepvirt__PoolAutostartRequest req = SEPVIRT__POOL_AUTOSTART_REQUEST__INIT;
	char uuid[SV_UUID_STRING_LEN];

	sv_uuid_format((const unsigned char *)a->pool.uuid, uuid);
	req.pool = uuid;
	req.enable = a->autostart != 0;
	lv_forward_to(call, STORAGE, PROC(POOL_SET_AUTOSTART), &req.base, reply_void);
}

/* ---- volumes ---- */

static void got_vols(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, VolListReply, vol_list_reply, list);
	_cleanup_free_ lv_vol *vols = xcalloc(list->n_volumes + 1, sizeof(*vols));
	_cleanup_free_ char **names = xcalloc(list->n_volumes + 1, sizeof(*names));
	size_t n = 0;

	switch (call->proc->proc) {
	case 282: {
		lv_pool_volumes_args *a = call->args;
		for (size_t i = 0; i < list->n_volumes; i++)
			vol_set(&vols[i], list->volumes[i]);
		lv_vol_list_all_ret ret = { .vols = { a->need_results ? list->n_volumes : 0, vols },
					    .count = list->n_volumes };
		lv_reply(call, &ret);
		return;
	}
	case 91: {
		lv_int ret = { (int)list->n_volumes };
		lv_reply(call, &ret);
		return;
	}
	default: { /* 92 */
		for (size_t i = 0; i < list->n_volumes && (int)n < call->int_arg; i++)
			names[n++] = list->volumes[i]->name;
		lv_list_names_ret ret = { .names = { n, names } };
		lv_reply(call, &ret);
		return;
	}
	}
}

static void list_vols(struct lv_call *call, const lv_pool *pool)
{
	struct pool_ref r;
	lv_forward_to(call, STORAGE, PROC(VOL_LIST), pool_ref(&r, pool), got_vols);
}

static void run_list_all_vols(struct lv_call *call, void *args)
{
	lv_pool_volumes_args *a = args;
	if (lv_flags_ok(call, a->flags, 0))
		list_vols(call, &a->pool);
}

static void run_count_vols(struct lv_call *call, void *args)
{
	lv_pool_arg *a = args;
	list_vols(call, &a->pool);
}

static void run_list_vol_names(struct lv_call *call, void *args)
{
	lv_pool_int *a = args;
	if (a->value < 0 || a->value > LV_LIST_MAX) {
		lv_fail_lv(call, LV_ERR_RPC, LV_FROM_REMOTE, "too many storage volumes requested (%d > %d)", a->value,
			   LV_LIST_MAX);
		return;
	}
	call->int_arg = a->value;
	list_vols(call, &a->pool);
}

static void reply_vol(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, VolSummary, vol_summary, s);
	lv_vol_arg ret;

	vol_set(&ret.vol, s);
	lv_reply(call, &ret);
}

static void got_vol_summary(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, VolSummary, vol_summary, s);

	if (call->proc->proc == 100) {
		lv_str ret = { s->path };
		lv_reply(call, &ret);
		return;
	}
	lv_vol_info_ret ret = { LV_VOL_FILE, s->capacity, s->allocation };
	lv_reply(call, &ret);
}

static void run_vol_create(struct lv_call *call, void *args)
{
	lv_vol_create_args *a = args;
	Sepvirt__VolCreateRequest req = SEPVIRT__VOL_CREATE_REQUEST__INIT;

	if (!lv_flags_ok(call, a->flags, 0))
		return;
	/* storaged takes the pool's name: the call names the pool by both */
	req.pool = a->pool.name;
	req.xml = a->xml;
	lv_forward_to(call, STORAGE, PROC(VOL_CREATE), &req.base, reply_vol);
}

static void run_vol_delete(struct lv_call *call, void *args)
{
	lv_vol_flags *a = args;
	Sepvirt__VolRef r;

	if (lv_flags_ok(call, a->flags, 0))
		lv_forward_to(call, STORAGE, PROC(VOL_DELETE), vol_ref(&r, &a->vol), reply_void);
}

static void run_vol_lookup_by_name(struct lv_call *call, void *args)
{
	lv_pool_name *a = args;
	Sepvirt__VolRef r = SEPVIRT__VOL_REF__INIT;

	r.pool = a->pool.name;
	r.volume = a->name;
	lv_forward_to(call, STORAGE, PROC(VOL_INFO), &r.base, reply_vol);
}

static void run_vol_lookup_by_path(struct lv_call *call, void *args)
{
	lv_str *a = args;
	Sepvirt__VolRef r = SEPVIRT__VOL_REF__INIT;

	r.pool = (char *)""; /* with no pool, storaged takes the volume as a path (its key) */
	r.volume = a->value;
	lv_forward_to(call, STORAGE, PROC(VOL_INFO), &r.base, reply_vol);
}

static void run_vol_info(struct lv_call *call, void *args)
{
	lv_vol_arg *a = args;
	Sepvirt__VolRef r;
	lv_forward_to(call, STORAGE, PROC(VOL_INFO), vol_ref(&r, &a->vol), got_vol_summary);
}

static void got_vol_xml(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, VolXmlReply, vol_xml_reply, x);
	lv_str ret = { x->xml };
	lv_reply(call, &ret);
}

static void run_vol_xml(struct lv_call *call, void *args)
{
	lv_vol_flags *a = args;
	Sepvirt__VolRef r;

	if (lv_flags_ok(call, a->flags, 0))
		lv_forward_to(call, STORAGE, PROC(VOL_GET_XML), vol_ref(&r, &a->vol), got_vol_xml);
}

#define ARGS(t) (xdrproc_t) xdr_##t, sizeof(t)
#define NOARGS NULL, 0
#define RET(t) (xdrproc_t) xdr_##t
#define RO LV_READ_ONLY

/* Sorted by procedure number. */
static const struct lv_proc procs[] = {
	{ 71, "virConnectNumOfStoragePools", NOARGS, RET(lv_int), RO, run_count },
	{ 72, "virConnectListStoragePools", ARGS(lv_int), RET(lv_list_names_ret), RO, run_list_names },
	{ 73, "virConnectNumOfDefinedStoragePools", NOARGS, RET(lv_int), RO, run_count },
	{ 74, "virConnectListDefinedStoragePools", ARGS(lv_int), RET(lv_list_names_ret), RO, run_list_names },
	{ 77, "virStoragePoolDefineXML", ARGS(lv_xml_flags), RET(lv_pool_arg), 0, run_define },
	{ 78, "virStoragePoolCreate", ARGS(lv_pool_flags), NULL, 0, run_create },
	{ 79, "virStoragePoolBuild", ARGS(lv_pool_flags), NULL, 0, run_pool_flags },
	{ 80, "virStoragePoolDestroy", ARGS(lv_pool_arg), NULL, 0, run_pool },
	{ 82, "virStoragePoolUndefine", ARGS(lv_pool_arg), NULL, 0, run_pool },
	{ 83, "virStoragePoolRefresh", ARGS(lv_pool_flags), NULL, 0, run_pool_flags },
	{ 84, "virStoragePoolLookupByName", ARGS(lv_str), RET(lv_pool_arg), RO, run_lookup_by_name },
	{ 85, "virStoragePoolLookupByUUID", ARGS(lv_uuid_args), RET(lv_pool_arg), RO, run_lookup_by_uuid },
	{ 86, "virStoragePoolLookupByVolume", ARGS(lv_vol_arg), RET(lv_pool_arg), RO, run_lookup_by_volume },
	{ 87, "virStoragePoolGetInfo", ARGS(lv_pool_arg), RET(lv_pool_info_ret), RO, run_pool_summary },
	{ 88, "virStoragePoolGetXMLDesc", ARGS(lv_pool_flags), RET(lv_str), RO, run_pool_xml },
	{ 89, "virStoragePoolGetAutostart", ARGS(lv_pool_arg), RET(lv_int), RO, run_pool_summary },
	{ 90, "virStoragePoolSetAutostart", ARGS(lv_pool_autostart_args), NULL, 0, run_pool_set_autostart },
	{ 91, "virStoragePoolNumOfVolumes", ARGS(lv_pool_arg), RET(lv_int), RO, run_count_vols },
	{ 92, "virStoragePoolListVolumes", ARGS(lv_pool_int), RET(lv_list_names_ret), RO, run_list_vol_names },
	{ 93, "virStorageVolCreateXML", ARGS(lv_vol_create_args), RET(lv_vol_arg), 0, run_vol_create },
	{ 94, "virStorageVolDelete", ARGS(lv_vol_flags), NULL, 0, run_vol_delete },
	{ 95, "virStorageVolLookupByName", ARGS(lv_pool_name), RET(lv_vol_arg), RO, run_vol_lookup_by_name },
	{ 96, "virStorageVolLookupByKey", ARGS(lv_str), RET(lv_vol_arg), RO, run_vol_lookup_by_path },
	{ 97, "virStorageVolLookupByPath", ARGS(lv_str), RET(lv_vol_arg), RO, run_vol_lookup_by_path },
	{ 98, "virStorageVolGetInfo", ARGS(lv_vol_arg), RET(lv_vol_info_ret), RO, run_vol_info },
	{ 99, "virStorageVolGetXMLDesc", ARGS(lv_vol_flags), RET(lv_str), RO, run_vol_xml },
	{ 100, "virStorageVolGetPath", ARGS(lv_vol_arg), RET(lv_str), RO, run_vol_info },
	{ 154, "virStoragePoolIsActive", ARGS(lv_pool_arg), RET(lv_int), RO, run_pool_summary },
	{ 155, "virStoragePoolIsPersistent", ARGS(lv_pool_arg), RET(lv_int), RO, run_pool_summary },
	{ 281, "virConnectListAllStoragePools", ARGS(lv_list_all_args), RET(lv_pool_list_all_ret), RO, run_list_all },
	{ 282, "virStoragePoolListAllVolumes", ARGS(lv_pool_volumes_args), RET(lv_vol_list_all_ret), RO,
	  run_list_all_vols },
};

const struct lv_proc *lv_storage_proc_lookup(int proc)
{
	return bsearch(&proc, procs, ARRAY_SIZE(procs), sizeof(procs[0]), lv_proc_cmp);
}
