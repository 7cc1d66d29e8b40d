/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Storage pool model: libvirt's pool XML for type='dir'. Other pool types (iscsi,
 * logical, netfs...) are refused by name. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "util.h"
#include "xml/storage-common.h"
#include "xml/uuid.h"

struct pool_def {
	char *name;
	unsigned char uuid[SV_UUID_LEN];
	bool uuid_generated;
	/* Reported by a running pool; kept so that an info round trip is stable. */
	unsigned long long capacity, allocation, available;
	char *target_path;
	struct storage_perms perms;
};

int pool_def_parse(const char *xml, size_t len, unsigned flags, struct pool_def **out,
		   struct sv_error *err);
int pool_def_format(const struct pool_def *def, unsigned flags, char **out, struct sv_error *err);
void pool_def_free(struct pool_def *def);
static inline void pool_def_freep(struct pool_def **def) { pool_def_free(*def); }
#define _cleanup_pool_def_ _cleanup_(pool_def_freep)
