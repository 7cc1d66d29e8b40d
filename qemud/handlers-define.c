/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* define, undefine, autostart: the persistent side of domains. */
#include "config.h"

#include "argv.h"
#include "domain-handlers.h"
#include "firmware.h"
#include "handlers.h"
#include "lifecycle.h"
#include "log.h"

static int check_type(const struct domain_def *def, struct sv_error *err)
{
	if (def->type != DOMAIN_VIRT_KVM && def->type != DOMAIN_VIRT_QEMU)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "domain type '%s' is not served by sepvirt-qemud (kvm and qemu are)",
				    domain_virt_type_to_string(def->type));
	return 0;
}

static int dry_run(const struct domain_def *def, struct command **out, struct sv_error *err)
{
	struct qemud_argv_fds fds = { .qmp_listen = -1, .loader = -1, .nvram = -1, .dry_run = true };
	_cleanup_free_ int *taps = xmalloc((def->ninterfaces + 1) * sizeof(int));
	_cleanup_domain_def_ struct domain_def *resolved = NULL;
	int r;

	for (size_t i = 0; i < def->ninterfaces; i++)
		taps[i] = -1;
	fds.taps = taps;
	/* the firmware as start will resolve it (the definition keeps what was given) */
	if ((r = domain_def_copy(def, &resolved, err)) < 0 ||
	    (r = qemud_firmware_resolve(resolved, QEMUD_FIRMWARE_DESCRIPTORS, qemud.nvram_dir, err)) < 0)
		return r;
	return qemud_argv_build(resolved, def->emulator ? def->emulator : QEMU_SYSTEM_DEFAULT, &fds, out, err);
}

/* A definition sepvirt cannot run is refused when it is defined, naming what is wrong,
 * not later at start. */
int qemud_check_runnable(const struct domain_def *def, struct sv_error *err)
{
	_cleanup_command_ struct command *cmd = NULL;
	int r = check_type(def, err);

	return r < 0 ? r : dry_run(def, &cmd, err);
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

/* A domain's NVRAM copy goes with its definition (virsh's undefine --nvram): a domain defined
 * later under the same name must not boot with its variables. */
QEMUD_HANDLER(qemud_handle_undefine)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	struct domain_obj *d = domain_store_lookup(&qemud.store, in->domain, err);
	_cleanup_free_ char *name = d ? xstrdup(domain_obj_name(d)) : NULL;
	struct sv_error e2;
	int r;

	if (!d)
		return -ENOENT;
	r = domain_handle_undefine(req, msg, reply, err);
	if (r >= 0 && qemud_firmware_remove_nvram(qemud.nvram_dir, name, &e2) < 0)
		log_warn("domain '%s' undefined, but its NVRAM stays: %s", name, e2.message);
	return r;
}

/* virsh domxml-to-native qemu-argv: the command line start would run, fds as numbers from 3 on
 * (what each is stands in its -add-fd opaque), never run or kept. */
QEMUD_HANDLER(qemud_handle_xml_to_native)
{
	const Sepvirt__DomainXmlToNativeRequest *in = (const Sepvirt__DomainXmlToNativeRequest *)msg;
	Sepvirt__DomainXmlReply out = SEPVIRT__DOMAIN_XML_REPLY__INIT;
	_cleanup_domain_def_ struct domain_def *def = NULL;
	_cleanup_command_ struct command *cmd = NULL;
	_cleanup_free_ char *line = NULL;
	int r;

	if (!in->format || !streq(in->format, "qemu-argv"))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL,
				    "unsupported config type %s", in->format ? in->format : "");
	r = domain_def_parse(in->xml, strlen(in->xml), DOMAIN_PARSE_INACTIVE, &def, err);
	if (r >= 0)
		r = check_type(def, err);
	if (r >= 0)
		r = dry_run(def, &cmd, err);
	if (r < 0)
		return r;
	line = command_to_line(cmd);
	out.xml = line;
	rpc_reply_pack(reply, &out.base);
	return 0;
}
