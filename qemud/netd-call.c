/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>

#include "log.h"
#include "netd-client.h"
#include "netd-call.h"

/* One connection to netd for every call, kept between them: a start with several interfaces,
 * or several starts at once, pay no connect each (netd_call_kept makes a new one after a netd
 * restart). */
static struct rpc_client *netd_conn;

void qemud_netd_close(void)
{
	rpc_client_free(netd_conn);
	netd_conn = NULL;
}

/* One call on the kept connection; a kept connection that turned out dead under the call (netd
 * restarted since it was checked) is replaced once. */
static int call(uint32_t proc, const ProtobufCMessage *req, const ProtobufCMessageDescriptor *rdesc,
		ProtobufCMessage **rep, int *fds, size_t *nfds, const char *what, struct sv_error *err)
{
	for (int attempt = 0;; attempt++) {
		bool reused = netd_conn != NULL;
		int r = netd_call_kept(&qemud.ctx->paths, SV_FROM_QEMU, what, &netd_conn, err);

		if (r < 0)
			return r;
		r = rpc_client_call(netd_conn, SEPVIRT__PROGRAM__PROGRAM_NET, proc, req, NULL, 0, rdesc, rep, fds, nfds,
				    err);
		if (r >= 0 || err->code != SV_ERR_RPC)
			return r;
		qemud_netd_close();
		if (!reused || attempt > 0)
			return r;
	}
}

int qemud_call_open_tap(const struct domain_def *def, size_t index, char **ifname, int *fd,
			struct sv_error *err)
{
	const struct domain_interface *n = &def->interfaces[index];
	Sepvirt__NetOpenTapRequest req = SEPVIRT__NET_OPEN_TAP_REQUEST__INIT;
	_cleanup_message_ Sepvirt__NetOpenTapReply *rep = NULL;
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
	req.network = n->type == DOMAIN_NET_NETWORK && n->source ? n->source : (char *)"";
	r = call(SEPVIRT__PROCEDURE__PROC_NET_OPEN_TAP, &req.base, &sepvirt__net_open_tap_reply__descriptor,
		 (ProtobufCMessage **)&rep, fds, &nfds, "the domain's taps", err);
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
	return netd_call_release(&qemud.ctx->paths, SV_FROM_QEMU, uuid, &netd_conn, err);
}

void qemud_call_release_stale_taps(bool (*running)(const char *uuid))
{
	Sepvirt__NetListTapsRequest req = SEPVIRT__NET_LIST_TAPS_REQUEST__INIT;
	_cleanup_message_ Sepvirt__NetListTapsReply *rep = NULL;
	struct sv_error err;

	req.domain_uuid = (char *)"";
	if (call(SEPVIRT__PROCEDURE__PROC_NET_LIST_TAPS, &req.base, &sepvirt__net_list_taps_reply__descriptor,
		 (ProtobufCMessage **)&rep, NULL, NULL, "the taps it holds", &err) < 0) {
		log_warn("cannot ask netd for the taps of domains that do not run: %s", err.message);
		return;
	}
	for (size_t i = 0; i < rep->n_taps; i++) {
		const Sepvirt__NetTap *t = rep->taps[i];
		bool seen = false;
		/* A tap of no running QEMU domain: its start was cut short (qemud killed before the
		 * status file named QEMU). Containers' veths are lxcd's. */
		if (!streq(t->kind, "tap") || running(t->domain_uuid))
			continue;
		for (size_t k = 0; k < i; k++)
			seen |= streq(rep->taps[k]->domain_uuid, t->domain_uuid);
		if (seen)
			continue;
		log_info("releasing the taps of domain %s, which does not run", t->domain_uuid);
		if (qemud_call_release_taps(t->domain_uuid, &err) < 0)
			log_warn("domain %s: cannot release its taps: %s", t->domain_uuid, err.message);
	}
}
