/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What qemud keeps of a domain's snapshots, one file each, in config_dir/snapshot/UUID/NAME.xml
 * (libvirt's <domainsnapshot>), and which one is current (the file "current"): written
 * atomically and durably, read back after a restart. */
#pragma once

#include "qemud.h"

struct qemud_snap {
	char *name;
	char *description;  /* NULL: none */
	char *state;        /* "running", "paused" */
	char *parent;       /* NULL: none */
	long long ctime;
	char *domain_xml;   /* the domain as it was (NULL in a user's create XML) */
};

void qemud_snap_free(struct qemud_snap *s);
/* A user's <domainsnapshot> for create: name (optional) and description only; anything else is
 * refused by name. */
int qemud_snap_parse_request(const char *xml, struct qemud_snap **out, struct sv_error *err);
/* Every snapshot of d, and the current one's name (NULL: none). */
int qemud_snap_load_all(const struct domain_obj *d, struct qemud_snap ***list, size_t *n, char **current,
			struct sv_error *err);
struct qemud_snap *qemud_snap_find(struct qemud_snap **list, size_t n, const char *name);
void qemud_snap_list_free(struct qemud_snap **list, size_t n);
int qemud_snap_store(const struct domain_obj *d, const struct qemud_snap *s, struct sv_error *err);
int qemud_snap_remove(const struct domain_obj *d, const char *name, struct sv_error *err);
/* name NULL: no current snapshot. */
int qemud_snap_set_current(const struct domain_obj *d, const char *name, struct sv_error *err);
char *qemud_snap_format(const struct qemud_snap *s, const char *domain_name, bool current);
/* Snapshot names become file names and QEMU tags: letters, digits, '.', '_', '-', '+', ':'. */
int qemud_snap_check_name(const char *name, struct sv_error *err);
