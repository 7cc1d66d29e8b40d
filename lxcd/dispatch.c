/* The procedures sepvirt-lxcd serves. Anything not listed is answered "not supported". */
#include "config.h"

#include "daemon.h"
#include "lxcd.h"

const struct rpc_proc lxcd_procs[] = {
	{ SEPVIRT__PROCEDURE__PROC_PING, &sepvirt__ping_request__descriptor, daemon_handle_ping },
};
const size_t lxcd_nprocs = ARRAY_SIZE(lxcd_procs);
