/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container's console: a pty whose slave is the container's stdin/stdout/stderr and
 * /dev/console, and whose master a small relay process copies into the console log. The relay
 * outlives lxcd (a restart loses no output) and ends when the last process holding the slave
 * has gone. A client (virsh console) attaches through the relay's socket NAME.console beside
 * the log: lxcd connects to it and hands the connection over. */
#pragma once

#include <sys/types.h>

#include "error.h"

struct lxcd_console {
	int slave;        /* O_CLOEXEC: the container dup2()s it onto 0, 1, 2 */
	char path[64];    /* /dev/pts/N, bind-mounted on the container's /dev/console */
};

/* The log is kept under this size: past it, NAME.log becomes NAME.log.1 (replacing the older
 * one) and a new NAME.log begins, so a container flooding its console holds at most twice this
 * (the state dir is usually on a tmpfs, i.e. the host's memory). */
#define LXCD_CONSOLE_LOG_MAX (1024 * 1024)

/* Opens the pty, gives the slave to uid/gid (the container's root), forks the relay that
 * appends the output to log_path. */
int lxcd_console_open(const char *log_path, uid_t uid, gid_t gid, struct lxcd_console *con, struct sv_error *err);

/* A connection to the relay of the running container whose log is log_path; < 0 with err. */
int lxcd_console_connect(const char *log_path, int *fd, struct sv_error *err);
