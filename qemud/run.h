/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What qemud keeps of a running QEMU, hung on its domain_obj, and the files that go with the
 * run: NAME.status (the store's keys and qemud's), NAME.monitor, and QEMU's log. */
#pragma once

#include "qemud.h"

struct qemud_qmp;

/* d->priv from start (or re-attach) until QEMU is gone. */
struct qemud_run {
	pid_t pid;
	uid_t uid;               /* QEMU's own uid and gid, from the VM range */
	int pidfd;               /* readable when QEMU has exited */
	struct evwatch *pid_watch;
	struct qemud_qmp *qmp;
	long long start_time;    /* CLOCK_REALTIME seconds */
	bool destroying;         /* destroy asked: the exit is "destroyed" */
	bool shutdown_seen;      /* the guest powered off: the exit is "shutdown" */
	bool saved;              /* its state was saved: the exit is "saved" */
	bool fake_reboot;        /* reboot = ACPI power-down, then reset and continue */
	unsigned long long exit_job; /* the destroy job waiting for QEMU's end (0: none) */
	unsigned long long autodestroy; /* started with autodestroy by this proxyd client (0: none) */
};

static inline struct qemud_run *qemud_run_of(const struct domain_obj *d) { return d->priv; }

/* No pid, no pidfd yet. */
struct qemud_run *qemud_run_new(void);
/* The store's free_priv: closes what qemud holds of QEMU (watch, monitor, pidfd), not QEMU. */
void qemud_run_free(void *priv);

/* NAME.xml (live) and NAME.status of the running d. */
int qemud_run_save_status(const struct domain_obj *d, struct sv_error *err);
/* A status file read back: d's id, state and reason and a new run with its pid and flags.
 * A key that is missing reads as it always did (id and pid -1, the others 0). */
struct qemud_run *qemud_run_from_status(struct domain_obj *d, const char *status);
/* NAME.status, NAME.xml and NAME.monitor. */
void qemud_run_delete_status(const char *name);

/* The lowest uid of the VM range no running domain holds (the status files of running domains
 * are read back before anything starts, so a live one is never given out twice). -EBUSY when
 * every uid is taken. */
int qemud_run_alloc_uid(uid_t *uid, struct sv_error *err);
/* uid is held by a process that is not one of our QEMUs: never given out again. */
void qemud_run_skip_uid(uid_t uid);

char *qemud_monitor_path(const char *name);
char *qemud_log_path(const char *name);
