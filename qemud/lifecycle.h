/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Starting QEMU, following it (QMP events, process exit) and stopping it. Each call on a domain
 * is a job of it (job.h): these run one job and end it, from the loop, when QEMU has answered. */
#pragma once

#include "job.h"
#include "qemud.h"

void qemud_job_start(struct domain_job *j);
/* SIGTERM, then SIGKILL; ends when QEMU is gone and the domain cleaned up. */
void qemud_job_destroy(struct domain_job *j);
void qemud_job_shutdown(struct domain_job *j);
void qemud_job_reboot(struct domain_job *j);
void qemud_job_suspend(struct domain_job *j);
void qemud_job_resume(struct domain_job *j);
void qemud_job_reset(struct domain_job *j);
#define QEMUD_START_PAUSED 1u /* start --paused: QEMU is left stopped where it starts */
/* start --autodestroy: destroyed when the client's connection through proxyd closes */
#define QEMUD_START_AUTODESTROY 2u
/* libvirt's virDomainSaveRestoreFlags: what a restore gives back (neither: as when saved). */
#define QEMUD_SAVE_RUNNING 2u
#define QEMUD_SAVE_PAUSED 4u
/* A start from a saved state (restore, or start with a managed save image). */
struct qemud_restore {
	int fd;                 /* the state file, at the start of QEMU's stream */
	struct domain_def *def; /* what runs: the XML the file carries */
	bool paused;            /* left paused once loaded */
	bool managed;           /* the domain's managed save image: removed once it ran */
};
void qemud_restore_clear(struct qemud_restore *from);
void qemud_restore_free(void *from);
/* Starts the job's domain from the qemud_restore the job's state holds (taken from it). */
void qemud_job_restore(struct domain_job *j);
/* save.c: save and managedsave; the job's state is a qemud_save (save.c). QEMU's state goes to
 * the file, then QEMU is stopped ("shut off (saved)"). */
void qemud_job_save(struct domain_job *j);
/* Stops QEMU as destroy does (SIGTERM, then SIGKILL); j ends when QEMU is gone. */
void qemud_stop_qemu(struct domain_job *j, struct domain_obj *d);
/* After a restart: take over the QEMU that a status file names (a job of its domain), or clean
 * up after it. A QEMU whose start was not complete is stopped. */
void qemud_domains_reattach(void);
/* After re-attach: a QEMU of this suite (its uid in the VM range, a child of the supervisor as
 * every QEMU the spawner launched) that no running domain owns was launched by a start that
 * qemud's death cut short before the status file named it: it is stopped. Looked for again 2 s
 * later, once the spawner has answered every launch, for one that was not a QEMU yet. */
void qemud_domains_stop_orphans(void);
/* Starts every autostart domain that is not running. */
void qemud_domains_autostart(void);
/* CPU time of the running QEMU, from /proc. */
unsigned long long qemud_domain_cpu_time_ns(const struct domain_obj *d);
