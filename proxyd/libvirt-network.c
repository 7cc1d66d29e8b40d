/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvirt's virtual network procedures, served by netd whatever driver the connection was
 * opened for (as libvirtd's network driver is): list, lookups, define, create, start, destroy,
 * undefine, XML, autostart, bridge name, active and persistent, DHCP leases. A network is
 * named to netd by its UUID. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "libvirt.h"
#include "xml/uuid.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x
#define NET SEPVIRT__PROGRAM__PROGRAM_NET

/* libvirt-network.h's numbers. */
enum {
	LV_NETS_INACTIVE = 1 << 0,
	LV_NETS_ACTIVE = 1 << 1,
	LV_NETS_PERSISTENT = 1 << 2,
	LV_NETS_TRANSIENT = 1 << 3,
	LV_NETS_AUTOSTART = 1 << 4,
	LV_NETS_NO_AUTOSTART = 1 << 5,
	LV_NET_XML_INACTIVE = 1 << 0,
	LV_IP_ADDR_IPV4 = 0,
	LV_IP_ADDR_IPV6 = 1,
};

static void net_set(lv_network *n, const char *name, const char *uuid)
{
	n->name = (char *)name;
	memset(n->uuid, 0, sizeof(n->uuid));
	sv_uuid_parse(uuid, (unsigned char *)n->uuid);
}

/* The NetworkRef of a network named in a call: its UUID. */
struct net_ref {
	Sepvirt__NetworkRef ref;
	char uuid[SV_UUID_STRING_LEN];
};

static const ProtobufCMessage *net_ref(struct net_ref *r, const lv_network *n)
{
	sepvirt__network_ref__init(&r->ref);
	sv_uuid_format((const unsigned char *)n->uuid, r->uuid);
	r->ref.network = r->uuid;
	return &r->ref.base;
}

static void reply_void(struct lv_call *call, const rpc_envelope *reply) { lv_reply(call, NULL); }

static void reply_net(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, NetworkSummary, network_summary, s);
	lv_net_arg ret;

	net_set(&ret.net, s->name, s->uuid);
	lv_reply(call, &ret);
}

/* ---- lists ---- */

static bool net_listed(const Sepvirt__NetworkSummary *n, unsigned f)
{
	if ((f & (LV_NETS_ACTIVE | LV_NETS_INACTIVE)) &&
	    !((f & LV_NETS_ACTIVE && n->active) || (f & LV_NETS_INACTIVE && !n->active)))
		return false;
	if ((f & (LV_NETS_PERSISTENT | LV_NETS_TRANSIENT)) &&
	    !((f & LV_NETS_PERSISTENT && n->persistent) || (f & LV_NETS_TRANSIENT && !n->persistent)))
		return false;
	return !(f & (LV_NETS_AUTOSTART | LV_NETS_NO_AUTOSTART)) ||
	       (f & LV_NETS_AUTOSTART && n->autostart) || (f & LV_NETS_NO_AUTOSTART && !n->autostart);
}

static void got_nets(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, NetworkListReply, network_list_reply, list);
	_cleanup_free_ lv_network *nets = xcalloc(list->n_networks + 1, sizeof(*nets));
	_cleanup_free_ char **names = xcalloc(list->n_networks + 1, sizeof(*names));
	size_t n = 0;

	switch (call->proc->proc) {
	case 283: {
		lv_list_all_args *a = call->args;
		for (size_t i = 0; i < list->n_networks; i++)
			if (net_listed(list->networks[i], a->flags))
				net_set(&nets[n++], list->networks[i]->name, list->networks[i]->uuid);
		lv_net_list_all_ret ret = { .nets = { a->need_results ? n : 0, nets }, .count = n };
		lv_reply(call, &ret);
		return;
	}
	case 50:
	case 52: { /* number of inactive, of active networks */
		bool want_active = call->proc->proc == 52;
		for (size_t i = 0; i < list->n_networks; i++)
			n += list->networks[i]->active == want_active;
		lv_int ret = { (int)n };
		lv_reply(call, &ret);
		return;
	}
	default: { /* 36, 38: names of inactive, of active networks */
		bool want_active = call->proc->proc == 38;
		for (size_t i = 0; i < list->n_networks && (int)n < call->int_arg; i++)
			if (list->networks[i]->active == want_active)
				names[n++] = list->networks[i]->name;
		lv_list_names_ret ret = { .names = { n, names } };
		lv_reply(call, &ret);
		return;
	}
	}
}

static void list_nets(struct lv_call *call)
{
	Sepvirt__NetworkListRequest req = SEPVIRT__NETWORK_LIST_REQUEST__INIT;
	req.all = true;
	lv_forward_to(call, NET, PROC(NETWORK_LIST), &req.base, got_nets);
}

static void run_list_all(struct lv_call *call, void *args)
{
	lv_list_all_args *a = args;
	if (lv_flags_ok(call, a->flags, (1u << 6) - 1))
		list_nets(call);
}

static void run_count(struct lv_call *call, void *args) { list_nets(call); }

static void run_list_names(struct lv_call *call, void *args)
{
	lv_int *a = args;
	if (a->value < 0 || a->value > LV_LIST_MAX) {
		lv_fail_lv(call, LV_ERR_RPC, LV_FROM_REMOTE, "too many networks requested (%d > %d)", a->value,
			   LV_LIST_MAX);
		return;
	}
	call->int_arg = a->value;
	list_nets(call);
}

/* ---- one network ---- */

static void info_by(struct lv_call *call, const char *key, lv_step_fn next)
{
	Sepvirt__NetworkRef ref = SEPVIRT__NETWORK_REF__INIT;
	ref.network = (char *)key;
	lv_forward_to(call, NET, PROC(NETWORK_INFO), &ref.base, next);
}

static void run_lookup_by_name(struct lv_call *call, void *args)
{
	lv_str *a = args;
	info_by(call, a->value, reply_net);
}

static void run_lookup_by_uuid(struct lv_call *call, void *args)
{
	lv_uuid_args *a = args;
	char uuid[SV_UUID_STRING_LEN];

	sv_uuid_format((const unsigned char *)a->uuid, uuid);
	info_by(call, uuid, reply_net);
}

/* define and create, with flags (432, 437: VALIDATE is the only one, checked by netd anyway)
 * or without (41, 40). */
static void define_or_create(struct lv_call *call, const char *xml)
{
	Sepvirt__NetworkDefineRequest req = SEPVIRT__NETWORK_DEFINE_REQUEST__INIT;
	bool create = call->proc->proc == 40 || call->proc->proc == 437;

	req.xml = (char *)xml;
	lv_forward_to(call, NET, create ? PROC(NETWORK_CREATE) : PROC(NETWORK_DEFINE), &req.base, reply_net);
}

static void run_define(struct lv_call *call, void *args)
{
	lv_str *a = args;
	define_or_create(call, a->value);
}

static void run_define_flags(struct lv_call *call, void *args)
{
	lv_xml_flags *a = args;
	if (lv_flags_ok(call, a->flags, 1 /* VIR_NETWORK_DEFINE_VALIDATE */))
		define_or_create(call, a->xml);
}

static uint32_t net_procedure(int lv_proc)
{
	switch (lv_proc) {
	case 39: return PROC(NETWORK_START);
	case 42: return PROC(NETWORK_DESTROY);
	default: return PROC(NETWORK_UNDEFINE); /* 49 */
	}
}

static void run_net(struct lv_call *call, void *args)
{
	lv_net_arg *a = args;
	struct net_ref r;
	lv_forward_to(call, NET, net_procedure(call->proc->proc), net_ref(&r, &a->net), reply_void);
}

static void got_xml(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, NetworkXmlReply, network_xml_reply, x);
	lv_str ret = { x->xml };
	lv_reply(call, &ret);
}

static void run_get_xml(struct lv_call *call, void *args)
{
	lv_net_flags *a = args;
	Sepvirt__NetworkXmlRequest req = SEPVIRT__NETWORK_XML_REQUEST__INIT;
	char uuid[SV_UUID_STRING_LEN];

	if (!lv_flags_ok(call, a->flags, LV_NET_XML_INACTIVE))
		return;
	sv_uuid_format((const unsigned char *)a->net.uuid, uuid);
	req.network = uuid;
	req.inactive = a->flags & LV_NET_XML_INACTIVE;
	lv_forward_to(call, NET, PROC(NETWORK_GET_XML), &req.base, got_xml);
}

/* What the summary answers: autostart, bridge name, active, persistent. */
static void got_summary(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, NetworkSummary, network_summary, s);

	if (call->proc->proc == 45) {
		lv_str ret = { s->bridge };
		lv_reply(call, &ret);
		return;
	}
	lv_int ret = { call->proc->proc == 44 ? s->autostart : call->proc->proc == 152 ? s->active : s->persistent };
	lv_reply(call, &ret);
}

static void run_summary(struct lv_call *call, void *args)
{
	lv_net_arg *a = args;
	struct net_ref r;
	lv_forward_to(call, NET, PROC(NETWORK_INFO), net_ref(&r, &a->net), got_summary);
}

static void run_set_autostart(struct lv_call *call, void *args)
{
	lv_net_autostart_args *a = args;
	Sepvirt__NetworkAutostartRequest req = SEPVIRT__NETWORK_AUTOSTART_REQUEST__INIT;
	char uuid[SV_UUID_STRING_LEN];

	sv_uuid_format((const unsigned char *)a->net.uuid, uuid);
	req.network = uuid;
	req.enable = a->autostart != 0;
	lv_forward_to(call, NET, PROC(NETWORK_SET_AUTOSTART), &req.base, reply_void);
}

static void got_leases(struct lv_call *call, const rpc_envelope *reply)
{
	UNPACK(reply, NetworkLeasesReply, network_leases_reply, list);
	lv_net_leases_args *a = call->args;
	size_t n = list->n_leases;
	_cleanup_free_ lv_net_lease *leases = xcalloc(n + 1, sizeof(*leases));
	_cleanup_free_ char **strs = xcalloc(4 * n + 1, sizeof(*strs));

	for (size_t i = 0; i < n; i++) {
		const Sepvirt__NetworkLease *l = list->leases[i];
		lv_net_lease *o = &leases[i];

		o->iface = l->iface;
		o->expirytime = l->expiry;
		o->type = l->ipv6 ? LV_IP_ADDR_IPV6 : LV_IP_ADDR_IPV4;
		o->ipaddr = l->address;
		o->prefix = l->prefix;
		/* optional strings: a pointer to the string, or none */
		strs[4 * i] = l->mac;
		strs[4 * i + 1] = l->hostname;
		strs[4 * i + 2] = l->client_id;
		o->mac = l->mac[0] ? &strs[4 * i] : NULL;
		o->hostname = l->hostname[0] ? &strs[4 * i + 1] : NULL;
		o->clientid = l->client_id[0] ? &strs[4 * i + 2] : NULL;
		o->iaid = NULL; /* dnsmasq's IAID is not kept by netd */
	}
	lv_net_leases_ret ret = { .leases = { a->need_results ? n : 0, leases }, .ret = n };
	lv_reply(call, &ret);
}

static void run_get_leases(struct lv_call *call, void *args)
{
	lv_net_leases_args *a = args;
	Sepvirt__NetworkLeasesRequest req = SEPVIRT__NETWORK_LEASES_REQUEST__INIT;
	char uuid[SV_UUID_STRING_LEN];

	if (!lv_flags_ok(call, a->flags, 0))
		return;
	sv_uuid_format((const unsigned char *)a->net.uuid, uuid);
	req.network = uuid;
	req.mac = a->mac ? *a->mac : "";
	lv_forward_to(call, NET, PROC(NETWORK_GET_DHCP_LEASES), &req.base, got_leases);
}

#define ARGS(t) (xdrproc_t) xdr_##t, sizeof(t)
#define NOARGS NULL, 0
#define RET(t) (xdrproc_t) xdr_##t
#define RO LV_READ_ONLY

/* Sorted by procedure number. */
static const struct lv_proc procs[] = {
	{ 36, "virConnectListDefinedNetworks", ARGS(lv_int), RET(lv_list_names_ret), RO, run_list_names },
	{ 38, "virConnectListNetworks", ARGS(lv_int), RET(lv_list_names_ret), RO, run_list_names },
	{ 39, "virNetworkCreate", ARGS(lv_net_arg), NULL, 0, run_net },
	{ 40, "virNetworkCreateXML", ARGS(lv_str), RET(lv_net_arg), 0, run_define },
	{ 41, "virNetworkDefineXML", ARGS(lv_str), RET(lv_net_arg), 0, run_define },
	{ 42, "virNetworkDestroy", ARGS(lv_net_arg), NULL, 0, run_net },
	{ 43, "virNetworkGetXMLDesc", ARGS(lv_net_flags), RET(lv_str), RO, run_get_xml },
	{ 44, "virNetworkGetAutostart", ARGS(lv_net_arg), RET(lv_int), RO, run_summary },
	{ 45, "virNetworkGetBridgeName", ARGS(lv_net_arg), RET(lv_str), RO, run_summary },
	{ 46, "virNetworkLookupByName", ARGS(lv_str), RET(lv_net_arg), RO, run_lookup_by_name },
	{ 47, "virNetworkLookupByUUID", ARGS(lv_uuid_args), RET(lv_net_arg), RO, run_lookup_by_uuid },
	{ 48, "virNetworkSetAutostart", ARGS(lv_net_autostart_args), NULL, 0, run_set_autostart },
	{ 49, "virNetworkUndefine", ARGS(lv_net_arg), NULL, 0, run_net },
	{ 50, "virConnectNumOfDefinedNetworks", NOARGS, RET(lv_int), RO, run_count },
	{ 52, "virConnectNumOfNetworks", NOARGS, RET(lv_int), RO, run_count },
	{ 152, "virNetworkIsActive", ARGS(lv_net_arg), RET(lv_int), RO, run_summary },
	{ 153, "virNetworkIsPersistent", ARGS(lv_net_arg), RET(lv_int), RO, run_summary },
	{ 283, "virConnectListAllNetworks", ARGS(lv_list_all_args), RET(lv_net_list_all_ret), RO, run_list_all },
	{ 341, "virNetworkGetDHCPLeases", ARGS(lv_net_leases_args), RET(lv_net_leases_ret), RO, run_get_leases },
	{ 432, "virNetworkDefineXMLFlags", ARGS(lv_xml_flags), RET(lv_net_arg), 0, run_define_flags },
	{ 437, "virNetworkCreateXMLFlags", ARGS(lv_xml_flags), RET(lv_net_arg), 0, run_define_flags },
};

const struct lv_proc *lv_network_proc_lookup(int proc)
{
	return bsearch(&proc, procs, ARRAY_SIZE(procs), sizeof(procs[0]), lv_proc_cmp);
}
