/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-domain jobs, for a driver daemon (qemud, lxcd): every call that waits on another process
 * (QEMU, netd, storaged, a spawner, a container's init) runs as a job of its domain, and its RPC
 * reply is sent when the job ends, from the loop. Jobs of one domain run one after the other
 * (queued in the order they came, as libvirt's job lock orders them); jobs of different domains
 * and the calls that read the daemon's own state (list, lookup, dominfo, domstate, domcontrol)
 * never wait for each other. A job names its domain by UUID: a domain that went away while the
 * job waited fails it. One queue per process (domain_jobs_init). */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "domain-store.h"
#include "server.h"

struct domain_job;
typedef void (*domain_job_fn)(struct domain_job *j);

struct domain_job {
	unsigned long long id;       /* callbacks carry the id, never the pointer: see domain_job_find */
	char uuid[SV_UUID_STRING_LEN];
	char *name;                  /* the domain's name when queued, for messages */
	const char *what;            /* "start", "suspend" ... */
	domain_job_fn run;
	struct rpc_pending *pending; /* who waits for the reply; NULL: nobody (autostart, re-attach) */
	bool reply_summary;          /* the reply is the domain's summary (create, start) */
	bool create;                 /* starts a transient domain: removed when the start fails */
	unsigned flags;              /* the call's own (start: paused) */
	unsigned long long client;   /* the caller's connection through proxyd (0: none) */
	int64_t queued_ms, started_ms;
	bool running;
	/* What the job's steps keep between callbacks. */
	struct evwatch *timer;       /* removed at the end */
	void *state;                 /* freed with state_free at the end */
	void (*state_free)(void *state);
	struct domain_job *next;
};

/* The loop the jobs run from, the store their domains are in, the error domain of the daemon. */
void domain_jobs_init(struct evloop *loop, struct domain_store *store, int error_domain);
/* Queues run as a job of d. With req, the call is kept (rpc_request_defer) and answered when the
 * job ends: the handler then returns 0. Without, the result is logged. */
int domain_job_submit(struct domain_obj *d, const char *what, domain_job_fn run, struct rpc_request *req,
		      struct domain_job **out);
/* Runs run as a job of d at once, even while another job of d runs, ahead of those queued: only
 * destroy does this (as libvirt's destroy, it does not wait for a job stuck on QEMU: it kills
 * QEMU, which ends that job). */
int domain_job_submit_now(struct domain_obj *d, const char *what, domain_job_fn run, struct rpc_request *req);
/* The job's domain now, or NULL (then the job must end). */
struct domain_obj *domain_job_domain(const struct domain_job *j);
/* Ends the job: replies (r >= 0) or fails the call with err, and lets the domain's next job run
 * (from the loop's end, never from inside this call). */
void domain_job_done(struct domain_job *j, int r, const struct sv_error *err);
/* The same, the reply (r >= 0) being msg, packed here (the caller keeps it). */
void domain_job_done_msg(struct domain_job *j, int r, const struct sv_error *err, const ProtobufCMessage *msg);
/* The job with this id, or NULL when it ended (or the daemon is stopping): a callback that comes
 * after its job (a QMP reply after the job timed out) finds nothing and does nothing. */
struct domain_job *domain_job_find(void *id);
static inline void *domain_job_ref(const struct domain_job *j) { return (void *)(uintptr_t)j->id; }
/* The daemon stops: every job ends, its caller told so. */
void domain_jobs_fini(void);
/* The job running on d, or NULL. */
const struct domain_job *domain_job_active(const struct domain_obj *d);
/* Jobs queued or running on d. */
size_t domain_job_count(const struct domain_obj *d);
/* Whether a job what ("destroy") is queued or running on d. */
bool domain_job_pending(const struct domain_obj *d, const char *what);
/* Monotonic milliseconds. */
int64_t domain_job_now_ms(void);
