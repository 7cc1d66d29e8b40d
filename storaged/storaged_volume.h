/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Volumes: files in an active pool's directory. The format is read from the file's header,
 * never taken from its name. */
#pragma once

#include <sys/types.h>

#include "storaged.h"
#include "storaged_qcow2.h"
#include "xml/volume-def.h"

struct storaged_vol {
	char *name;
	char *path;
	enum volume_format format;
	unsigned long long capacity;   /* virtual size */
	unsigned long long allocation; /* st_blocks * 512 */
	char backing[QCOW2_BACKING_MAX + 1];
	char backing_format[32];
	bool external_data;                    /* qcow2: the "external data file" feature bit */
	char data_file[QCOW2_BACKING_MAX + 1]; /* qcow2: the data file its header names, "" for none */
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

void storaged_vol_clear(struct storaged_vol *v);
/* The name rules (no '/', no leading '.', hence no '..'), with the pool unchanged on failure. */
int storaged_vol_name_check(const char *name, struct sv_error *err);
/* Reads an open file's header and size. */
int storaged_vol_probe_fd(int fd, const char *name, const char *path, struct storaged_vol *v,
			  struct sv_error *err);
/* Looks a volume up by name in p (a regular file, never through a symlink). */
int storaged_vol_lookup(struct storaged_pool *p, const char *name, struct storaged_vol *v,
			struct sv_error *err);
/* Resolves (pool, volume) as virsh gives them: pool empty means volume is a path or key. */
int storaged_vol_resolve(const char *pool, const char *volume, struct storaged_pool **pp,
			 struct storaged_vol *v, struct sv_error *err);
/* Every volume of the pool, sorted by name. */
int storaged_vol_list(struct storaged_pool *p, struct storaged_vol **out, size_t *n, struct sv_error *err);
/* libvirt's volume XML for what was probed. */
int storaged_vol_format_xml(const struct storaged_vol *v, char **out, struct sv_error *err);
/* Opens a volume file of p by name, O_NOFOLLOW. */
int storaged_vol_open(struct storaged_pool *p, const char *name, int flags, struct sv_error *err);
/* A fresh temporary file in the pool's directory; *tmpname receives its name. */
int storaged_vol_tmp_create(struct storaged_pool *p, const char *purpose, mode_t mode, char **tmpname,
			    struct sv_error *err);
/* Durably gives tmpname its final name; replace=false refuses an existing volume. */
int storaged_vol_commit(struct storaged_pool *p, int fd, const char *tmpname, const char *name, bool replace,
			struct sv_error *err);
/* Refuses a size of 0 or one that does not fit in the pool's free space. */
int storaged_vol_check_space(struct storaged_pool *p, const char *name, unsigned long long need,
			     unsigned long long capacity, struct sv_error *err);
int storaged_err_no_vol(struct sv_error *err, const char *what, const char *name);
/* A file a header names (backing file, data file), as QEMU would find it: a relative name is
 * relative to the image's directory. */
char *storaged_vol_ref_path(const struct storaged_vol *v, const char *ref);
/* The active pool holding that file (a plain path, no "." or ".." steps), NULL for none. */
struct storaged_pool *storaged_vol_ref_pool(const char *path, const char **name);
/* A qcow2 external data file (which QEMU would open by name, read-write) is refused unless it is
 * a volume of an active pool; the error names the volume and the data file. */
int storaged_vol_check_data_file(const struct storaged_vol *v, struct sv_error *err);
/* Checks every volume of p as above; the first refusal is returned, each is logged. */
int storaged_vol_check_all(struct storaged_pool *p, struct sv_error *err);
