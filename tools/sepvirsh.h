/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh: what its files share. */
#pragma once

#include <stdbool.h>

#include "sepvirt/sepvirt.h"

struct vsh_ctl {
	const char *uri;
	bool readonly;
	bool quiet;
	sepvirt_conn *conn; /* opened on first use */
};

/* A parsed command line of one command. */
struct vsh_cmd {
	const char *name;
	const char *const *argv; /* positional arguments */
	int argc;
	unsigned flags; /* bit i: option i of the command's list given */
	const char *optvals[8];
};

struct vsh_command {
	const char *name;
	const char *help;
	const char *const *options;    /* "--all", "--name"; NULL-terminated */
	const char *const *positional; /* "domain", "file"; NULL-terminated; required in order */
	int (*run)(struct vsh_ctl *ctl, const struct vsh_cmd *cmd);
};

/* Connects on first use; prints the error and returns NULL on failure. */
sepvirt_conn *vsh_conn(struct vsh_ctl *ctl);
/* Prints "error: <last library error>" and returns 1. */
int vsh_fail(const char *prefix);
/* Reads a whole file into *out (malloc'd); prints "error: Failed to open file ..." on failure. */
int vsh_read_file(const char *path, char **out);
bool vsh_has(const struct vsh_cmd *cmd, const struct vsh_command *def, const char *opt);
/* The value of an option declared as "name=" (--name VALUE or --name=VALUE), NULL when absent. */
const char *vsh_opt_value(const struct vsh_cmd *cmd, const struct vsh_command *def, const char *opt);

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
