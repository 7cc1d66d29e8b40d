/* The spawner: a small process forked before qemud confines itself. It alone may exec,
 * and only the configured emulator binaries, as the suite user with no capabilities and
 * no_new_privs; the child gets its own session and is reparented at once, so QEMU outlives
 * qemud (sepvirtd, a subreaper, reaps it). */
#pragma once

#include "command.h"
#include "sandbox.h"

/* Forks the spawner. id: who the children run as (the spawner drops to it at once). */
int qemud_spawner_start(const struct sandbox_policy *policy, const struct sandbox_identity *id,
			struct sv_error *err);
/* Hands cmd (argv, env, fds, output fd) to the spawner; *pid is the started child. */
int qemud_spawner_launch(const struct command *cmd, pid_t *pid, struct sv_error *err);
/* Runs a short helper to its end as the spawner's own child (never reparented). */
int qemud_spawner_run(const struct command *cmd, struct sv_error *err);
void qemud_spawner_stop(void);
/* Whether path is on the list the spawner accepts (QEMU_SYSTEM_DEFAULT, $SEPVIRT_QEMU_BINARIES). */
bool qemud_spawner_allowed(const char *path);
