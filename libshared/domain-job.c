/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "domain-job.h"
#include "log.h"

/* Every job, queued or running, oldest first. A handful at a time: a list is enough. */
static struct domain_job *jobs;
static unsigned long long next_id = 1;
static bool stopping;
/* The daemon's: set by domain_jobs_init. */
static struct evloop *loop;
static struct domain_store *store;
static int error_domain;

int64_t domain_job_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void domain_jobs_init(struct evloop *l, struct domain_store *s, int domain)
{
	loop = l;
	store = s;
	error_domain = domain;
	stopping = false;
}

static void job_free(struct domain_job *j)
{
	if (j->timer)
		evwatch_remove(j->timer);
	if (j->state_free)
		j->state_free(j->state);
	free(j->name);
	free(j);
}

static void start_job(struct domain_job *j);

static void kick(const char *uuid)
{
	if (stopping)
		return;
	for (struct domain_job *j = jobs; j; j = j->next)
		if (streq(j->uuid, uuid)) {
			if (!j->running)
				start_job(j);
			return;
		}
}

static void kick_deferred(void *p)
{
	char *uuid = p;

	kick(uuid);
	free(uuid);
}

static struct domain_job *job_new(struct domain_obj *d, const char *what, domain_job_fn run, struct rpc_request *req)
{
	struct domain_job *j = xcalloc(1, sizeof(*j));

	j->id = next_id++;
	snprintf(j->uuid, sizeof(j->uuid), "%s", d->uuid);
	j->name = xstrdup(domain_obj_name(d));
	j->what = what;
	j->run = run;
	j->pending = req ? rpc_request_defer(req) : NULL;
	j->queued_ms = domain_job_now_ms();
	return j;
}

static void start_job(struct domain_job *j)
{
	j->running = true;
	j->started_ms = domain_job_now_ms();
	log_debug("domain '%s': job %s starts (queued %lld ms)", j->name, j->what,
		  (long long)(j->started_ms - j->queued_ms));
	j->run(j);
}

int domain_job_submit(struct domain_obj *d, const char *what, domain_job_fn run, struct rpc_request *req,
		     struct domain_job **out)
{
	struct domain_job *j = job_new(d, what, run, req), **tail;

	for (tail = &jobs; *tail; tail = &(*tail)->next)
		;
	*tail = j;
	if (out)
		*out = j;
	/* From the loop's end: the caller finishes setting the job up first. */
	evloop_defer_free(loop, kick_deferred, xstrdup(j->uuid));
	return 0;
}

static void start_now_deferred(void *id)
{
	struct domain_job *j = domain_job_find(id);

	if (j && !j->running)
		start_job(j);
}

int domain_job_submit_now(struct domain_obj *d, const char *what, domain_job_fn run, struct rpc_request *req)
{
	struct domain_job *j = job_new(d, what, run, req), **pos;

	/* First of its domain's jobs: those queued start after it, as after any job. */
	for (pos = &jobs; *pos && !streq((*pos)->uuid, j->uuid); pos = &(*pos)->next)
		;
	j->next = *pos;
	*pos = j;
	evloop_defer_free(loop, start_now_deferred, domain_job_ref(j));
	return 0;
}

struct domain_obj *domain_job_domain(const struct domain_job *j)
{
	return domain_store_find_uuid(store, j->uuid);
}

void domain_job_done(struct domain_job *j, int r, const struct sv_error *err)
{
	domain_job_done_msg(j, r, err, NULL);
}

void domain_job_done_msg(struct domain_job *j, int r, const struct sv_error *err, const ProtobufCMessage *msg)
{
	struct rpc_reply reply = { .env = SEPVIRT__ENVELOPE__INIT };
	struct sv_error fallback;

	for (struct domain_job **p = &jobs; *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			break;
		}
	if (j->timer)
		evwatch_remove(j->timer);
	j->timer = NULL;
	if (r < 0 && (!err || !err->message[0])) {
		sv_error_set_errno(&fallback, error_domain, SV_ERR_INTERNAL, -r, "domain '%s': %s failed", j->name,
				   j->what);
		err = &fallback;
	}
	if (r < 0 && !j->pending)
		log_error("domain '%s': %s failed: %s", j->name, j->what, err->message);
	if (j->pending) {
		if (r < 0) {
			rpc_pending_fail(j->pending, err);
		} else {
			struct domain_obj *d = domain_job_domain(j);
			Sepvirt__DomainSummary out = SEPVIRT__DOMAIN_SUMMARY__INIT;
			if (msg) {
				rpc_reply_pack(&reply, msg);
			} else if (j->reply_summary && d) {
				domain_obj_fill_summary(d, &out);
				rpc_reply_pack(&reply, &out.base);
			}
			rpc_pending_reply(j->pending, &reply);
		}
	}
	log_debug("domain '%s': job %s done in %lld ms", j->name, j->what,
		  (long long)(domain_job_now_ms() - j->started_ms));
	evloop_defer_free(loop, kick_deferred, xstrdup(j->uuid));
	job_free(j);
}

const struct domain_job *domain_job_active(const struct domain_obj *d)
{
	for (struct domain_job *j = jobs; j; j = j->next)
		if (j->running && streq(j->uuid, d->uuid))
			return j;
	return NULL;
}

size_t domain_job_count(const struct domain_obj *d)
{
	size_t n = 0;

	for (struct domain_job *j = jobs; j; j = j->next)
		n += streq(j->uuid, d->uuid);
	return n;
}

bool domain_job_pending(const struct domain_obj *d, const char *what)
{
	for (struct domain_job *j = jobs; j; j = j->next)
		if (streq(j->uuid, d->uuid) && streq(j->what, what))
			return true;
	return false;
}

struct domain_job *domain_job_find(void *id)
{
	for (struct domain_job *j = jobs; j && !stopping; j = j->next)
		if (j->id == (uintptr_t)id)
			return j;
	return NULL;
}

void domain_jobs_fini(void)
{
	struct sv_error err;

	stopping = true;
	sv_error_set(&err, error_domain, SV_ERR_OPERATION_FAILED, ESHUTDOWN, "the daemon is stopping");
	while (jobs) {
		struct domain_job *j = jobs;
		jobs = j->next;
		if (j->pending)
			rpc_pending_fail(j->pending, &err);
		job_free(j);
	}
}
