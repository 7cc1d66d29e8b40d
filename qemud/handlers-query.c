/* The read-only procedures: list, lookup, XML, state, info, interfaces. */
#include "config.h"

#include <stdio.h>

#include "domain-state.h"
#include "domain-store.h"
#include "handlers.h"
#include "lifecycle.h"

void qemud_fill_summary(const struct qemud_domain *d, Sepvirt__DomainSummary *s)
{
	s->id = d->id;
	s->name = (char *)qemud_domain_name(d);
	s->uuid = (char *)d->uuid;
	s->state = (uint32_t)d->state;
	s->reason = (uint32_t)d->reason;
	s->autostart = d->autostart;
	s->persistent = d->def != NULL;
}

/* virsh's order: running domains by id, then the others by name. */
static int cmp_domains(const void *a, const void *b)
{
	const struct qemud_domain *x = *(struct qemud_domain *const *)a, *y = *(struct qemud_domain *const *)b;

	if (qemud_domain_active(x) != qemud_domain_active(y))
		return qemud_domain_active(x) ? -1 : 1;
	if (qemud_domain_active(x))
		return x->id - y->id;
	return strcmp(qemud_domain_name(x), qemud_domain_name(y));
}

QEMUD_HANDLER(qemud_handle_list)
{
	const Sepvirt__DomainListRequest *in = (const Sepvirt__DomainListRequest *)msg;
	Sepvirt__DomainListReply out = SEPVIRT__DOMAIN_LIST_REPLY__INIT;
	_cleanup_free_ struct qemud_domain **sorted = xmalloc((qemud.ndoms + 1) * sizeof(*sorted));
	_cleanup_free_ Sepvirt__DomainSummary *sums = xcalloc(qemud.ndoms + 1, sizeof(*sums));
	_cleanup_free_ Sepvirt__DomainSummary **ptrs = xcalloc(qemud.ndoms + 1, sizeof(*ptrs));
	size_t n = 0;

	for (size_t i = 0; i < qemud.ndoms; i++)
		if (in->all || qemud_domain_active(qemud.doms[i]))
			sorted[n++] = qemud.doms[i];
	qsort(sorted, n, sizeof(*sorted), cmp_domains);
	for (size_t i = 0; i < n; i++) {
		sepvirt__domain_summary__init(&sums[i]);
		qemud_fill_summary(sorted[i], &sums[i]);
		ptrs[i] = &sums[i];
	}
	out.n_domains = n;
	out.domains = ptrs;
	rpc_reply_pack(reply, &out.base);
	return 0;
}

/* A handler on one domain that answers with its summary. */
static int reply_summary(const Sepvirt__DomainRef *in, struct rpc_reply *reply, struct sv_error *err)
{
	Sepvirt__DomainSummary out = SEPVIRT__DOMAIN_SUMMARY__INIT;
	struct qemud_domain *d = qemud_domain_lookup(in->domain, err);

	if (!d)
		return -ENOENT;
	qemud_fill_summary(d, &out);
	rpc_reply_pack(reply, &out.base);
	return 0;
}

QEMUD_HANDLER(qemud_handle_lookup) { return reply_summary((const Sepvirt__DomainRef *)msg, reply, err); }
QEMUD_HANDLER(qemud_handle_get_state) { return reply_summary((const Sepvirt__DomainRef *)msg, reply, err); }

QEMUD_HANDLER(qemud_handle_get_xml)
{
	const Sepvirt__DomainFlagsRequest *in = (const Sepvirt__DomainFlagsRequest *)msg;
	Sepvirt__DomainXmlReply out = SEPVIRT__DOMAIN_XML_REPLY__INIT;
	struct qemud_domain *d = qemud_domain_lookup(in->domain, err);
	bool inactive = in->flags & 1;
	_cleanup_free_ char *xml = NULL, *with_id = NULL;
	const char *tag_end;
	int r;

	if (!d)
		return -ENOENT;
	if (inactive && d->def)
		r = domain_def_format(d->def, DOMAIN_FORMAT_INACTIVE, &xml, err);
	else
		r = domain_def_format(qemud_domain_cur(d), d->live ? 0 : DOMAIN_FORMAT_INACTIVE, &xml, err);
	if (r < 0)
		return r;
	/* A running domain's XML carries its id as an attribute of <domain>, as libvirt's does. */
	if (d->live && !inactive && startswith(xml, "<domain") && (tag_end = strchr(xml, '>'))) {
		size_t head = (size_t)(tag_end - xml);
		with_id = xasprintf("%.*s id='%d'%s", (int)head, xml, d->id, tag_end);
	}
	out.xml = with_id ? with_id : xml;
	rpc_reply_pack(reply, &out.base);
	return 0;
}

QEMUD_HANDLER(qemud_handle_get_info)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	Sepvirt__DomainInfoReply out = SEPVIRT__DOMAIN_INFO_REPLY__INIT;
	Sepvirt__DomainSummary sum = SEPVIRT__DOMAIN_SUMMARY__INIT;
	struct qemud_domain *d = qemud_domain_lookup(in->domain, err);
	const struct domain_def *def;

	if (!d)
		return -ENOENT;
	def = qemud_domain_cur(d);
	qemud_fill_summary(d, &sum);
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
	struct qemud_domain *d = qemud_domain_lookup(in->domain, err);
	const struct domain_def *def;
	_cleanup_free_ Sepvirt__DomainInterface *ifs = NULL;
	_cleanup_free_ Sepvirt__DomainInterface **ptrs = NULL;
	_cleanup_free_ char *macs = NULL;

	if (!d)
		return -ENOENT;
	def = qemud_domain_cur(d);
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
