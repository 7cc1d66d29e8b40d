/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Between the spawner process (spawner.c) and qemud's calls to it (spawner-call.c). */
#pragma once

#include "spawner.h"

/* Forks the spawner; *sock is qemud's end of the socketpair. */
int qemud_spawner_fork(const struct suite_ids *ids, const struct sv_paths *paths, int *sock, pid_t *pid,
		       struct sv_error *err);
/* 0 when the spawner may act as uid (in the VM range, or session mode); else -EPERM and *msg. */
int qemud_spawner_check_uid(uid_t uid, char **msg);
