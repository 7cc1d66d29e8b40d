/* The procedures sepvirt-qemud serves. Anything not listed is answered "not supported". */
#include "config.h"

#include "daemon.h"
#include "qemud.h"

const struct rpc_proc qemud_procs[] = {
	{ SEPVIRT__PROCEDURE__PROC_PING, &sepvirt__ping_request__descriptor, daemon_handle_ping },
};
const size_t qemud_nprocs = ARRAY_SIZE(qemud_procs);
