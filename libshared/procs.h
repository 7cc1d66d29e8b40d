/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every procedure is: its name, whether it only reads, and who may call it.
 * proxyd refuses by this table; each driver checks it again. Unlisted means refused. */
#pragma once

#include <stdint.h>

#include "sepvirt.pb-c.h"

enum proc_flags {
	PROC_READ_ONLY = 1 << 0,   /* allowed on the read-only socket */
	PROC_CLIENT = 1 << 1,      /* clients may call it through proxyd */
	PROC_DRIVER_ONLY = 1 << 2, /* only the driver daemons themselves (netd's open-tap) */
};

struct proc_info {
	uint32_t proc;
	const char *name;
	unsigned flags;
};

/* NULL for a procedure nobody defined. */
const struct proc_info *proc_info_lookup(uint32_t proc);
const char *proc_name(uint32_t proc);
/* The libvirt API function it serves ("virDomainDefineXML"), else its name (proc-api.c). */
const char *proc_api_name(uint32_t proc);
const char *program_name(uint32_t program);
/* The daemon that serves a program ("qemud"), NULL for none. */
const char *program_daemon(uint32_t program);
