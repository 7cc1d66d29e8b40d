/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>

#include "log.h"
#include "netd-client.h"

struct rpc_caller *netd_caller_new(struct evloop *loop, const struct sv_paths *paths, int error_domain)
{
	_cleanup_free_ char *path = paths_socket(paths, "netd");

	return rpc_caller_new(loop, path, "sepvirt-netd", SEPVIRT__PROGRAM__PROGRAM_NET, error_domain);
}

static void released(void *opaque, int r, const rpc_envelope *reply, int *fds, size_t nfds, const struct sv_error *err)
{
	rpc_close_fds(fds, nfds);
	if (r < 0)
		log_warn("%s", err->message);
}

void netd_release_devices(struct rpc_caller *netd, const char *uuid) { netd_release_device(netd, uuid, NULL); }

void netd_release_device(struct rpc_caller *netd, const char *uuid, const char *ifname)
{
	Sepvirt__NetReleaseTapsRequest req = SEPVIRT__NET_RELEASE_TAPS_REQUEST__INIT;
	_cleanup_free_ char *what = ifname ? xasprintf("the network device '%s' of domain %s", ifname, uuid)
					   : xasprintf("the network devices of domain %s", uuid);
	struct sv_error err;

	req.domain_uuid = (char *)uuid;
	req.ifname = (char *)(ifname ? ifname : "");
	if (rpc_caller_call(netd, SEPVIRT__PROCEDURE__PROC_NET_RELEASE_TAPS, &req.base, 0, what, released, NULL, &err) < 0)
		log_warn("%s", err.message);
}
