/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>

#include "netd-call.h"
#include "netd-client.h"

static struct rpc_caller *netd;

static struct rpc_caller *netd_caller(void)
{
	if (!netd)
		netd = netd_caller_new(lxcd.ctx->loop, &lxcd.ctx->paths, SV_FROM_LXC);
	return netd;
}

void lxcd_netd_close(void)
{
	rpc_caller_free(netd);
	netd = NULL;
}

struct veth_call {
	lxcd_veth_fn fn;
	void *opaque;
	size_t index;
};

static void veth_answered(void *opaque, int r, const rpc_envelope *reply, int *fds, size_t nfds,
			  const struct sv_error *err)
{
	_cleanup_free_ struct veth_call *v = opaque;
	_cleanup_message_ Sepvirt__NetCreateVethReply *rep = NULL;
	struct sv_error e;

	rpc_close_fds(fds, nfds);
	if (r >= 0)
		r = rpc_body_unpack(reply, &sepvirt__net_create_veth_reply__descriptor, (ProtobufCMessage **)&rep, &e);
	else
		e = *err;
	if (r >= 0 && (!rep->ifname || !rep->ifname[0]))
		r = sv_error_set(&e, SV_FROM_LXC, SV_ERR_INTERNAL, EPROTO,
				 "sepvirt-netd answered without a veth for interface %zu", v->index);
	if (r < 0)
		return v->fn(v->opaque, r, NULL, &e);
	v->fn(v->opaque, 0, xstrdup(rep->ifname), NULL);
}

int lxcd_call_create_veth(const struct domain_def *def, size_t index, pid_t netns_pid, lxcd_veth_fn fn,
			  void *opaque, struct sv_error *err)
{
	const struct domain_interface *n = &def->interfaces[index];
	Sepvirt__NetCreateVethRequest req = SEPVIRT__NET_CREATE_VETH_REQUEST__INIT;
	char uuid[SV_UUID_STRING_LEN], mac[SV_MAC_STRING_LEN];
	_cleanup_free_ char *what = xasprintf("interface %zu of container '%s'", index, def->name);
	struct veth_call *v = xmalloc(sizeof(*v));
	int r;

	sv_uuid_format(def->uuid, uuid);
	sv_mac_format(n->mac, mac);
	req.domain_uuid = uuid;
	req.domain_name = def->name;
	req.iface_index = (uint32_t)index;
	req.dev = n->target_dev ? n->target_dev : (char *)"";
	req.managed = !domain_interface_is_unmanaged(n);
	req.mac = mac;
	req.mtu = n->mtu;
	req.bridge = n->type == DOMAIN_NET_BRIDGE && n->source ? n->source : (char *)"";
	req.network = n->type == DOMAIN_NET_NETWORK && n->source ? n->source : (char *)"";
	req.netns_pid = (int32_t)netns_pid;
	req.peer_name = n->guest_dev ? n->guest_dev : (char *)"";
	*v = (struct veth_call){ .fn = fn, .opaque = opaque, .index = index };
	r = rpc_caller_call(netd_caller(), SEPVIRT__PROCEDURE__PROC_NET_CREATE_VETH, &req.base, 0, what, veth_answered,
			    v, err);
	if (r < 0)
		free(v);
	return r;
}

void lxcd_call_release_veths(const char *uuid) { netd_release_devices(netd_caller(), uuid); }
