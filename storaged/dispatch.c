/* The procedures sepvirt-storaged serves. Anything not listed is answered "not supported". */
#include "config.h"

#include "daemon.h"
#include "storaged.h"

const struct rpc_proc storaged_procs[] = {
	{ SEPVIRT__PROCEDURE__PROC_PING, &sepvirt__ping_request__descriptor, daemon_handle_ping },
};
const size_t storaged_nprocs = ARRAY_SIZE(storaged_procs);
