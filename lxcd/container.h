/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Starting one container, inside the spawner: runs in a process forked for this request,
 * which answers the daemon on reply_fd and exits (so the container's init is reparented to
 * the subreaper and outlives lxcd). The answer is one datagram:
 *   "ok PID STARTTICKS" with three fds: a pidfd of init, the write end of the "go" pipe
 *   (init execs once the daemon writes 'G' there: networking comes first), the read end
 *   of the status pipe (EOF: init exec'd; text: why it could not);
 *   or "error CODE MESSAGE". */
#pragma once

#include "launch.h"

_Noreturn void lxcd_container_launch(const struct lxcd_launch *req, int reply_fd);
