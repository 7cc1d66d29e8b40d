/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Create a veth pair for a container interface: the host end named by <target dev> (or vethN),
 * on the bridge for type='bridge', up; the peer created directly in the network namespace of the
 * container's init, named by <guest dev> or eth<N> for interface N, with the MAC of the definition. Always managed: netd creates it
 * and deletes it on release (the peer goes with it). */
#include "config.h"

#include <stdio.h>

#include "create-veth.h"
#include "ifname.h"
#include "link.h"
#include "log.h"
#include "network.h"
#include "reap.h"
#include "state.h"

#define VETH_MAX_AUTO 1024 /* vethN names tried when <target dev> is not given */

static int check_request(const Sepvirt__NetCreateVethRequest *req, struct sv_error *err)
{
	const char *dev = req->dev[0] ? req->dev : NETD_VETH_TEMPLATE;
	struct netd_dev *d;
	int r;

	if (!netd_uuid_valid(req->domain_uuid))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL, "invalid domain UUID '%s'",
				    req->domain_uuid);
	if ((r = netd_iface_index_check(req->domain_uuid, req->iface_index, err)) < 0)
		return r;
	if (req->dev[0] && (r = netd_ifname_check(req->dev, "target dev", err)) < 0)
		return r;
	if (!req->managed)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_CONFIG_UNSUPPORTED, EINVAL,
				    "target dev '%s' has managed='no': a container's veth is always created by "
				    "sepvirt-netd", dev);
	if (req->netns_pid <= 1)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL,
				    "veth '%s': invalid network namespace pid %d", dev, (int)req->netns_pid);
	if (req->bridge[0] && (r = netd_ifname_check(req->bridge, "bridge", err)) < 0)
		return r;
	if (req->peer_name[0] && (r = netd_ifname_check(req->peer_name, "guest dev", err)) < 0)
		return r;
	d = netd_state_find(&netd, req->domain_uuid, req->iface_index);
	if (d) {
		struct netd_link_info li;
		if (netd_link_get(netd.nl, d->ifname, &li) == 0 && li.ifindex == d->ifindex)
			return sv_error_set(err, SV_FROM_NET, SV_ERR_EXISTS, EEXIST,
					    "interface %u of domain '%s' already has %s '%s'; release it first",
					    req->iface_index, req->domain_uuid, d->kind, d->ifname);
		/* its device is gone: a stale record, forgotten (a journal failure is no reason to
		 * refuse the call: reconcile drops the line) */
		struct sv_error jerr;
		if (netd_state_forget(&netd, d, &jerr) < 0)
			log_warn("%s", jerr.message);
	}
	if (req->dev[0] && (d = netd_state_find_ifname(&netd, req->dev)))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_EXISTS, EBUSY,
				    "target dev '%s' is already in use by domain '%s' (%s)", req->dev,
				    d->domain_name, d->uuid);
	return 0;
}

/* Host MAC, MTU, bridge (the request's, or its network's); the bridge looked up before anything is
 * created. */
static int plan(const Sepvirt__NetCreateVethRequest *req, const char *dev, struct netd_veth_spec *spec,
		uint8_t host_mac[6], uint8_t peer_mac[6], char peer[IFNAMSIZ], struct sv_error *err)
{
	const char *bridge = req->bridge;
	int r;

	spec->mtu = req->mtu;
	if (req->network[0] && (r = netd_network_bridge(req->network, &bridge, &spec->mtu, err)) < 0)
		return r;
	if (req->peer_name[0])
		snprintf(peer, IFNAMSIZ, "%s", req->peer_name);
	else
		snprintf(peer, IFNAMSIZ, NETD_VETH_PEER_FMT, req->iface_index);
	spec->peer_name = peer;
	spec->peer_netns_pid = req->netns_pid;
	if (req->mac[0]) {
		if (netd_mac_pair(req->mac, dev, peer_mac, host_mac, err) < 0)
			return -EINVAL;
		spec->mac = host_mac;
		spec->peer_mac = peer_mac;
	}
	if (bridge[0])
		return netd_bridge_resolve(netd.nl, bridge, dev, &spec->master, &spec->mtu, err);
	return 0;
}

static int err_create(const Sepvirt__NetCreateVethRequest *req, const char *dev, const char *peer, int r,
		      struct sv_error *err)
{
	if (r == -EEXIST)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_EXISTS, EEXIST,
				    "cannot create veth '%s': a device of that name already exists (or the "
				    "container already has an '%s')", dev, peer);
	if (r == -EPERM)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_PERMISSION, EPERM,
				    "cannot create veth '%s': permission denied (sepvirt-netd needs CAP_NET_ADMIN%s)",
				    dev, netd.session ? "; session mode has none" : "");
	if (r == -ENODEV || r == -ESRCH)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_FAILED, ESRCH,
				    "cannot create veth '%s': no network namespace for pid %d (has the container "
				    "exited?)", dev, (int)req->netns_pid);
	return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, r,
				  "cannot create veth '%s' (peer %s in the netns of pid %d, MTU %u, bridge '%s')", dev,
				  peer, (int)req->netns_pid, req->mtu, req->bridge);
}

static void sanitized_name(const char *in, char **out)
{
	char *s = xstrdup(in[0] ? in : "-");
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	*out = s;
}

int netd_create_veth(const Sepvirt__NetCreateVethRequest *req, char ifname[IFNAMSIZ], struct sv_error *err)
{
	const char *dev = req->dev[0] ? req->dev : NETD_VETH_TEMPLATE;
	struct netd_veth_spec spec = { 0 };
	struct netd_dev rec = { .kind = "veth", .index = req->iface_index, .managed = true };
	struct netd_link_info li;
	uint8_t host_mac[6], peer_mac[6];
	char peer[IFNAMSIZ];
	int r;

	if ((r = check_request(req, err)) < 0 || (r = plan(req, dev, &spec, host_mac, peer_mac, peer, err)) < 0)
		return r;
	/* A released device keeps its name until its batch is deleted: free it. */
	if (netd_reap_pending(&netd))
		netd_reap_flush(&netd);
	if (req->dev[0]) {
		snprintf(ifname, IFNAMSIZ, "%s", req->dev);
		spec.name = ifname;
		r = netd_link_create_veth(netd.nl, &spec);
	} else {
		/* vethN, the first free one: the kernel's own "%d" template would not tell which. */
		r = -EEXIST;
		for (unsigned i = 0; i < VETH_MAX_AUTO && r == -EEXIST; i++) {
			snprintf(ifname, IFNAMSIZ, "veth%u", i);
			spec.name = ifname;
			if (netd_state_find_ifname(&netd, ifname) || netd_link_get(netd.nl, ifname, &li) != -ENODEV)
				continue;
			r = netd_link_create_veth(netd.nl, &spec);
		}
	}
	if (r < 0)
		return err_create(req, req->dev[0] ? req->dev : ifname, peer, r, err);
	r = netd_link_get(netd.nl, ifname, &li);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, r, "cannot look up veth '%s'", ifname);
	snprintf(rec.uuid, sizeof(rec.uuid), "%s", req->domain_uuid);
	snprintf(rec.ifname, sizeof(rec.ifname), "%s", ifname);
	rec.ifindex = li.ifindex;
	sanitized_name(req->domain_name, &rec.domain_name);
	r = netd_state_record(&netd, &rec, err);
	if (r < 0) {
		netd_link_delete(netd.nl, li.ifindex); /* the peer goes with it */
		return r;
	}
	log_info("created veth '%s' (peer %s in the netns of pid %d) for interface %u of domain '%s' (%s)", ifname,
		 peer, (int)req->netns_pid, req->iface_index, req->domain_name, req->domain_uuid);
	return 0;
}
