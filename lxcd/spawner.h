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
/* The answer to a launch: r >= 0 with st (its fds the callee's when it returns true), or r < 0
 * with err (ETIMEDOUT at the deadline). A container whose answer nobody takes (false, or after
 * the deadline) is killed before its init runs. */
typedef bool (*lxcd_spawner_fn)(void *opaque, int r, struct lxcd_started *st, const struct sv_error *err);
/* Sends a launch request (launch.h) to the spawner; fn runs from the loop with its answer, or at
 * timeout_ms. what names it in errors ("the launch of container 'c1'"). */
int lxcd_spawner_launch(const char *req, size_t len, int timeout_ms, const char *what, lxcd_spawner_fn fn,
			void *opaque, struct sv_error *err);
/* lxcd stops: launches still waiting end (ESHUTDOWN). */
void lxcd_spawner_calls_fini(void);
