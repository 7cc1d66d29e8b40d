/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "domain-handlers.h"
#include "log.h"

static struct domain_store *store_of(const struct rpc_request *req)
{
	return rpc_server_userdata(req->server);
}

DOMAIN_HANDLER(domain_handle_undefine)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	struct domain_store *s = store_of(req);
	struct domain_obj *d = domain_store_lookup(s, in->domain, err);
	_cleanup_free_ char *name = NULL;
	int r;
	(void)reply;

	if (!d)
		return -ENOENT;
	name = xstrdup(domain_obj_name(d));
	r = domain_store_undefine(s, d, err);
	if (r >= 0) {
		log_info("domain '%s' undefined", name);
		domain_store_reply_durable(s, req, reply);
	}
	return r;
}

DOMAIN_HANDLER(domain_handle_set_autostart)
{
	const Sepvirt__DomainAutostartRequest *in = (const Sepvirt__DomainAutostartRequest *)msg;
	struct domain_store *s = store_of(req);
	struct domain_obj *d = domain_store_lookup(s, in->domain, err);
	int r = d ? domain_store_set_autostart(s, d, in->enable, err) : -ENOENT;

	if (r >= 0)
		domain_store_reply_durable(s, req, reply);
	return r;
}

DOMAIN_HANDLER(domain_handle_list)
{
	const Sepvirt__DomainListRequest *in = (const Sepvirt__DomainListRequest *)msg;
	(void)err;

	domain_store_pack_list(store_of(req), in->all, reply);
	return 0;
}

DOMAIN_HANDLER(domain_handle_lookup)
{
	const Sepvirt__DomainRef *in = (const Sepvirt__DomainRef *)msg;
	Sepvirt__DomainSummary out = SEPVIRT__DOMAIN_SUMMARY__INIT;
	struct domain_obj *d = domain_store_lookup(store_of(req), in->domain, err);

	if (!d)
		return -ENOENT;
	domain_obj_fill_summary(d, &out);
	rpc_reply_pack(reply, &out.base);
	return 0;
}

DOMAIN_HANDLER(domain_handle_get_xml)
{
	const Sepvirt__DomainFlagsRequest *in = (const Sepvirt__DomainFlagsRequest *)msg;
	Sepvirt__DomainXmlReply out = SEPVIRT__DOMAIN_XML_REPLY__INIT;
	struct domain_obj *d = domain_store_lookup(store_of(req), in->domain, err);
	_cleanup_free_ char *xml = NULL;
	int r;

	if (!d)
		return -ENOENT;
	r = domain_obj_format_xml(d, in->flags & 1, &xml, err);
	if (r < 0)
		return r;
	out.xml = xml;
	rpc_reply_pack(reply, &out.base);
	return 0;
}
