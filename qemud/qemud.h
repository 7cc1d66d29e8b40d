/* sepvirt-qemud: what its files share. */
#pragma once

#include "sandbox.h"
#include "server.h"

/* sandbox.c: the whole privilege of this process. */
extern const struct sandbox_policy qemud_sandbox_policy;
/* dispatch.c: the procedures it serves. */
extern const struct rpc_proc qemud_procs[];
extern const size_t qemud_nprocs;
