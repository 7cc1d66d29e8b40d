/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Open a tap for a domain interface, per the managed attribute:
 *  managed='yes': create it (name given or from vnet%d), host MAC, MTU, bridge, up.
 *  managed='no':  it must exist; attach with TUNSETIFF and change nothing about it. */
#include "config.h"

#include <stdio.h>

#include "ifname.h"
#include "link.h"
#include "log.h"
#include "network.h"
#include "open-tap.h"
#include "reap.h"
#include "state.h"
#include "tap.h"

static int err_no_cap(const char *dev, struct sv_error *err)
{
	return sv_error_set(err, SV_FROM_NET, SV_ERR_PERMISSION, EPERM,
			    "cannot create tap device %s'%s': sepvirt-netd has no CAP_NET_ADMIN%s; to run "
			    "unprivileged, pre-create a tap owned by the user (ip tuntap add dev T mode tap user %s) "
			    "and use <target dev='T' managed='no'/>", strchr(dev, '%') ? "from template " : "", dev,
			    netd.session ? " (session mode)" : "",
			    netd.self_user);
}

static int err_not_owner(const char *dev, struct sv_error *err)
{
	struct netd_link_info li;

	if (netd_link_get(netd.nl, dev, &li) == 0 && li.tun_owner >= 0 && (uid_t)li.tun_owner != netd.self_uid)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_PERMISSION, EPERM,
				    "cannot open tap '%s': it is owned by uid %lld, and sepvirt-netd runs as uid %u "
				    "without CAP_NET_ADMIN; re-create it for this user: ip tuntap add dev %s mode tap user %s",
				    dev, (long long)li.tun_owner, (unsigned)netd.self_uid, dev, netd.self_user);
	return sv_error_set(err, SV_FROM_NET, SV_ERR_PERMISSION, EPERM,
			    "cannot open tap '%s': permission denied (it has no owner or belongs to another group, and "
			    "sepvirt-netd has no CAP_NET_ADMIN); create it with: ip tuntap add dev %s mode tap user %s",
			    dev, dev, netd.self_user);
}

/* An unmanaged dev must be a tap whose queue mode matches the request; say which part differs. */
static int check_unmanaged(const char *dev, unsigned queues, struct netd_link_info *li, struct sv_error *err)
{
	int r = netd_link_get(netd.nl, dev, li);

	if (r == -ENODEV)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, ENODEV,
				    "target managed='no' but specified dev doesn't exist: '%s'", dev);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, r, "cannot look up device '%s'", dev);
	if (!streq(li->kind, "tun"))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EINVAL,
				    "target dev '%s' is not a tap device (it is a '%s' device)", dev,
				    li->kind[0] ? li->kind : "physical");
	if (li->tun_known && !li->tun_tap)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EINVAL,
				    "target dev '%s' is a tun device, not a tap (create it with 'mode tap')", dev);
	if (li->tun_known && li->tun_pi)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EINVAL,
				    "target dev '%s' was created with packet information (pi) on, which QEMU cannot "
				    "use; recreate it without 'pi'", dev);
	if (li->tun_known && li->tun_multi_queue != (queues > 1))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EINVAL,
				    "target dev '%s' was created %s multi_queue but %u queue(s) were requested", dev,
				    li->tun_multi_queue ? "with" : "without", queues);
	return 0;
}

static int err_open(const char *dev, bool managed, int r, struct sv_error *err)
{
	struct netd_dev *holder = netd_state_find_ifname(&netd, dev);

	if ((r == -EPERM || r == -EACCES) && managed)
		return err_no_cap(dev, err);
	if (r == -EPERM || r == -EACCES)
		return err_not_owner(dev, err);
	if (r == -EBUSY && holder)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_EXISTS, EBUSY,
				    "target dev '%s' is already in use by domain '%s' (%s)", dev,
				    holder->domain_name, holder->uuid);
	if (r == -EBUSY && managed)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_EXISTS, EEXIST,
				    "target dev '%s' already exists: managed='yes' creates its own tap; choose another "
				    "name, or use managed='no' to open a pre-created tap", dev);
	if (r == -EBUSY)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_FAILED, EBUSY,
				    "cannot open tap '%s': it is already in use by another process", dev);
	return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, r, "cannot open tap '%s'", dev);
}

static int check_request(const Sepvirt__NetOpenTapRequest *req, struct sv_error *err)
{
	const char *dev = req->dev;
	int r;

	if (!netd_uuid_valid(req->domain_uuid))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL, "invalid domain UUID '%s'",
				    req->domain_uuid);
	if ((r = netd_iface_index_check(req->domain_uuid, req->iface_index, err)) < 0)
		return r;
	if (req->queues > NETD_MAX_QUEUES)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, E2BIG,
				    "target dev '%s': %u queues requested, at most %d", dev[0] ? dev : NETD_TAP_TEMPLATE,
				    req->queues, NETD_MAX_QUEUES);
	if (!req->managed && !dev[0])
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL,
				    "target dev must be supplied when managed='no'");
	if (dev[0] && (r = netd_ifname_check(dev, "target dev", err)) < 0)
		return r;
	if (req->bridge[0] && !req->managed)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL,
				    "target dev '%s' has managed='no': netd does not attach it to bridge '%s'",
				    dev, req->bridge);
	if (req->bridge[0] && (r = netd_ifname_check(req->bridge, "bridge", err)) < 0)
		return r;
	if (req->network[0] && (!req->managed || req->bridge[0]))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL,
				    "target dev '%s' of network '%s': a network's tap is managed and has no bridge of "
				    "its own", dev, req->network);
	return 0;
}

/* The same interface of the same domain asked again: refuse while its device lives. */
static int check_holders(const Sepvirt__NetOpenTapRequest *req, struct sv_error *err)
{
	struct netd_dev *d = netd_state_find(&netd, req->domain_uuid, req->iface_index);
	struct netd_link_info li;

	if (d && netd_link_get(netd.nl, d->ifname, &li) == 0 && li.ifindex == d->ifindex)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_EXISTS, EEXIST,
				    "interface %u of domain '%s' already has tap '%s'; release it first",
				    req->iface_index, req->domain_uuid, d->ifname);
	/* its device is gone: a stale record, forgotten (a journal failure only leaves a line
	 * reconcile drops; it is no reason to refuse the call) */
	struct sv_error jerr;
	if (d && netd_state_forget(&netd, d, &jerr) < 0)
		log_warn("%s", jerr.message);
	if (req->dev[0] && (d = netd_state_find_ifname(&netd, req->dev)))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_EXISTS, EBUSY,
				    "target dev '%s' is already in use by domain '%s' (%s)", req->dev,
				    d->domain_name, d->uuid);
	return 0;
}

/* MAC, MTU, master for a managed tap; bridge (the request's, or its network's) looked up before
 * anything is created. */
static int plan_managed(const Sepvirt__NetOpenTapRequest *req, const char *dev, uint8_t host_mac[6],
			struct netd_link_change *ch, const char **bridge, struct sv_error *err)
{
	uint8_t guest[6];
	int r;

	ch->up = true;
	ch->mtu = req->mtu;
	*bridge = req->bridge;
	if (req->network[0] && (r = netd_network_bridge(req->network, bridge, &ch->mtu, err)) < 0)
		return r;
	if (req->mac[0]) {
		if (netd_mac_pair(req->mac, dev, guest, host_mac, err) < 0)
			return -EINVAL;
		ch->mac = host_mac;
	}
	if ((*bridge)[0])
		return netd_bridge_resolve(netd.nl, *bridge, dev, &ch->master, &ch->mtu, err);
	return 0;
}

static void sanitized_name(const char *in, char **out)
{
	char *s = xstrdup(in[0] ? in : "-");
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	*out = s;
}

int netd_open_tap(const Sepvirt__NetOpenTapRequest *req, struct netd_open_result *res, struct sv_error *err)
{
	const char *dev = req->dev[0] ? req->dev : NETD_TAP_TEMPLATE;
	struct netd_tap_spec spec = { .name = dev, .create = req->managed, .vnet_hdr = req->vnet_hdr,
				      .queues = req->queues ? req->queues : 1 };
	struct netd_link_change ch = { 0 };
	struct netd_link_info li;
	struct netd_dev rec = { .kind = "tap", .index = req->iface_index, .managed = req->managed };
	const char *bridge = "";
	uint8_t host_mac[6];
	int r;

	if ((r = check_request(req, err)) < 0 || (r = check_holders(req, err)) < 0)
		return r;
	/* A released tap keeps its name until its batch is deleted: free it for a request that names it. */
	if (req->dev[0] && netd_reap_pending(&netd))
		netd_reap_flush(&netd);
	if (req->managed)
		r = plan_managed(req, dev, host_mac, &ch, &bridge, err);
	else
		r = check_unmanaged(dev, spec.queues, &li, err);
	if (r < 0)
		return r;
	/* TUNSETIFF replaces the feature flags of an existing tap with the ones asked for: for a
	 * pre-created tap, ask for exactly what it has, so attaching changes nothing. */
	if (!req->managed && li.tun_known)
		spec.vnet_hdr = li.tun_vnet_hdr;
	r = netd_tap_open(netd.tun_dirfd, &spec, res->ifname, res->fds);
	if (r < 0)
		return err_open(dev, req->managed, r, err);
	res->nfds = spec.queues;
	/* From here a failure closes the fds: a managed tap is not persistent, it vanishes. */
	r = netd_link_get(netd.nl, res->ifname, &li);
	if (r < 0)
		sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, r, "cannot look up tap '%s'", res->ifname);
	if (r >= 0 && req->managed) {
		r = netd_link_configure(netd.nl, li.ifindex, &ch);
		if (r < 0)
			sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, r,
					   "cannot configure tap '%s' (MAC, MTU %u, bridge '%s', up)", res->ifname,
					   ch.mtu, bridge);
	}
	if (r >= 0) {
		snprintf(rec.uuid, sizeof(rec.uuid), "%s", req->domain_uuid);
		snprintf(rec.ifname, sizeof(rec.ifname), "%s", res->ifname);
		rec.ifindex = li.ifindex;
		sanitized_name(req->domain_name, &rec.domain_name);
		r = netd_state_record(&netd, &rec, err);
	}
	if (r < 0) {
		rpc_close_fds(res->fds, res->nfds);
		res->nfds = 0;
		return r;
	}
	log_info("%s tap '%s' (%u queue%s) for interface %u of domain '%s' (%s)",
		 req->managed ? "created" : "opened unmanaged", res->ifname, res->nfds, res->nfds > 1 ? "s" : "",
		 req->iface_index, req->domain_name, req->domain_uuid);
	return 0;
}
