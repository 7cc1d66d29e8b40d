/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One running copy per process and SEPVIRT_ROOT: sepvirtd and each daemon hold an exclusive
 * record lock (fcntl F_SETLK) on run_dir/NAME.pid for their whole life. The kernel drops the
 * lock when the process dies, however it dies, so a lock that is held names a live process.
 * Record locks belong to the process: a forked child (a spawner) never holds them. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* run_dir/NAME.pid */
char *instance_lock_path(const char *run_dir, const char *name);
/* Takes the lock on path (created 0644 when missing) and writes the caller's pid into it.
 * Returns the fd to keep open (O_CLOEXEC; closing it, or any other fd of that file, releases
 * the lock). -EAGAIN with *holder set (0 when it cannot be told) when a live process holds
 * it; another -errno when the file cannot be opened. */
int instance_lock(const char *path, pid_t *holder);
/* The pid holding path's lock; 0 when nobody does or the file does not exist. Never call it on
 * a file the caller holds itself (closing the probe would release the caller's own lock). */
pid_t instance_holder(const char *path);
/* instance_lock() for a daemon: < 0 with err naming the running copy. */
int instance_claim(const char *run_dir, const char *name, struct sv_error *err);
/* true when a process accepts connections on the UNIX socket at path: a live copy of its
 * daemon that must not lose its socket to an unlink. */
bool instance_socket_live(const char *path);
