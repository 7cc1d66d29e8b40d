/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-qemud: what its files share. */
#pragma once

#include <sys/types.h>

#include "daemon.h"
#include "domain-store.h"
#include "sandbox.h"
#include "server.h"

struct qemud_driver {
	struct daemon_ctx *ctx;
	struct evloop *loop;
	/* config_dir/qemu: NAME.xml; config_dir/qemu/autostart: NAME marks autostart;
	 * run_dir/qemu: NAME.status, NAME.xml (live), NAME.monitor */
	struct domain_store store;
	char *log_dir;       /* log_dir/qemu: NAME.log, QEMU's own output */
	char *nvram_dir;     /* state_dir/qemu/nvram: NAME_VARS.fd, each UEFI domain's variable store */
	char *save_dir;      /* state_dir/qemu/save: NAME.save, managed save images */
	bool vhost;          /* /dev/vhost-net opens */
	char hypervisor[64]; /* "QEMU 7.2.22" */
	bool stopping;       /* qemud_stop ran: late callbacks do nothing */
};

extern struct qemud_driver qemud;

/* sandbox.c: the whole privilege of this process, and of its spawner. */
extern const struct sandbox_policy qemud_sandbox_policy;
extern const struct sandbox_policy qemud_spawner_policy;
/* dispatch.c: the procedures it serves. */
extern const struct rpc_proc qemud_procs[];
extern const size_t qemud_nprocs;
