/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where every socket, definition, state file and log lives.
 * SEPVIRT_ROOT=DIR puts all of them under DIR (DIR/run, DIR/etc, DIR/lib, DIR/log).
 * Without it: /run/sepvirt, /etc/sepvirt, /var/lib/sepvirt, /var/log/sepvirt as root;
 * $XDG_RUNTIME_DIR/sepvirt and $XDG_DATA_HOME/sepvirt for an ordinary user (session mode). */
#pragma once

#include "error.h"

struct sv_paths {
	bool session;     /* not root: no uid switch, no capabilities */
	char *root;       /* SEPVIRT_ROOT, or NULL */
	char *run_dir;    /* sockets and live state */
	char *config_dir; /* persistent definitions */
	char *state_dir;  /* daemon-private persistent state */
	char *log_dir;
};

int paths_init(struct sv_paths *p, struct sv_error *err);
/* The same for an explicit mode: a client picks system or session by its URI, not its uid. */
int paths_init_mode(struct sv_paths *p, bool session, struct sv_error *err);
void paths_free(struct sv_paths *p);
/* run_dir/NAME.sock, e.g. paths_socket(p, "qemud"). */
char *paths_socket(const struct sv_paths *p, const char *name);
/* mkdir -p with mode for every missing component; existing directories are left as they are. */
int paths_mkdir_p(const char *path, mode_t mode);
/* Create dir (and parents) and hand it to uid/gid with mode: a daemon's private directory,
 * made before it drops to its own user. */
int paths_make_private_dir(const char *path, uid_t uid, gid_t gid, mode_t mode, struct sv_error *err);
