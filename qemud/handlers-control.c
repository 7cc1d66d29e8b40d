/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* start, shutdown, destroy, reboot, suspend, resume: each a job of its domain, answered when it
 * ends. */
#include "config.h"

#include "handlers.h"
#include "lifecycle.h"
#include "log.h"
#include "run.h"

static int on_domain(struct rpc_request *req, const ProtobufCMessage *msg, const char *what, domain_job_fn fn,
		     struct sv_error *err)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);

	return d ? domain_job_submit(d, what, fn, req, NULL) : -ENOENT;
}

QEMUD_HANDLER(qemud_handle_start)
{
	const Sepvirt__DomainFlagsRequest *in = (const Sepvirt__DomainFlagsRequest *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	struct domain_job *j;

	if (!d)
		return -ENOENT;
	if (in->flags & ~(QEMUD_START_PAUSED | QEMUD_START_AUTODESTROY))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL, "unsupported start flags 0x%x",
				    in->flags & ~(QEMUD_START_PAUSED | QEMUD_START_AUTODESTROY));
	if ((in->flags & QEMUD_START_AUTODESTROY) && !req->caller.client)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: autodestroy needs a client connection through "
				    "sepvirt-proxyd (this call has none)");
	domain_job_submit(d, "start", qemud_job_start, req, &j);
	j->flags = in->flags;
	j->client = req->caller.client;
	return 0;
}
QEMUD_HANDLER(qemud_handle_shutdown) { return on_domain(req, msg, "shutdown", qemud_job_shutdown, err); }
/* destroy does not queue behind a job that waits on QEMU (a stopped QEMU, a stalled disk): as
 * libvirt's, it kills QEMU at once, and the job that waited fails saying so. Only while QEMU runs,
 * and one destroy at a time. */
static int submit_destroy(struct domain_obj *d, struct rpc_request *req)
{
	if (domain_job_active(d) && d->priv && qemud_run_of(d)->pidfd >= 0 && !domain_job_pending(d, "destroy"))
		return domain_job_submit_now(d, "destroy", qemud_job_destroy, req);
	return domain_job_submit(d, "destroy", qemud_job_destroy, req, NULL);
}

QEMUD_HANDLER(qemud_handle_destroy)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);

	return d ? submit_destroy(d, req) : -ENOENT;
}
/* proxyd: a client's connection closed; the domains it started with autodestroy are destroyed,
 * as libvirt does when the connection that started them closes. */
QEMUD_HANDLER(qemud_handle_client_closed)
{
	const Sepvirt__ClientClosedRequest *in = (const Sepvirt__ClientClosedRequest *)msg;

	for (size_t i = 0; in->client && i < qemud.store.ndoms; i++) {
		struct domain_obj *d = qemud.store.doms[i];
		if (!domain_obj_active(d) || !d->priv || qemud_run_of(d)->autodestroy != in->client ||
		    domain_job_pending(d, "destroy"))
			continue;
		log_info("domain '%s': destroyed, the client that started it with autodestroy is gone",
			 domain_obj_name(d));
		qemud_run_of(d)->autodestroy = 0;
		submit_destroy(d, NULL);
	}
	return 0;
}
QEMUD_HANDLER(qemud_handle_reboot) { return on_domain(req, msg, "reboot", qemud_job_reboot, err); }
QEMUD_HANDLER(qemud_handle_suspend) { return on_domain(req, msg, "suspend", qemud_job_suspend, err); }
QEMUD_HANDLER(qemud_handle_resume) { return on_domain(req, msg, "resume", qemud_job_resume, err); }
QEMUD_HANDLER(qemud_handle_reset) { return on_domain(req, msg, "reset", qemud_job_reset, err); }
