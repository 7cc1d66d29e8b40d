/* define, undefine, autostart: the persistent side of domains. */
#include "config.h"

#include "argv.h"
#include "domain-store.h"
#include "handlers.h"
#include "log.h"

/* A definition sepvirt cannot run is refused when it is defined, naming what is wrong,
 * not later at start. */
static int check_runnable(const struct domain_def *def, struct sv_error *err)
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
	Sepvirt__DomainSummary out = SEPVIRT__DOMAIN_SUMMARY__INIT;
	struct domain_def *def = NULL, *old_def;
	struct qemud_domain *d, *by_name;
	char uuid[SV_UUID_STRING_LEN];
	int r;

	r = domain_def_parse(in->xml, strlen(in->xml), DOMAIN_PARSE_INACTIVE, &def, err);
	if (r >= 0)
		r = check_runnable(def, err);
	if (r < 0) {
		domain_def_free(def);
		return r;
	}
	sv_uuid_format(def->uuid, uuid);
	d = qemud_domain_find_uuid(uuid);
	by_name = qemud_domain_find_name(def->name);
	if (by_name && by_name != d) {
		r = sv_error_set(err, SV_FROM_QEMU, SV_ERR_EXISTS, EEXIST,
				 "operation failed: domain '%s' already exists with uuid %s", def->name, by_name->uuid);
		domain_def_free(def);
		return r;
	}
	if (d && !streq(qemud_domain_name(d), def->name)) {
		r = sv_error_set(err, SV_FROM_QEMU, SV_ERR_EXISTS, EEXIST,
				 "operation failed: domain '%s' is already defined with uuid %s",
				 qemud_domain_name(d), uuid);
		domain_def_free(def);
		return r;
	}
	if (!d) {
		d = qemud_domain_add(def);
		old_def = NULL;
	} else {
		/* A running domain keeps what it runs; the new definition applies at next start. */
		old_def = d->def;
		d->def = def;
	}
	r = qemud_domain_save_config(d, err);
	if (r < 0) {
		if (old_def || qemud_domain_active(d)) {
			d->def = old_def;
			domain_def_free(def);
		} else {
			qemud_domain_remove(d);
		}
		return r;
	}
	domain_def_free(old_def);
	log_info("domain '%s' defined", def->name);
	qemud_fill_summary(d, &out);
	rpc_reply_pack(reply, &out.base);
	return 0;
}

QEMUD_HANDLER(qemud_handle_undefine)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	struct qemud_domain *d = qemud_domain_lookup(in->domain, err);

	if (!d)
		return -ENOENT;
	if (!d->def)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: cannot undefine transient domain");
	qemud_domain_delete_config(d->def->name);
	log_info("domain '%s' undefined", d->def->name);
	d->autostart = false;
	domain_def_free(d->def);
	d->def = NULL;
	/* A running domain goes on as a transient one until it stops. */
	if (!qemud_domain_active(d))
		qemud_domain_remove(d);
	return 0;
}

QEMUD_HANDLER(qemud_handle_set_autostart)
{
	const Sepvirt__DomainAutostartRequest *in = (const Sepvirt__DomainAutostartRequest *)msg;
	struct qemud_domain *d = qemud_domain_lookup(in->domain, err);
	int r;

	if (!d)
		return -ENOENT;
	if (!d->def)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: cannot set autostart for transient domain");
	r = qemud_domain_set_autostart_file(d->def->name, in->enable, err);
	if (r >= 0)
		d->autostart = in->enable;
	return r;
}
