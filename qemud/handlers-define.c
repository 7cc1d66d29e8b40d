/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* define, undefine, autostart: the persistent side of domains. */
#include "config.h"

#include "argv.h"
#include "handlers.h"
#include "lifecycle.h"

/* A definition sepvirt cannot run is refused when it is defined, naming what is wrong,
 * not later at start. */
int qemud_check_runnable(const struct domain_def *def, struct sv_error *err)
{
	struct qemud_argv_fds fds = { .qmp_listen = -1, .dry_run = true };
	_cleanup_command_ struct command *cmd = NULL;
	_cleanup_free_ int *taps = xmalloc((def->ninterfaces + 1) * sizeof(int));

	if (def->type != DOMAIN_VIRT_KVM && def->type != DOMAIN_VIRT_QEMU)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "domain type '%s' is not served by sepvirt-qemud (kvm and qemu are)",
				    domain_virt_type_to_string(def->type));
	for (size_t i = 0; i < def->ninterfaces; i++)
		taps[i] = -1;
	fds.taps = taps;
	return qemud_argv_build(def, def->emulator ? def->emulator : QEMU_SYSTEM_DEFAULT, &fds, &cmd, err);
}

QEMUD_HANDLER(qemud_handle_define)
{
	const Sepvirt__DomainDefineRequest *in = (const Sepvirt__DomainDefineRequest *)msg;
	int r = domain_store_handle_define(&qemud.store, in->xml, qemud_check_runnable, NULL, reply, err);

	/* Reported once the definition is on disk: its directory's fsync is shared with the
	 * other defines and undefines of this turn of the loop. */
	if (r >= 0)
		domain_store_reply_durable(&qemud.store, req, reply);
	return r;
}

QEMUD_HANDLER(qemud_handle_create)
{
	const Sepvirt__DomainDefineRequest *in = (const Sepvirt__DomainDefineRequest *)msg;

	struct domain_job *j;
	struct domain_obj *d;
	int r = domain_store_prepare_create(&qemud.store, in->xml, qemud_check_runnable, &d, err);

	if (r < 0)
		return r;
	r = domain_job_submit(d, "create", qemud_job_start, req, &j);
	j->create = true;
	j->reply_summary = true;
	return r;
}
