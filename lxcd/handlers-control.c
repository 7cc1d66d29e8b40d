/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* start, shutdown, destroy, suspend, resume: each looks the domain up and hands it to lifecycle.c. */
#include "config.h"

#include "handlers.h"
#include "lifecycle.h"

static int control(const ProtobufCMessage *msg, struct rpc_reply *reply, struct sv_error *err,
		   int (*fn)(struct domain_obj *d, struct sv_error *err), bool need_def)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	Sepvirt__DomainSummary out = SEPVIRT__DOMAIN_SUMMARY__INIT;
	struct domain_obj *d = domain_store_lookup(&lxcd.store, in->domain, err);
	bool may_vanish;
	int r;

	if (!d)
		return -ENOENT;
	/* a transient domain is gone once destroyed */
	may_vanish = !d->def && fn == lxcd_domain_destroy;
	if (need_def && !d->def)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: domain is transient");
	r = fn(d, err);
	if (r < 0)
		return r;
	if (!may_vanish) {
		domain_obj_fill_summary(d, &out);
		rpc_reply_pack(reply, &out.base);
	}
	return 0;
}

LXCD_HANDLER(lxcd_handle_start) { (void)req; return control(msg, reply, err, lxcd_domain_start, true); }
LXCD_HANDLER(lxcd_handle_shutdown) { (void)req; return control(msg, reply, err, lxcd_domain_shutdown, false); }
LXCD_HANDLER(lxcd_handle_destroy) { (void)req; return control(msg, reply, err, lxcd_domain_destroy, false); }
LXCD_HANDLER(lxcd_handle_suspend) { (void)req; return control(msg, reply, err, lxcd_domain_suspend, false); }
LXCD_HANDLER(lxcd_handle_resume) { (void)req; return control(msg, reply, err, lxcd_domain_resume, false); }
