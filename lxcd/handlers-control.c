/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* start, shutdown, destroy, suspend, resume: each a job of its container (domain-job.h), answered
 * with the domain's summary when it ends: calls on one container queue behind its start, calls
 * on others and list never wait for it. */
#include "config.h"

#include "handlers.h"
#include "lifecycle.h"

/* The calls that end at once (a signal, the freezer) are jobs too: they wait for a start. */
static void now_job(struct domain_job *j, int (*fn)(struct domain_obj *d, struct sv_error *err))
{
	struct domain_obj *d = domain_job_domain(j);
	struct sv_error err;

	if (!d)
		return domain_job_done(j, sv_error_set(&err, SV_FROM_LXC, SV_ERR_NO_DOMAIN, ENOENT,
						       "Domain not found: domain '%s' went away", j->name), &err);
	domain_job_done(j, fn(d, &err), &err);
}

static void shutdown_job(struct domain_job *j) { now_job(j, lxcd_domain_shutdown); }
static void destroy_job(struct domain_job *j) { now_job(j, lxcd_domain_destroy); }
static void suspend_job(struct domain_job *j) { now_job(j, lxcd_domain_suspend); }
static void resume_job(struct domain_job *j) { now_job(j, lxcd_domain_resume); }

static int control(struct rpc_request *req, const ProtobufCMessage *msg, struct sv_error *err, const char *what,
		   domain_job_fn fn, bool need_def)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	struct domain_obj *d = domain_store_lookup(&lxcd.store, in->domain, err);
	struct domain_job *j;
	int r;

	if (!d)
		return -ENOENT;
	if (need_def && !d->def)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: domain is transient");
	/* a transient domain is gone once destroyed: then the answer carries no summary */
	r = domain_job_submit(d, what, fn, req, &j);
	j->reply_summary = true;
	return r;
}

LXCD_HANDLER(lxcd_handle_start)
{
	const Sepvirt__DomainFlagsRequest *in = (const Sepvirt__DomainFlagsRequest *)msg;
	Sepvirt__DomainRef ref = SEPVIRT__DOMAIN_REF__INIT;

	(void)reply;
	if (in->flags)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_NOT_SUPPORTED, EINVAL,
				    "start flags 0x%x (--paused) are not supported for containers", in->flags);
	ref.domain = in->domain;
	return control(req, &ref.base, err, "start", lxcd_job_start, true);
}
LXCD_HANDLER(lxcd_handle_shutdown) { (void)reply; return control(req, msg, err, "shutdown", shutdown_job, false); }
LXCD_HANDLER(lxcd_handle_destroy) { (void)reply; return control(req, msg, err, "destroy", destroy_job, false); }
LXCD_HANDLER(lxcd_handle_suspend) { (void)reply; return control(req, msg, err, "suspend", suspend_job, false); }
LXCD_HANDLER(lxcd_handle_resume) { (void)reply; return control(req, msg, err, "resume", resume_job, false); }
