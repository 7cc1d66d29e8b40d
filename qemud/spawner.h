/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The spawner: a small process forked before qemud confines itself. It keeps uid 0 with
 * CAP_SETUID and CAP_SETGID only (its row is in sandbox.c) and no_new_privs, and does for qemud
 * what qemud's own uid may not:
 *  - launch: exec a configured emulator as a QEMU's own uid/gid from the VM range, in no group
 *    but kvm, with the disk images it opened itself (checked against the image directories) as
 *    fds; the child gets its own session and is reparented at once, so QEMU outlives qemud;
 *  - signal a QEMU, and open its pty slave, as that QEMU's uid: the kernel's own permission
 *    check then limits both to processes of that uid.
 * It never acts as a uid outside the VM range. In session mode nothing switches uid. */
#pragma once

#include "command.h"
#include "identity.h"
#include "paths.h"

/* Forks the spawner (call before confinement). */
int qemud_spawner_start(const struct suite_ids *ids, const struct sv_paths *paths, struct sv_error *err);
/* The answer to a launch: r >= 0 with the started child's pid, or r < 0 with err (ETIMEDOUT at
 * the deadline: a QEMU the spawner launches after it is stopped at once). Returns whether the
 * caller took the process: one nobody took (its start ended meanwhile) is stopped. */
typedef bool (*qemud_spawner_fn)(void *opaque, int r, pid_t pid, const struct sv_error *err);
/* Hands cmd (argv, env, fds, paths to open, output fd) to the spawner, to run as uid: sent at once
 * (cmd may go), answered from the loop, with the deadline of calls to other daemons
 * (rpc_caller_timeout_ms). what names it in errors ("the launch of QEMU for domain 'vm1'"). */
int qemud_spawner_launch(const struct command *cmd, uid_t uid, const char *what, qemud_spawner_fn fn, void *opaque,
			 struct sv_error *err);
/* Runs a short helper to its end as the spawner's own child (never reparented), as uid; waits. */
int qemud_spawner_run(const struct command *cmd, uid_t uid, struct sv_error *err);
/* Sends sig to the process of pidfd, as uid: the request is sent (the caller may close pidfd at
 * once); the spawner's failure to do it is logged when it answers. */
int qemud_spawner_signal(int pidfd, uid_t uid, int sig, struct sv_error *err);
/* Opens the pty slave path (/dev/pts/N) of a QEMU running as uid; waits. */
int qemud_spawner_open_pty(const char *path, uid_t uid, int *fd, struct sv_error *err);
/* The answer to open_image: r >= 0 with fd (the callee's), or r < 0 with err. */
typedef void (*qemud_spawner_fd_fn)(void *opaque, int r, int fd, const struct sv_error *err);
/* Opens a disk image for a hotplugged disk, by the rule of a launch's images (images.h), answered
 * for the QEMU of uid (the request must name a uid of the VM range, as every request does), answered
 * from the loop with the deadline of calls to other daemons. */
int qemud_spawner_open_image(const char *path, bool read_only, uid_t uid, qemud_spawner_fd_fn fn, void *opaque,
			     struct sv_error *err);
/* Requests sent and not answered yet. */
size_t qemud_spawner_waiting(void);
/* fn runs once nothing waits for the spawner any more (at once when nothing does). */
void qemud_spawner_when_idle(void (*fn)(void));
void qemud_spawner_stop(void);
/* Whether path is on the list the spawner accepts (QEMU_SYSTEM_DEFAULT, $SEPVIRT_QEMU_BINARIES). */
bool qemud_spawner_allowed(const char *path);
