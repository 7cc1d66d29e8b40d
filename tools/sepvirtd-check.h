/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirtd's start-up check that each daemon's user can reach its directories. */
#pragma once

#include "paths.h"

/* In system mode (root), forks one child per unprivileged daemon user (proxyd, qemud,
 * storaged) that takes that user's uid, gid and the daemons' group and tries to search every
 * directory on the way to the run, config, state and log directories. Returns 0 when all can,
 * else -EACCES with *msg (to free) saying in one text which users need which access to which
 * directory. Users that do not exist yet are not checked (the daemon itself will say so). */
int sepvirtd_check_access(const struct sv_paths *paths, char **msg);
