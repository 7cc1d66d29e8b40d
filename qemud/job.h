/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-domain jobs: every call that waits on QEMU, netd, storaged or the spawner runs as a job of
 * its domain, and its RPC reply is sent when the job ends, from the loop. Jobs of one domain run
 * one after the other (queued in the order they came, as libvirt's job lock orders them); jobs of
 * different domains and the calls that read qemud's own state (list, lookup, dominfo, domstate,
 * domcontrol) never wait for each other. A job names its domain by UUID: a domain that went away
 * while the job waited fails it. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "qemud.h"

struct qemud_job;
typedef void (*qemud_job_fn)(struct qemud_job *j);

struct qemud_job {
	unsigned long long id;       /* callbacks carry the id, never the pointer: see qemud_job_find */
	char uuid[SV_UUID_STRING_LEN];
	char *name;                  /* the domain's name when queued, for messages */
	const char *what;            /* "start", "suspend" ... */
	qemud_job_fn run;
	struct rpc_pending *pending; /* who waits for the reply; NULL: nobody (autostart, re-attach) */
	bool reply_summary;          /* the reply is the domain's summary (create) */
	bool create;                 /* starts a transient domain: removed when the start fails */
	int64_t queued_ms, started_ms;
	bool running;
	/* What the job's steps keep between callbacks. */
	struct evwatch *timer;
	off_t log_offset;
	bool launched;               /* start: this job's QEMU runs (a failure stops it) */
	void *state;                 /* a job's own steps' state, freed with state_free at its end */
	void (*state_free)(void *state);
	struct qemud_job *next;
};

/* Queues run as a job of d. With req, the call is kept (rpc_request_defer) and answered when the
 * job ends: the handler then returns 0. Without, the result is logged. */
int qemud_job_submit(struct domain_obj *d, const char *what, qemud_job_fn run, struct rpc_request *req,
		     struct qemud_job **out);
/* Runs run as a job of d at once, even while another job of d runs, ahead of those queued: only
 * destroy does this (as libvirt's destroy, it does not wait for a job stuck on QEMU: it kills
 * QEMU, which ends that job). */
int qemud_job_submit_now(struct domain_obj *d, const char *what, qemud_job_fn run, struct rpc_request *req);
/* The job's domain now, or NULL (then the job must end). */
struct domain_obj *qemud_job_domain(const struct qemud_job *j);
/* Ends the job: replies (r >= 0) or fails the call with err, and lets the domain's next job run
 * (from the loop's end, never from inside this call). */
void qemud_job_done(struct qemud_job *j, int r, const struct sv_error *err);
/* The job with this id, or NULL when it ended (or qemud is stopping): a callback that comes
 * after its job (a QMP reply after the job timed out) finds nothing and does nothing. */
struct qemud_job *qemud_job_find(void *id);
static inline void *qemud_job_ref(const struct qemud_job *j) { return (void *)(uintptr_t)j->id; }
/* qemud stops: every job ends, its caller told so. */
void qemud_jobs_fini(void);
/* The job running on d, or NULL. */
const struct qemud_job *qemud_job_active(const struct domain_obj *d);
/* Jobs queued or running on d. */
size_t qemud_job_count(const struct domain_obj *d);
/* Whether a job what ("destroy") is queued or running on d. */
bool qemud_job_pending(const struct domain_obj *d, const char *what);
