#include "config.h"

#include <stdio.h>

#include "netd-client.h"
#include "netd-call.h"

int qemud_call_open_tap(const struct domain_def *def, size_t index, char **ifname, int *fd,
			struct sv_error *err)
{
	const struct domain_interface *n = &def->interfaces[index];
	Sepvirt__NetOpenTapRequest req = SEPVIRT__NET_OPEN_TAP_REQUEST__INIT;
	_cleanup_message_ Sepvirt__NetOpenTapReply *rep = NULL;
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	char uuid[SV_UUID_STRING_LEN], mac[SV_MAC_STRING_LEN];
	int fds[RPC_MAX_FDS];
	size_t nfds = 0;
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
	/* IFF_VNET_HDR is a flag of the device: asking for it on a pre-created tap would change
	 * the tap (managed='no' promises nothing changes). QEMU works either way. */
	req.vnet_hdr = req.managed && n->model && streq(n->model, "virtio");
	req.queues = 1;
	req.bridge = n->type == DOMAIN_NET_BRIDGE && n->source ? n->source : (char *)"";
	r = netd_call_connect(&qemud.ctx->paths, SV_FROM_QEMU, "the domain's taps", &c, err);
	if (r >= 0)
		r = rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_NET, SEPVIRT__PROCEDURE__PROC_NET_OPEN_TAP, &req.base,
				    NULL, 0, &sepvirt__net_open_tap_reply__descriptor, (ProtobufCMessage **)&rep, fds,
				    &nfds, err);
	if (r < 0)
		return r;
	if (nfds < 1 || !rep || !rep->ifname || !rep->ifname[0]) {
		rpc_close_fds(fds, nfds);
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EPROTO,
				    "sepvirt-netd answered without a tap for interface %zu", index);
	}
	rpc_close_fds(fds + 1, nfds - 1); /* one queue */
	*fd = fds[0];
	*ifname = xstrdup(rep->ifname);
	return 0;
}

int qemud_call_release_taps(const char *uuid, struct sv_error *err)
{
	return netd_call_release(&qemud.ctx->paths, SV_FROM_QEMU, uuid, err);
}
