/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pool objects: definitions on disk, active and autostart markers, lookup. */
#pragma once

#include "storaged.h"

/* Reads every config_dir/storage/NAME.xml; starts the pools that were active or autostart. */
int storaged_pool_load_all(struct sv_error *err);
/* By name or UUID; NULL when there is none. */
struct storaged_pool *storaged_pool_find(const char *name_or_uuid);
/* Same, with libvirt's "Storage pool not found" error; must_be_active adds "is not active". */
int storaged_pool_get(const char *name_or_uuid, bool must_be_active, struct storaged_pool **out,
		      struct sv_error *err);
/* The active pool whose directory holds path (an absolute path), NULL for none. */
struct storaged_pool *storaged_pool_by_file(const char *path, const char **name);

/* Adds or replaces a definition (persisted first); takes def. */
int storaged_pool_define(struct pool_def *def, struct storaged_pool **out, struct sv_error *err);
int storaged_pool_undefine(struct storaged_pool *p, struct sv_error *err);
int storaged_pool_build(struct storaged_pool *p, struct sv_error *err);
int storaged_pool_start(struct storaged_pool *p, struct sv_error *err);
int storaged_pool_stop(struct storaged_pool *p, struct sv_error *err);
int storaged_pool_set_autostart(struct storaged_pool *p, bool enable, struct sv_error *err);
/* statvfs of the pool's directory and the sum of its volumes' allocation. */
int storaged_pool_refresh(struct storaged_pool *p, struct sv_error *err);
/* Removes the temporary files a crash or an abandoned call left in the pool's directory. */
void storaged_pool_clean_tmp(struct storaged_pool *p);
