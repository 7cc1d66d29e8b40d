/* sepvirt-lxcd: what its files share. */
#pragma once

#include "sandbox.h"
#include "server.h"

/* sandbox.c: the whole privilege of this process. */
extern const struct sandbox_policy lxcd_sandbox_policy;
/* dispatch.c: the procedures it serves. */
extern const struct rpc_proc lxcd_procs[];
extern const size_t lxcd_nprocs;
