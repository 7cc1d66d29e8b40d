/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The spawner: forked before lxcd confines itself, it alone creates containers (namespaces,
 * id maps, cgroup, mounts, exec of init). It keeps only the capabilities that needs (sandbox.c,
 * lxcd_spawner_caps) and serves one launch request at a time over a SOCK_SEQPACKET socketpair. */
#pragma once

#include <sys/types.h>

#include "error.h"

struct lxcd_started {
	pid_t pid;
	unsigned long long start_ticks;
	int pidfd;     /* of init */
	int go_fd;     /* write 'G' to let init exec */
	int status_fd; /* EOF once init exec'd, or why it failed */
};

/* Forks the spawner; *sock is the daemon's end. log_fd stays open in it (may be -1). */
int lxcd_spawner_start(int *sock, pid_t *pid, struct sv_error *err);
/* Sends a launch request (launch.h) and waits for the answer. */
int lxcd_spawner_launch(int sock, const char *req, size_t len, struct lxcd_started *out, struct sv_error *err);
