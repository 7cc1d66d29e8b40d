/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>

#include "netd-client.h"

int netd_call_connect(const struct sv_paths *paths, int domain, const char *what, struct rpc_client **c,
		      struct sv_error *err)
{
	_cleanup_free_ char *path = paths_socket(paths, "netd");
	int r = rpc_client_connect(path, c, err);

	if (r < 0) {
		char why[SV_ERROR_MSG_MAX];
		snprintf(why, sizeof(why), "%s", err->message);
		return sv_error_set(err, domain, SV_ERR_DRIVER_UNAVAILABLE, -r, "cannot reach sepvirt-netd for %s: %s",
				    what, why);
	}
	return 0;
}

int netd_call_kept(const struct sv_paths *paths, int domain, const char *what, struct rpc_client **kept,
		   struct sv_error *err)
{
	if (*kept && rpc_client_idle_alive(*kept))
		return 0;
	rpc_client_free(*kept);
	*kept = NULL;
	int r = netd_call_connect(paths, domain, what, kept, err);
	if (r >= 0)
		rpc_client_keep(*kept);
	return r;
}

/* A call on a kept connection; a connection that failed under it is dropped (the next call
 * connects again). */
static int kept_call(struct rpc_client **kept, const ProtobufCMessage *req, uint32_t proc, struct sv_error *err)
{
	int r = rpc_client_call(*kept, SEPVIRT__PROGRAM__PROGRAM_NET, proc, req, NULL, 0, NULL, NULL, NULL, NULL, err);

	if (r < 0 && err->code == SV_ERR_RPC) {
		rpc_client_free(*kept);
		*kept = NULL;
	}
	return r;
}

int netd_call_release(const struct sv_paths *paths, int domain, const char *uuid, struct rpc_client **kept,
		      struct sv_error *err)
{
	Sepvirt__NetReleaseTapsRequest req = SEPVIRT__NET_RELEASE_TAPS_REQUEST__INIT;
	_cleanup_rpc_client_ struct rpc_client *own = NULL;
	struct rpc_client **c = kept ? kept : &own;
	int r;

	req.domain_uuid = (char *)uuid;
	req.ifname = (char *)"";
	r = netd_call_kept(paths, domain, "the domain's network devices", c, err);
	if (r >= 0)
		r = kept_call(c, &req.base, SEPVIRT__PROCEDURE__PROC_NET_RELEASE_TAPS, err);
	return r;
}
