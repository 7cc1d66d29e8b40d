/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh: what its files share. */
#pragma once

#include <stdbool.h>

#include "sepvirt/sepvirt.h"

struct vsh_ctl {
	const char *uri;
	char *uri_owned; /* given by connect */
	bool readonly;
	bool quiet;
	sepvirt_conn *conn; /* opened on first use */
};

#define VSH_POS_MAX 64 /* positional arguments of one command line */

/* A parsed command line of one command. */
struct vsh_cmd {
	const char *name;
	const char *const *argv; /* positional arguments, NULL for an optional one not given */
	int argc;
	unsigned flags; /* bit i: option i of the command's list given */
	const char *optvals[8];
};

struct vsh_command {
	const char *name;
	const char *help;
	const char *const *options;    /* "--all", "--name"; NULL-terminated */
	const char *const *positional; /* "domain", "file"; NULL-terminated; in order; "name?" is
					* optional, "name..." takes the rest of the words */
	int (*run)(struct vsh_ctl *ctl, const struct vsh_cmd *cmd);
};

/* One command line (argv[0] the command, or help): parsed and run; 0 or 1, as virsh exits. */
int vsh_run(struct vsh_ctl *ctl, int argc, char **argv);
/* sepvirsh-shell.c: the interactive shell, until quit or the end of input. */
int vsh_shell(struct vsh_ctl *ctl);

/* Connects on first use; prints the error and returns NULL on failure. */
sepvirt_conn *vsh_conn(struct vsh_ctl *ctl);
/* Resolves a domain name, UUID or id so messages use the domain's name, as virsh does; prints
 * virsh's error ("failed to get domain 'x'") and returns -1 when it cannot. */
int vsh_lookup_domain(struct vsh_ctl *ctl, const char *arg, sepvirt_domain *d);
/* Prints "error: <last library error>" and returns 1. */
int vsh_fail(const char *prefix);
/* Reads a whole file into *out (malloc'd); prints "error: Failed to open file ..." on failure. */
int vsh_read_file(const char *path, char **out);
bool vsh_has(const struct vsh_cmd *cmd, const struct vsh_command *def, const char *opt);
/* The same from the command's option list itself. */
bool vsh_flag(const struct vsh_cmd *cmd, const char *const *options, const char *opt);
/* -q: tables without their header (as virsh), no closing blank line. */
extern bool vsh_quiet;
/* The value of an option declared as "name=" (--name VALUE or --name=VALUE), NULL when absent. */
const char *vsh_opt_value(const struct vsh_cmd *cmd, const struct vsh_command *def, const char *opt);

/* sepvirsh-domxml.c: what virsh reads out of a domain's XML itself. */
int vsh_print_xpath(const char *xml, const char *expr, bool wrap);
extern const char *const vsh_domblklist_opts[];
int vsh_cmd_domblklist(struct vsh_ctl *ctl, const struct vsh_cmd *cmd);
int vsh_cmd_vncdisplay(struct vsh_ctl *ctl, const struct vsh_cmd *cmd);
extern const char *const vsh_domdisplay_opts[];
int vsh_cmd_domdisplay(struct vsh_ctl *ctl, const struct vsh_cmd *cmd);
/* The disks of a domain's XML as virsh's undefine reads them: target dev, pool (a volume disk's,
 * else ""), source (the volume's name in that pool, else the file, dir, name or dev). The count,
 * -1 when the XML does not parse (said on stderr). */
struct vsh_disk {
	char *target, *pool, *source;
};
int vsh_domain_disks(const char *xml, struct vsh_disk **out);
void vsh_disks_free(struct vsh_disk *disks, int n);
/* Whether the XPath expression selects any node of xml. */
bool vsh_xml_has(const char *xml, const char *expr);

/* sepvirsh-console.c: relays the terminal and d's console (dev NULL: the first) until Ctrl+]. */
int vsh_console_run(struct vsh_ctl *ctl, const sepvirt_domain *d, const char *dev);

/* sepvirsh-edit.c: virsh edit. */
extern const char *const vsh_edit_opts[];
int vsh_cmd_edit(struct vsh_ctl *ctl, const struct vsh_cmd *cmd);

/* A virsh-style table: " Id   Name   State" over dashes. */
struct vsh_table;
struct vsh_table *vsh_table_new(int ncols, const char *const *headers);
void vsh_table_add(struct vsh_table *t, const char *const *cells);
void vsh_table_print(struct vsh_table *t);
void vsh_table_free(struct vsh_table *t);

extern const struct vsh_command vsh_host_commands[];
extern const struct vsh_command vsh_domain_commands[];
extern const struct vsh_command vsh_storage_commands[];
extern const struct vsh_command vsh_network_commands[];
extern const struct vsh_command vsh_event_commands[];
extern const struct vsh_command vsh_console_commands[];
extern const struct vsh_command vsh_stats_commands[];
extern const struct vsh_command vsh_hotplug_commands[];
extern const struct vsh_command vsh_save_commands[];
extern const struct vsh_command vsh_snapshot_commands[];
extern const struct vsh_command vsh_resize_commands[];
extern const struct vsh_command vsh_undefine_commands[];
