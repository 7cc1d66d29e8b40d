/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The spawners' way of starting a process that outlives them (a QEMU, a dnsmasq): fork twice,
 * the middle child starts a session and exits, so the process is nobody's child here and is
 * reparented at once (to sepvirtd, a subreaper, or init). */
#pragma once

#include <sys/types.h>

/* Runs in the grandchild: execs, or writes the errno (an int) to report_fd and _exits. */
typedef void (*spawn_child_fn)(void *userdata, int report_fd);

/* *pid: the started process once its exec succeeded; -errno of the failed exec otherwise. */
int spawn_detached(spawn_child_fn child, void *userdata, pid_t *pid);
