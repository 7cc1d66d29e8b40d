/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What storage pools and volumes share: permissions and sizes with units. */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>

#include "error.h"
#include "xml/xml-writer.h"

struct storage_perms {
	unsigned mode;     /* valid when has_mode */
	bool has_mode;
	long long uid;     /* -1: not given */
	long long gid;     /* -1: not given */
	char *label;       /* security label, or NULL */
};

void storage_perms_init(struct storage_perms *perms);
void storage_perms_clear(struct storage_perms *perms);
/* <permissions>: mode (octal), owner, group (decimal, -1 for "leave"), label. */
int storage_perms_parse(const xmlNode *node, const char *path, struct storage_perms *perms,
			struct sv_error *err);
void storage_perms_format(struct xml_writer *w, const struct storage_perms *perms);
/* <capacity unit=...>N</capacity> in bytes (units.h; default unit bytes). */
int storage_size_parse(const xmlNode *node, const char *path, unsigned long long *bytes,
		       struct sv_error *err);
void storage_size_format(struct xml_writer *w, const char *name, unsigned long long bytes);
/* An absolute path with repeated and trailing '/' removed, as libvirt stores it. */
int storage_path_parse(const xmlNode *node, const char *path, char **out, struct sv_error *err);
