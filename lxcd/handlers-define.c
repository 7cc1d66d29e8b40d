/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* define, create, console and info: what needs lxcd (libshared/domain-handlers.c has the rest). */
#include "config.h"

#include "console.h"
#include "handlers.h"
#include "launch.h"
#include "lifecycle.h"

/* What lxcd cannot run is refused at define, naming what is wrong, not at start. */
LXCD_HANDLER(lxcd_handle_define)
{
	const Sepvirt__DomainDefineRequest *in = (const Sepvirt__DomainDefineRequest *)msg;
	(void)req;

	return domain_store_handle_define(&lxcd.store, in->xml, lxcd_launch_check, NULL, reply, err);
}

LXCD_HANDLER(lxcd_handle_create)
{
	const Sepvirt__DomainDefineRequest *in = (const Sepvirt__DomainDefineRequest *)msg;
	struct domain_job *j;
	struct domain_obj *d;
	int r = domain_store_prepare_create(&lxcd.store, in->xml, lxcd_launch_check, &d, err);

	(void)reply;
	if (r < 0)
		return r;
	r = domain_job_submit(d, "create", lxcd_job_start, req, &j);
	j->create = true;
	j->reply_summary = true;
	return r;
}

LXCD_HANDLER(lxcd_handle_get_info)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	Sepvirt__DomainInfoReply out = SEPVIRT__DOMAIN_INFO_REPLY__INIT;
	Sepvirt__DomainSummary sum = SEPVIRT__DOMAIN_SUMMARY__INIT;
	struct domain_obj *d = domain_store_lookup(&lxcd.store, in->domain, err);
	const struct domain_def *def;
	unsigned long long used;
	(void)req;

	if (!d)
		return -ENOENT;
	def = domain_obj_cur(d);
	domain_obj_fill_summary(d, &sum);
	out.summary = &sum;
	out.os_type = (char *)"exe";
	out.max_memory_kib = def->memory_kib;
	used = lxcd_domain_memory_used(d) / 1024;
	out.memory_kib = domain_obj_active(d) && used ? used : def->current_memory_kib;
	out.vcpus = def->vcpus;
	out.cpu_time_ns = lxcd_domain_cpu_time(d);
	out.security_model = (char *)"none";
	rpc_reply_pack(reply, &out.base);
	return 0;
}

/* The console: a connection to the container's console relay (lxcd/console.h). */
LXCD_HANDLER(lxcd_handle_open_console)
{
	const Sepvirt__DomainConsoleRequest *in = (const Sepvirt__DomainConsoleRequest *)msg;
	struct domain_obj *d = domain_store_lookup(&lxcd.store, in->domain, err);
	_cleanup_free_ char *log_path = NULL;
	int fd, r;
	(void)req;

	if (!d)
		return -ENOENT;
	if (!domain_obj_active(d))
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: domain is not running");
	if (in->dev_name[0] && !streq(in->dev_name, "console0"))
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_INVALID_ARG, ENODEV,
				    "domain '%s' has no character device '%s' (a container has console0)",
				    domain_obj_name(d), in->dev_name);
	log_path = xasprintf("%s/%s.log", lxcd.state_dir, domain_obj_name(d));
	r = lxcd_console_connect(log_path, &fd, err);
	if (r < 0)
		return r;
	Sepvirt__DomainConsoleReply out = SEPVIRT__DOMAIN_CONSOLE_REPLY__INIT;
	out.path = log_path;
	rpc_reply_pack(reply, &out.base);
	return rpc_reply_add_fd(reply, fd);
}
