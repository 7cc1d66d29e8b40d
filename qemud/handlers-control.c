/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* start, shutdown, destroy, reboot, suspend, resume: each a job of its domain, answered when it
 * ends. */
#include "config.h"

#include "handlers.h"
#include "lifecycle.h"

static int on_domain(struct rpc_request *req, const ProtobufCMessage *msg, const char *what, qemud_job_fn fn,
		     struct sv_error *err)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);

	return d ? qemud_job_submit(d, what, fn, req, NULL) : -ENOENT;
}

QEMUD_HANDLER(qemud_handle_start) { return on_domain(req, msg, "start", qemud_job_start, err); }
QEMUD_HANDLER(qemud_handle_shutdown) { return on_domain(req, msg, "shutdown", qemud_job_shutdown, err); }
QEMUD_HANDLER(qemud_handle_destroy) { return on_domain(req, msg, "destroy", qemud_job_destroy, err); }
QEMUD_HANDLER(qemud_handle_reboot) { return on_domain(req, msg, "reboot", qemud_job_reboot, err); }
QEMUD_HANDLER(qemud_handle_suspend) { return on_domain(req, msg, "suspend", qemud_job_suspend, err); }
QEMUD_HANDLER(qemud_handle_resume) { return on_domain(req, msg, "resume", qemud_job_resume, err); }
