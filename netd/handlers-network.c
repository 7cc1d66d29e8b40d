/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PROC_NETWORK_*: libvirt's net-* calls on netd's virtual networks. */
#include "config.h"

#include "atomic-file.h"
#include "dnsmasq-conf.h"
#include "firewall.h"
#include "handlers-network.h"
#include "leases.h"
#include "log.h"
#include "netd.h"
#include "network-run.h"
#include "network.h"
#include "update.h"

#define HANDLER(name) NETD_NETWORK_HANDLER(name)

static void fill_summary(const struct netd_network *n, Sepvirt__NetworkSummary *s, char uuid[SV_UUID_STRING_LEN])
{
	const struct network_def *d = netd_network_cur(n);

	sv_uuid_format(d->uuid, uuid);
	s->name = d->name;
	s->uuid = uuid;
	s->active = netd_network_active(n);
	s->autostart = n->autostart;
	s->persistent = n->def != NULL;
	s->bridge = d->bridge ? d->bridge : (char *)"";
}

static int reply_summary(const struct netd_network *n, struct rpc_reply *reply)
{
	Sepvirt__NetworkSummary s = SEPVIRT__NETWORK_SUMMARY__INIT;
	char uuid[SV_UUID_STRING_LEN];

	fill_summary(n, &s, uuid);
	rpc_reply_pack(reply, &s.base);
	return 0;
}

/* Another firewall (Docker's, an administrator's) whose forward chain drops what netd's own
 * accepts: the guests would be silently offline, so start and info say so. */
static int reply_checked(const struct netd_network *n, struct rpc_reply *reply)
{
	Sepvirt__NetworkSummary s = SEPVIRT__NETWORK_SUMMARY__INIT;
	char uuid[SV_UUID_STRING_LEN];
	_cleanup_free_ char *ruleset = NULL, *what = NULL, *warning = NULL;

	fill_summary(n, &s, uuid);
	if (n->live && netd_forwarding_needed(n->live) && (ruleset = netd_firewall_list(netd.nft)) &&
	    netd_firewall_find_drop(ruleset, n->live->bridge, &what)) {
		warning = xasprintf("the host's firewall drops forwarded traffic (%s): guests of network '%s' cannot "
				    "reach beyond the host until it accepts traffic of bridge '%s'", what, n->live->name,
				    n->live->bridge);
		log_warn("%s", warning);
		s.warning = warning;
	}
	rpc_reply_pack(reply, &s.base);
	return 0;
}

static int parse(const char *xml, struct network_def **def, struct sv_error *err)
{
	if (!xml || !*xml)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL, "no network XML given");
	return network_def_parse(xml, strlen(xml), 0, def, err);
}

HANDLER(netd_handle_network_define)
{
	const Sepvirt__NetworkDefineRequest *in = (const void *)msg;
	struct network_def *def = NULL;
	struct netd_network *n;
	int r = parse(in->xml, &def, err);

	if (r < 0 || (r = netd_network_define(def, true, &n, err)) < 0)
		return r;
	log_info("network '%s' defined", n->def->name);
	return reply_summary(n, reply);
}

HANDLER(netd_handle_network_create)
{
	const Sepvirt__NetworkDefineRequest *in = (const void *)msg;
	struct network_def *def = NULL;
	struct netd_network *n;
	int r = parse(in->xml, &def, err);

	if (r < 0 || (r = netd_network_create(def, &n, err)) < 0)
		return r;
	return reply_checked(n, reply);
}

/* undefine and destroy: the reply describes the network as the call left it, which may be gone
 * (a stopped transient network, an undefined inactive one). */
static int change_and_reply(const ProtobufCMessage *msg, int (*fn)(struct netd_network *, struct sv_error *),
			    bool undefine, struct rpc_reply *reply, struct sv_error *err)
{
	const Sepvirt__NetworkRef *in = (const void *)msg;
	Sepvirt__NetworkSummary s = SEPVIRT__NETWORK_SUMMARY__INIT;
	char uuid[SV_UUID_STRING_LEN];
	_cleanup_free_ char *name = NULL;
	struct netd_network *n;
	int r = netd_network_lookup(in->network, &n, err);

	if (r < 0)
		return r;
	name = xstrdup(netd_network_cur(n)->name);
	fill_summary(n, &s, uuid);
	s.name = name;
	s.bridge = NULL;
	if ((r = fn(n, err)) < 0)
		return r;
	if (undefine) {
		s.persistent = false;
		log_info("network '%s' undefined", name);
	} else {
		s.active = false;
	}
	rpc_reply_pack(reply, &s.base);
	return 0;
}

HANDLER(netd_handle_network_undefine) { return change_and_reply(msg, netd_network_undefine, true, reply, err); }
/* a transient network is gone after this */
HANDLER(netd_handle_network_destroy) { return change_and_reply(msg, netd_network_stop, false, reply, err); }

HANDLER(netd_handle_network_start)
{
	const Sepvirt__NetworkRef *in = (const void *)msg;
	struct netd_network *n;
	int r = netd_network_lookup(in->network, &n, err);

	if (r < 0 || (r = netd_network_start(n, err)) < 0)
		return r;
	return reply_checked(n, reply);
}

HANDLER(netd_handle_network_list)
{
	const Sepvirt__NetworkListRequest *in = (const void *)msg;
	Sepvirt__NetworkListReply rep = SEPVIRT__NETWORK_LIST_REPLY__INIT;
	_cleanup_free_ Sepvirt__NetworkSummary *sums = xcalloc(netd_nnetworks + 1, sizeof(*sums));
	_cleanup_free_ Sepvirt__NetworkSummary **ptrs = xcalloc(netd_nnetworks + 1, sizeof(*ptrs));
	_cleanup_free_ char(*uuids)[SV_UUID_STRING_LEN] = xcalloc(netd_nnetworks + 1, sizeof(*uuids));

	for (size_t i = 0; i < netd_nnetworks; i++) {
		const struct netd_network *n = netd_networks[i];
		if (!in->all && !netd_network_active(n))
			continue;
		sepvirt__network_summary__init(&sums[rep.n_networks]);
		fill_summary(n, &sums[rep.n_networks], uuids[rep.n_networks]);
		ptrs[rep.n_networks] = &sums[rep.n_networks];
		rep.n_networks++;
	}
	rep.networks = ptrs;
	rpc_reply_pack(reply, &rep.base);
	return 0;
}

HANDLER(netd_handle_network_info)
{
	const Sepvirt__NetworkRef *in = (const void *)msg;
	struct netd_network *n;
	int r = netd_network_lookup(in->network, &n, err);

	return r < 0 ? r : reply_checked(n, reply);
}

HANDLER(netd_handle_network_get_xml)
{
	const Sepvirt__NetworkXmlRequest *in = (const void *)msg;
	Sepvirt__NetworkXmlReply rep = SEPVIRT__NETWORK_XML_REPLY__INIT;
	_cleanup_free_ char *xml = NULL;
	struct netd_network *n;
	int r = netd_network_lookup(in->network, &n, err);

	if (r < 0)
		return r;
	r = network_def_format(in->inactive && n->def ? n->def : netd_network_cur(n), 0, &xml, err);
	if (r < 0)
		return r;
	rep.xml = xml;
	rpc_reply_pack(reply, &rep.base);
	return 0;
}

HANDLER(netd_handle_network_set_autostart)
{
	const Sepvirt__NetworkAutostartRequest *in = (const void *)msg;
	struct netd_network *n;
	int r = netd_network_lookup(in->network, &n, err);

	if (r < 0 || (r = netd_network_set_autostart(n, in->enable, err)) < 0)
		return r;
	return reply_summary(n, reply);
}

HANDLER(netd_handle_network_get_dhcp_leases)
{
	const Sepvirt__NetworkLeasesRequest *in = (const void *)msg;
	Sepvirt__NetworkLeasesReply rep = SEPVIRT__NETWORK_LEASES_REPLY__INIT;
	_cleanup_free_ Sepvirt__NetworkLease *items = NULL;
	_cleanup_free_ Sepvirt__NetworkLease **ptrs = NULL;
	_cleanup_free_ struct netd_lease *leases = NULL;
	_cleanup_free_ char *file = NULL, *text = NULL;
	struct netd_network *n;
	struct sv_error ferr;
	size_t count = 0;
	int r = netd_network_lookup(in->network, &n, err);

	if (r < 0)
		return r;
	/* an inactive network, or one no client asked an address of yet, has no leases */
	file = netd_dnsmasq_leases_name(netd_network_cur(n)->name);
	if (netd_network_active(n) && file_read_all_at(netd.state_dirfd, file, &text, NULL, &ferr) == 0)
		count = netd_leases_parse(text, n->live, in->mac, &leases);
	items = xcalloc(count + 1, sizeof(*items));
	ptrs = xcalloc(count + 1, sizeof(*ptrs));
	for (size_t i = 0; i < count; i++) {
		Sepvirt__NetworkLease *o = &items[i];
		sepvirt__network_lease__init(o);
		o->expiry = leases[i].expiry;
		o->mac = leases[i].mac;
		o->ipv6 = leases[i].ipv6;
		o->address = leases[i].address;
		o->prefix = leases[i].prefix;
		o->hostname = leases[i].hostname;
		o->client_id = leases[i].client_id;
		o->iface = n->live->bridge;
		ptrs[i] = o;
	}
	rep.leases = ptrs;
	rep.n_leases = count;
	rpc_reply_pack(reply, &rep.base);
	return 0;
}

HANDLER(netd_handle_network_update)
{
	const Sepvirt__NetworkUpdateRequest *in = (const void *)msg;
	struct netd_update u = { .command = in->command, .section = in->section, .parent_index = in->parent_index,
				 .xml = in->xml, .flags = in->flags };
	struct netd_network *n;
	int r = netd_network_lookup(in->network, &n, err);

	if (r < 0 || (r = netd_network_update(n, &u, err)) < 0)
		return r;
	return reply_summary(n, reply);
}
