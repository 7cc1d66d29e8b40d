/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>

#include "netd-client.h"
#include "netd-call.h"

int lxcd_call_create_veth(const struct domain_def *def, size_t index, pid_t netns_pid, char **ifname,
			  struct sv_error *err)
{
	const struct domain_interface *n = &def->interfaces[index];
	Sepvirt__NetCreateVethRequest req = SEPVIRT__NET_CREATE_VETH_REQUEST__INIT;
	_cleanup_message_ Sepvirt__NetCreateVethReply *rep = NULL;
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	char uuid[SV_UUID_STRING_LEN], mac[SV_MAC_STRING_LEN];
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
	r = netd_call_connect(&lxcd.ctx->paths, SV_FROM_LXC, "the container's veths", &c, err);
	if (r >= 0)
		r = rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_NET, SEPVIRT__PROCEDURE__PROC_NET_CREATE_VETH,
				    &req.base, NULL, 0, &sepvirt__net_create_veth_reply__descriptor,
				    (ProtobufCMessage **)&rep, NULL, NULL, err);
	if (r < 0)
		return r;
	if (!rep || !rep->ifname || !rep->ifname[0])
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_INTERNAL, EPROTO,
				    "sepvirt-netd answered without a veth for interface %zu", index);
	*ifname = xstrdup(rep->ifname);
	return 0;
}

int lxcd_call_release_veths(const char *uuid, struct sv_error *err)
{
	return netd_call_release(&lxcd.ctx->paths, SV_FROM_LXC, uuid, NULL, err);
}
