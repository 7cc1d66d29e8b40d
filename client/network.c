/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsepvirt: virtual networks (sepvirt-netd). */
#include "config.h"

#include <stdio.h>

#include "libsepvirt-priv.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x
#define NET SEPVIRT__PROGRAM__PROGRAM_NET

static void copy_network(sepvirt_network *o, const Sepvirt__NetworkSummary *s)
{
	memset(o, 0, sizeof(*o));
	if (!s)
		return;
	COPY_FIELD(o->name, s->name);
	COPY_FIELD(o->uuid, s->uuid);
	o->active = s->active;
	o->autostart = s->autostart;
	o->persistent = s->persistent;
	COPY_FIELD(o->bridge, s->bridge);
	COPY_FIELD(o->warning, s->warning);
}

/* One call whose reply is a NetworkSummary, copied to out when out is not NULL. */
static int summary_call(sepvirt_conn *conn, uint32_t proc, const ProtobufCMessage *req, sepvirt_network *out)
{
	_cleanup_message_ Sepvirt__NetworkSummary *rep = NULL;

	if (client_call(conn, NET, proc, req, &sepvirt__network_summary__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	if (out)
		copy_network(out, rep);
	return 0;
}

static int ref_call(sepvirt_conn *conn, uint32_t proc, const char *net, sepvirt_network *out)
{
	Sepvirt__NetworkRef req = SEPVIRT__NETWORK_REF__INIT;

	if (!net)
		return client_error(SV_ERR_INVALID_ARG, "no network given");
	req.network = (char *)net;
	return summary_call(conn, proc, &req.base, out);
}

static int xml_call(sepvirt_conn *conn, uint32_t proc, const char *xml, sepvirt_network *out)
{
	Sepvirt__NetworkDefineRequest req = SEPVIRT__NETWORK_DEFINE_REQUEST__INIT;

	req.xml = (char *)xml;
	return xml ? summary_call(conn, proc, &req.base, out) : client_error(SV_ERR_INVALID_ARG, "no XML given");
}

int sepvirt_network_define(sepvirt_conn *conn, const char *xml, sepvirt_network *out)
{
	return xml_call(conn, PROC(NETWORK_DEFINE), xml, out);
}

int sepvirt_network_create(sepvirt_conn *conn, const char *xml, sepvirt_network *out)
{
	return xml_call(conn, PROC(NETWORK_CREATE), xml, out);
}

int sepvirt_network_undefine(sepvirt_conn *conn, const char *net) { return ref_call(conn, PROC(NETWORK_UNDEFINE), net, NULL); }
int sepvirt_network_start(sepvirt_conn *conn, const char *net) { return ref_call(conn, PROC(NETWORK_START), net, NULL); }
int sepvirt_network_destroy(sepvirt_conn *conn, const char *net) { return ref_call(conn, PROC(NETWORK_DESTROY), net, NULL); }
int sepvirt_network_get_info(sepvirt_conn *conn, const char *net, sepvirt_network *out) { return ref_call(conn, PROC(NETWORK_INFO), net, out); }

int sepvirt_network_list(sepvirt_conn *conn, unsigned int flags, sepvirt_network **list)
{
	Sepvirt__NetworkListRequest req = SEPVIRT__NETWORK_LIST_REQUEST__INIT;
	_cleanup_message_ Sepvirt__NetworkListReply *rep = NULL;

	req.all = flags & SEPVIRT_LIST_ALL;
	if (client_call(conn, NET, PROC(NETWORK_LIST), &req.base, &sepvirt__network_list_reply__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	*list = xcalloc(rep->n_networks + 1, sizeof(**list));
	for (size_t i = 0; i < rep->n_networks; i++)
		copy_network(&(*list)[i], rep->networks[i]);
	return (int)rep->n_networks;
}

char *sepvirt_network_get_xml(sepvirt_conn *conn, const char *net, unsigned int flags)
{
	Sepvirt__NetworkXmlRequest req = SEPVIRT__NETWORK_XML_REQUEST__INIT;
	_cleanup_message_ Sepvirt__NetworkXmlReply *rep = NULL;

	if (!net) {
		client_error(SV_ERR_INVALID_ARG, "no network given");
		return NULL;
	}
	req.network = (char *)net;
	req.inactive = flags & SEPVIRT_NETWORK_XML_INACTIVE;
	if (client_call(conn, NET, PROC(NETWORK_GET_XML), &req.base, &sepvirt__network_xml_reply__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return NULL;
	return xstrdup(rep->xml ? rep->xml : "");
}

int sepvirt_network_set_autostart(sepvirt_conn *conn, const char *net, int enable)
{
	Sepvirt__NetworkAutostartRequest req = SEPVIRT__NETWORK_AUTOSTART_REQUEST__INIT;

	if (!net)
		return client_error(SV_ERR_INVALID_ARG, "no network given");
	req.network = (char *)net;
	req.enable = enable;
	return client_call(conn, NET, PROC(NETWORK_SET_AUTOSTART), &req.base, NULL, NULL);
}

int sepvirt_network_get_dhcp_leases(sepvirt_conn *conn, const char *net, const char *mac,
				    sepvirt_network_lease **list)
{
	Sepvirt__NetworkLeasesRequest req = SEPVIRT__NETWORK_LEASES_REQUEST__INIT;
	_cleanup_message_ Sepvirt__NetworkLeasesReply *rep = NULL;

	if (!net)
		return client_error(SV_ERR_INVALID_ARG, "no network given");
	req.network = (char *)net;
	req.mac = (char *)(mac ? mac : "");
	if (client_call(conn, NET, PROC(NETWORK_GET_DHCP_LEASES), &req.base, &sepvirt__network_leases_reply__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	*list = xcalloc(rep->n_leases + 1, sizeof(**list));
	for (size_t i = 0; i < rep->n_leases; i++) {
		const Sepvirt__NetworkLease *l = rep->leases[i];
		sepvirt_network_lease *o = &(*list)[i];
		o->expiry = l->expiry;
		COPY_FIELD(o->mac, l->mac);
		o->ipv6 = l->ipv6;
		COPY_FIELD(o->address, l->address);
		o->prefix = l->prefix;
		COPY_FIELD(o->hostname, l->hostname);
		COPY_FIELD(o->client_id, l->client_id);
		COPY_FIELD(o->iface, l->iface);
	}
	return (int)rep->n_leases;
}

int sepvirt_network_update(sepvirt_conn *conn, const char *net, const char *command, const char *section,
			   int parent_index, const char *xml, unsigned int flags)
{
	Sepvirt__NetworkUpdateRequest req = SEPVIRT__NETWORK_UPDATE_REQUEST__INIT;

	if (!net || !command || !section || !xml)
		return client_error(SV_ERR_INVALID_ARG, "no network, command, section or XML given");
	req.network = (char *)net;
	req.command = (char *)command;
	req.section = (char *)section;
	req.parent_index = parent_index;
	req.xml = (char *)xml;
	req.flags = flags;
	return client_call(conn, NET, PROC(NETWORK_UPDATE), &req.base, NULL, NULL);
}
