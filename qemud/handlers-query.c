/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The read-only procedures that need qemud: info and interfaces (the rest: libshared/domain-handlers.c). */
#include "config.h"

#include "handlers.h"
#include "job.h"
#include "lifecycle.h"
#include "qmp.h"
#include "run.h"

QEMUD_HANDLER(qemud_handle_get_info)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	Sepvirt__DomainInfoReply out = SEPVIRT__DOMAIN_INFO_REPLY__INIT;
	Sepvirt__DomainSummary sum = SEPVIRT__DOMAIN_SUMMARY__INIT;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	const struct domain_def *def;

	if (!d)
		return -ENOENT;
	def = domain_obj_cur(d);
	domain_obj_fill_summary(d, &sum);
	out.summary = &sum;
	out.os_type = (char *)"hvm";
	out.max_memory_kib = def->memory_kib;
	out.memory_kib = def->current_memory_kib ? def->current_memory_kib : def->memory_kib;
	out.vcpus = def->vcpus_current ? def->vcpus_current : def->vcpus;
	out.cpu_time_ns = qemud_domain_cpu_time_ns(d);
	out.security_model = (char *)"none";
	rpc_reply_pack(reply, &out.base);
	return 0;
}

QEMUD_HANDLER(qemud_handle_iflist)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	Sepvirt__DomainIfListReply out = SEPVIRT__DOMAIN_IF_LIST_REPLY__INIT;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	const struct domain_def *def;
	_cleanup_free_ Sepvirt__DomainInterface *ifs = NULL;
	_cleanup_free_ Sepvirt__DomainInterface **ptrs = NULL;
	_cleanup_free_ char *macs = NULL;

	if (!d)
		return -ENOENT;
	def = domain_obj_cur(d);
	ifs = xcalloc(def->ninterfaces + 1, sizeof(*ifs));
	ptrs = xcalloc(def->ninterfaces + 1, sizeof(*ptrs));
	macs = xcalloc(def->ninterfaces + 1, SV_MAC_STRING_LEN);
	for (size_t i = 0; i < def->ninterfaces; i++) {
		const struct domain_interface *n = &def->interfaces[i];
		char *mac = macs + i * SV_MAC_STRING_LEN;
		sepvirt__domain_interface__init(&ifs[i]);
		sv_mac_format(n->mac, mac);
		ifs[i].target = n->target_dev ? n->target_dev : (char *)"-";
		ifs[i].type = (char *)domain_net_type_to_string(n->type);
		ifs[i].source = n->source ? n->source : (char *)"-";
		ifs[i].model = n->model ? n->model : (char *)"-";
		ifs[i].mac = mac;
		ptrs[i] = &ifs[i];
	}
	out.n_interfaces = def->ninterfaces;
	out.interfaces = ptrs;
	rpc_reply_pack(reply, &out.base);
	return 0;
}

/* virsh domcontrol: from qemud's own state, so it answers while QEMU or a job is stuck. */
QEMUD_HANDLER(qemud_handle_control_info)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	Sepvirt__DomainControlInfoReply out = SEPVIRT__DOMAIN_CONTROL_INFO_REPLY__INIT;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	const struct domain_job *j;
	const struct qemud_run *run;
	_cleanup_free_ char *message = NULL;
	int64_t now = qemud_now_ms(), since = 0;
	const char *command = "";

	if (!d)
		return -ENOENT;
	j = domain_job_active(d);
	run = domain_obj_active(d) ? qemud_run_of(d) : NULL;
	out.job = j ? (char *)j->what : (char *)"";
	switch (run && run->qmp ? qemud_qmp_control(run->qmp, &since, &command) : QEMUD_QMP_OK) {
	case QEMUD_QMP_UNRESPONSIVE:
		out.state = 3;
		out.details = 1;
		message = xasprintf("QEMU's monitor has not answered '%s' for %.3f s", command,
				    (double)(now - since) / 1000);
		out.message = message;
		break;
	case QEMUD_QMP_OCCUPIED:
		out.state = 2;
		break;
	default:
		out.state = j ? 1 : 0;
		since = j ? j->started_ms : now;
		break;
	}
	out.state_time_ms = (uint64_t)(now - since);
	rpc_reply_pack(reply, &out.base);
	return 0;
}
