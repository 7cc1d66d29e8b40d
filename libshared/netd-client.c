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

int netd_call_release(const struct sv_paths *paths, int domain, const char *uuid, struct sv_error *err)
{
	Sepvirt__NetReleaseTapsRequest req = SEPVIRT__NET_RELEASE_TAPS_REQUEST__INIT;
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	int r;

	req.domain_uuid = (char *)uuid;
	req.ifname = (char *)"";
	r = netd_call_connect(paths, domain, "the domain's network devices", &c, err);
	if (r >= 0)
		r = rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_NET, SEPVIRT__PROCEDURE__PROC_NET_RELEASE_TAPS,
				    &req.base, NULL, 0, NULL, NULL, NULL, NULL, err);
	return r;
}
