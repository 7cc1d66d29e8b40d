/* The procedures sepvirt-netd serves. Anything not listed is answered "not supported". */
#include "config.h"

#include "daemon.h"
#include "netd.h"

const struct rpc_proc netd_procs[] = {
	{ SEPVIRT__PROCEDURE__PROC_PING, &sepvirt__ping_request__descriptor, daemon_handle_ping },
};
const size_t netd_nprocs = ARRAY_SIZE(netd_procs);
