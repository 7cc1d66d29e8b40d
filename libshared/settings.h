/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one configuration file, CONFIG_DIR/sepvirt.conf (/etc/sepvirt/sepvirt.conf, or under
 * SEPVIRT_ROOT or the session's directories): `key = value` lines, '#' comments. Each key is the
 * default of one environment variable (SEPVIRT_ and the key in capitals), which still overrides
 * it: loading the file sets the variables the environment does not, so every reader of a
 * setting reads it one way. sepvirt.conf(5) documents the keys. */
#pragma once

#include "error.h"

struct settings_key {
	const char *key;   /* "vm_uids" */
	const char *env;   /* "SEPVIRT_VM_UIDS" */
	int (*check)(const char *value, const char **why); /* 0 when valid */
};

/* The keys, NULL-terminated (for the documentation test). */
extern const struct settings_key settings_keys[];

/* Reads config_dir/sepvirt.conf, when it exists. A file others may write, an unknown key, a
 * repeated key or a bad value is an error naming the file, the line and the value. */
int settings_load(const char *config_dir, struct sv_error *err);
/* The same from an explicit path (tests). */
int settings_load_file(const char *path, struct sv_error *err);
/* A client's view: the value of key from the environment, else from config_dir/sepvirt.conf;
 * false when neither sets it (or the file is bad: the daemons report that). Sets nothing. */
bool settings_lookup(const char *config_dir, const char *key, char *buf, size_t len);
