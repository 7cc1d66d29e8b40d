/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The run record of a QEMU and its files in the state and log directories. */
#include "config.h"

#include <stdio.h>

#include "qmp.h"
#include "run.h"

static char *file_of(const char *dir, const char *name, const char *suffix)
{
	return xasprintf("%s/%s%s", dir, name, suffix);
}

char *qemud_monitor_path(const char *name) { return file_of(qemud.store.state_dir, name, ".monitor"); }
char *qemud_log_path(const char *name) { return file_of(qemud.log_dir, name, ".log"); }

struct qemud_run *qemud_run_new(void)
{
	struct qemud_run *run = xcalloc(1, sizeof(*run));

	run->pid = -1;
	run->pidfd = -1;
	run->uid = (uid_t)-1;
	return run;
}

void qemud_run_free(void *priv)
{
	struct qemud_run *run = priv;

	if (!run)
		return;
	if (run->pid_watch)
		evwatch_remove(run->pid_watch);
	if (run->qmp)
		qemud_qmp_close(run->qmp);
	if (run->pidfd >= 0)
		close(run->pidfd);
	free(run);
}

/* After the store's id, state and reason: QEMU's pid and what decides the exit's reason. The
 * keys are those qemud always wrote, so a QEMU started by an older qemud is re-attached. */
int qemud_run_save_status(const struct domain_obj *d, struct sv_error *err)
{
	const struct qemud_run *run = qemud_run_of(d);
	_cleanup_free_ char *extra = xasprintf("pid=%d\nuid=%u\nstart_time=%lld\nshutdown_seen=%d\nautodestroy=%llu\n",
					       (int)run->pid, (unsigned)run->uid, run->start_time, run->shutdown_seen,
					       run->autodestroy);

	return domain_store_save_status(&qemud.store, d, extra, err);
}

static long long status_num(const char *status, const char *key, long long absent)
{
	char buf[32];

	return domain_status_get(status, key, buf, sizeof(buf)) ? atoll(buf) : absent;
}

struct qemud_run *qemud_run_from_status(struct domain_obj *d, const char *status)
{
	struct qemud_run *run = qemud_run_new();

	d->id = (int)status_num(status, "id", -1);
	d->state = (int)status_num(status, "state", 0);
	d->reason = (int)status_num(status, "reason", 0);
	run->pid = (pid_t)status_num(status, "pid", -1);
	run->uid = (uid_t)status_num(status, "uid", -1);
	run->start_time = status_num(status, "start_time", 0);
	run->shutdown_seen = status_num(status, "shutdown_seen", 0) != 0;
	run->autodestroy = (unsigned long long)status_num(status, "autodestroy", 0);
	return run;
}

void qemud_run_delete_status(const char *name)
{
	_cleanup_free_ char *mon = qemud_monitor_path(name);

	domain_store_delete_status(&qemud.store, name);
	unlink(mon);
}

/* Uids the spawner found in use by a process that is no domain of ours, skipped until qemud
 * restarts (a few at most: they are only ever added one launch at a time). */
static uid_t skipped[64];
static size_t nskipped;

void qemud_run_skip_uid(uid_t uid)
{
	if (nskipped < ARRAY_SIZE(skipped))
		skipped[nskipped++] = uid;
}

int qemud_run_alloc_uid(uid_t *uid, struct sv_error *err)
{
	const struct suite_ids *ids = &qemud.ctx->ids;

	for (uid_t u = ids->vm_uid_first;; u++) {
		bool taken = false;
		for (size_t i = 0; i < nskipped; i++)
			taken |= skipped[i] == u;
		for (size_t i = 0; !taken && i < qemud.store.ndoms; i++) {
			const struct qemud_run *run = qemud_run_of(qemud.store.doms[i]);
			taken = run && run->uid == u;
		}
		if (!taken || ids->session) {
			*uid = u;
			return 0;
		}
		if (u == ids->vm_uid_last)
			break;
	}
	return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, EBUSY,
			    "every uid of the VM range %u-%u is taken by a running domain (SEPVIRT_VM_UIDS)",
			    (unsigned)ids->vm_uid_first, (unsigned)ids->vm_uid_last);
}
