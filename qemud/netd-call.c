/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>

#include "log.h"
#include "netd-call.h"
#include "netd-client.h"

/* One connection to netd for every call, kept between them: a start with several interfaces,
 * or several starts at once, pay no connect each and wait on each other never. */
static struct rpc_caller *netd;

static struct rpc_caller *netd_caller(void)
{
	if (!netd)
		netd = netd_caller_new(qemud.loop, &qemud.ctx->paths, SV_FROM_QEMU);
	return netd;
}

void qemud_netd_close(void)
{
	rpc_caller_free(netd);
	netd = NULL;
}

struct tap_call {
	qemud_tap_fn fn;
	void *opaque;
	size_t index;
};

static void tap_answered(void *opaque, int r, const rpc_envelope *reply, int *fds, size_t nfds,
			 const struct sv_error *err)
{
	_cleanup_free_ struct tap_call *t = opaque;
	_cleanup_message_ Sepvirt__NetOpenTapReply *rep = NULL;
	struct sv_error e;

	if (r >= 0)
		r = rpc_body_unpack(reply, &sepvirt__net_open_tap_reply__descriptor, (ProtobufCMessage **)&rep, &e);
	else
		e = *err;
	if (r >= 0 && (nfds < 1 || !rep->ifname || !rep->ifname[0]))
		r = sv_error_set(&e, SV_FROM_QEMU, SV_ERR_INTERNAL, EPROTO,
				 "sepvirt-netd answered without a tap for interface %zu", t->index);
	if (r < 0) {
		rpc_close_fds(fds, nfds);
		return t->fn(t->opaque, r, NULL, -1, &e);
	}
	rpc_close_fds(fds + 1, nfds - 1); /* one queue */
	t->fn(t->opaque, 0, xstrdup(rep->ifname), fds[0], NULL);
}

int qemud_call_open_tap(const struct domain_def *def, size_t index, qemud_tap_fn fn, void *opaque,
			struct sv_error *err)
{
	const struct domain_interface *n = &def->interfaces[index];
	Sepvirt__NetOpenTapRequest req = SEPVIRT__NET_OPEN_TAP_REQUEST__INIT;
	char uuid[SV_UUID_STRING_LEN], mac[SV_MAC_STRING_LEN];
	_cleanup_free_ char *what = xasprintf("interface %zu of domain '%s'", index, def->name);
	struct tap_call *t = xmalloc(sizeof(*t));
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
	*t = (struct tap_call){ .fn = fn, .opaque = opaque, .index = index };
	r = rpc_caller_call(netd_caller(), SEPVIRT__PROCEDURE__PROC_NET_OPEN_TAP, &req.base, 0, what, tap_answered, t,
			    err);
	if (r < 0)
		free(t);
	return r;
}

void qemud_call_release_taps(const char *uuid) { netd_release_devices(netd_caller(), uuid); }
void qemud_call_release_tap(const char *uuid, const char *ifname) { netd_release_device(netd_caller(), uuid, ifname); }

static void stale_listed(void *opaque, int r, const rpc_envelope *reply, int *fds, size_t nfds,
			 const struct sv_error *err)
{
	bool (*running)(const char *uuid) = *(bool (**)(const char *))opaque;
	_cleanup_message_ Sepvirt__NetListTapsReply *rep = NULL;
	struct sv_error e;

	free(opaque);
	rpc_close_fds(fds, nfds);
	if (r >= 0)
		r = rpc_body_unpack(reply, &sepvirt__net_list_taps_reply__descriptor, (ProtobufCMessage **)&rep, &e);
	else
		e = *err;
	if (r < 0 || qemud.stopping) {
		if (r < 0)
			log_warn("cannot ask netd for the taps of domains that do not run: %s", e.message);
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
		qemud_call_release_taps(t->domain_uuid);
	}
}

void qemud_call_release_stale_taps(bool (*running)(const char *uuid))
{
	Sepvirt__NetListTapsRequest req = SEPVIRT__NET_LIST_TAPS_REQUEST__INIT;
	bool (**fn)(const char *) = xmalloc(sizeof(*fn));
	struct sv_error err;

	*fn = running;
	req.domain_uuid = (char *)"";
	if (rpc_caller_call(netd_caller(), SEPVIRT__PROCEDURE__PROC_NET_LIST_TAPS, &req.base, 0,
			    "the taps of domains that do not run", stale_listed, fn, &err) < 0) {
		free(fn);
		log_warn("cannot ask netd for the taps of domains that do not run: %s", err.message);
	}
}
