/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Storage volume model: libvirt's volume XML for file volumes in a directory pool,
 * raw or qcow2 (optionally on a backing file). Logical, network... volumes are refused. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "util.h"
#include "xml/storage-common.h"

enum volume_format {
	VOLUME_FORMAT_NONE, /* not given: raw for a new file */
	VOLUME_FORMAT_RAW,
	VOLUME_FORMAT_QCOW2,
	VOLUME_FORMAT_LAST
};

struct volume_def {
	char *name;
	char *key;                  /* the pool's key (the path); NULL in a create request */
	unsigned long long capacity;    /* bytes */
	unsigned long long allocation;  /* bytes */
	bool has_allocation;
	char *target_path;          /* set by the pool; may be NULL in a create request */
	enum volume_format format;
	struct storage_perms perms;
	char *backing_path;         /* qcow2 backing file, or NULL */
	enum volume_format backing_format;
	struct storage_perms backing_perms;
};

int volume_def_parse(const char *xml, size_t len, unsigned flags, struct volume_def **out,
		     struct sv_error *err);
int volume_def_format(const struct volume_def *def, unsigned flags, char **out,
		      struct sv_error *err);
void volume_def_free(struct volume_def *def);
static inline void volume_def_freep(struct volume_def **def) { volume_def_free(*def); }
#define _cleanup_volume_def_ _cleanup_(volume_def_freep)
const char *volume_format_to_string(enum volume_format f);
