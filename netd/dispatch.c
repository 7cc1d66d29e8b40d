/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The procedures sepvirt-netd serves. Anything not listed is answered "not supported".
 * Open and release are for the suite's driver daemons only: libshared/server.c refuses a
 * client's call forwarded by proxyd, and each handler checks the caller once more. */
#include "config.h"

#include "create-veth.h"
#include "daemon.h"
#include "handlers-network.h"
#include "ifname.h"
#include "link.h"
#include "log.h"
#include "netd.h"
#include "open-tap.h"
#include "reconcile.h"
#include "reap.h"
#include "state.h"

/* The table's roles already decided; once more here, since a tap is what netd guards: only qemud
 * and lxcd (root) themselves -- never a client, whatever proxyd lets through. */
static int check_driver_peer(const struct rpc_request *req, const char *what, struct sv_error *err)
{
	if (req->caller.via_proxy)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_PERMISSION, EPERM,
				    "%s may only be requested by the driver daemons (qemud, lxcd), not by a client", what);
	if (!(req->caller.roles & ROLE_DRIVERS))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_PERMISSION, EPERM,
				    "%s: uid %u is not a driver daemon of the suite", what, (unsigned)req->caller.uid);
	return 0;
}

static int netd_handle_open_tap(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
				struct sv_error *err)
{
	const Sepvirt__NetOpenTapRequest *in = (const Sepvirt__NetOpenTapRequest *)msg;
	Sepvirt__NetOpenTapReply out = SEPVIRT__NET_OPEN_TAP_REPLY__INIT;
	struct netd_open_result res = { .nfds = 0 };
	int r = check_driver_peer(req, "opening a tap", err);

	if (r < 0)
		return r;
	r = netd_open_tap(in, &res, err);
	if (r < 0) {
		log_warn("open tap for domain %s: %s", in->domain_uuid, err->message);
		return r;
	}
	out.ifname = res.ifname;
	rpc_reply_pack(reply, &out.base);
	for (unsigned i = 0; i < res.nfds; i++)
		rpc_reply_add_fd(reply, res.fds[i]); /* closed by the server once sent */
	return 0;
}

static int netd_handle_create_veth(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
				   struct sv_error *err)
{
	const Sepvirt__NetCreateVethRequest *in = (const Sepvirt__NetCreateVethRequest *)msg;
	Sepvirt__NetCreateVethReply out = SEPVIRT__NET_CREATE_VETH_REPLY__INIT;
	char ifname[IFNAMSIZ];
	int r = check_driver_peer(req, "creating a veth", err);

	if (r < 0)
		return r;
	r = netd_create_veth(in, ifname, err);
	if (r < 0) {
		log_warn("create veth for domain %s: %s", in->domain_uuid, err->message);
		return r;
	}
	out.ifname = ifname;
	rpc_reply_pack(reply, &out.base);
	return 0;
}

static int netd_handle_list_taps(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
				 struct sv_error *err)
{
	const Sepvirt__NetListTapsRequest *in = (const Sepvirt__NetListTapsRequest *)msg;
	Sepvirt__NetListTapsReply out = SEPVIRT__NET_LIST_TAPS_REPLY__INIT;
	_cleanup_free_ Sepvirt__NetTap *taps = NULL;
	_cleanup_free_ Sepvirt__NetTap **ptrs = NULL;

	/* what exists now, not what was recorded: a device deleted behind netd's back is dropped */
	netd_forget_vanished(&netd);
	taps = xcalloc(netd.ndevs + 1, sizeof(*taps));
	ptrs = xcalloc(netd.ndevs + 1, sizeof(*ptrs));

	for (size_t i = 0; i < netd.ndevs; i++) {
		struct netd_dev *d = &netd.devs[i];
		Sepvirt__NetTap *t = &taps[out.n_taps];
		if (in->domain_uuid[0] && !streq(in->domain_uuid, d->uuid))
			continue;
		sepvirt__net_tap__init(t);
		t->domain_uuid = d->uuid;
		t->iface_index = d->index;
		t->ifname = d->ifname;
		t->managed = d->managed;
		t->domain_name = d->domain_name;
		t->kind = d->kind;
		ptrs[out.n_taps++] = t;
	}
	out.taps = ptrs;
	rpc_reply_pack(reply, &out.base);
	return 0;
}

/* Takes a device netd created down and queues its deletion (reap.c), if it is still the one it
 * created (same ifindex); when that fails, deletes it at once. */
static void delete_managed(const struct netd_dev *d)
{
	struct netd_link_info li;
	int r = netd_link_get(netd.nl, d->ifname, &li);

	if (r == 0 && li.ifindex == d->ifindex && netd_reap_mark(&netd, li.ifindex) < 0)
		r = netd_link_delete(netd.nl, li.ifindex);
	if (r < 0 && r != -ENODEV)
		log_warn("cannot delete %s '%s' of domain %s: %s", d->kind, d->ifname, d->uuid, strerror(-r));
}

static int netd_handle_release_taps(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
				    struct sv_error *err)
{
	const Sepvirt__NetReleaseTapsRequest *in = (const Sepvirt__NetReleaseTapsRequest *)msg;
	Sepvirt__NetReleaseTapsReply out = SEPVIRT__NET_RELEASE_TAPS_REPLY__INIT;
	int r = check_driver_peer(req, "releasing taps", err);

	if (r < 0)
		return r;
	if (!netd_uuid_valid(in->domain_uuid))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL, "invalid domain UUID '%s'",
				    in->domain_uuid);
	for (size_t i = netd.ndevs; i-- > 0;) {
		struct netd_dev *d = &netd.devs[i];
		if (!streq(d->uuid, in->domain_uuid) || (in->ifname[0] && !streq(d->ifname, in->ifname)))
			continue;
		/* What netd created goes away (a veth's peer with it); an unmanaged tap is only
		 * forgotten, never deleted. */
		if (d->managed)
			delete_managed(d);
		log_info("released %s %s '%s' of domain %s", d->managed ? "managed" : "unmanaged", d->kind, d->ifname,
			 d->uuid);
		out.released++;
		/* Released (and forgotten in memory) whatever the journal says: the reply must say
		 * so. A "-" line that did not reach the journal leaves a record reconcile drops. */
		struct sv_error jerr;
		if (netd_state_forget(&netd, d, &jerr) < 0)
			log_warn("%s", jerr.message);
	}
	rpc_reply_pack(reply, &out.base);
	return 0;
}

#define NETWORK(id, req, fn) { SEPVIRT__PROCEDURE__PROC_##id, &sepvirt__##req##__descriptor, fn, ROLE_CLIENTS }

/* Who may call what (identity.h): the taps are qemud's, the veths lxcd's (root); the list is
 * read by clients through proxyd. */
const struct rpc_proc netd_procs[] = {
	{ SEPVIRT__PROCEDURE__PROC_PING, &sepvirt__ping_request__descriptor, daemon_handle_ping, ROLE_ANY },
	{ SEPVIRT__PROCEDURE__PROC_NET_OPEN_TAP, &sepvirt__net_open_tap_request__descriptor, netd_handle_open_tap,
	  ROLE_DRIVERS },
	{ SEPVIRT__PROCEDURE__PROC_NET_CREATE_VETH, &sepvirt__net_create_veth_request__descriptor,
	  netd_handle_create_veth, ROLE_ROOT },
	{ SEPVIRT__PROCEDURE__PROC_NET_LIST_TAPS, &sepvirt__net_list_taps_request__descriptor, netd_handle_list_taps,
	  ROLE_CLIENTS | ROLE_QEMUD },
	{ SEPVIRT__PROCEDURE__PROC_NET_RELEASE_TAPS, &sepvirt__net_release_taps_request__descriptor,
	  netd_handle_release_taps, ROLE_DRIVERS },
	/* virtual networks: the clients' (through proxyd) and root's */
	NETWORK(NETWORK_DEFINE, network_define_request, netd_handle_network_define),
	NETWORK(NETWORK_UNDEFINE, network_ref, netd_handle_network_undefine),
	NETWORK(NETWORK_CREATE, network_define_request, netd_handle_network_create),
	NETWORK(NETWORK_START, network_ref, netd_handle_network_start),
	NETWORK(NETWORK_DESTROY, network_ref, netd_handle_network_destroy),
	NETWORK(NETWORK_LIST, network_list_request, netd_handle_network_list),
	NETWORK(NETWORK_INFO, network_ref, netd_handle_network_info),
	NETWORK(NETWORK_GET_XML, network_xml_request, netd_handle_network_get_xml),
	NETWORK(NETWORK_SET_AUTOSTART, network_autostart_request, netd_handle_network_set_autostart),
	NETWORK(NETWORK_GET_DHCP_LEASES, network_leases_request, netd_handle_network_get_dhcp_leases),
	NETWORK(NETWORK_UPDATE, network_update_request, netd_handle_network_update),
};
const size_t netd_nprocs = ARRAY_SIZE(netd_procs);
