/* start, shutdown, destroy, reboot, suspend, resume. */
#include "config.h"

#include "handlers.h"
#include "lifecycle.h"

typedef int (*action_fn)(struct domain_obj *d, struct sv_error *err);

static int on_domain(const ProtobufCMessage *msg, action_fn fn, struct sv_error *err)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);

	return d ? fn(d, err) : -ENOENT;
}

QEMUD_HANDLER(qemud_handle_start) { return on_domain(msg, qemud_domain_start, err); }
QEMUD_HANDLER(qemud_handle_shutdown) { return on_domain(msg, qemud_domain_shutdown, err); }
QEMUD_HANDLER(qemud_handle_destroy) { return on_domain(msg, qemud_domain_destroy, err); }
QEMUD_HANDLER(qemud_handle_reboot) { return on_domain(msg, qemud_domain_reboot, err); }
QEMUD_HANDLER(qemud_handle_suspend) { return on_domain(msg, qemud_domain_suspend, err); }
QEMUD_HANDLER(qemud_handle_resume) { return on_domain(msg, qemud_domain_resume, err); }
