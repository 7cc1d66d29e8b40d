/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsepvirt: a domain's snapshots. */
#include "config.h"

#include <stdio.h>

#include "libsepvirt-priv.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x

static void copy_info(sepvirt_snapshot *out, const Sepvirt__DomainSnapshotInfo *in)
{
	memset(out, 0, sizeof(*out));
	COPY_FIELD(out->name, in->name);
	COPY_FIELD(out->description, in->description);
	COPY_FIELD(out->state, in->state);
	COPY_FIELD(out->parent, in->parent);
	out->creation_time = in->creation_time;
	out->current = in->current;
}

int sepvirt_snapshot_create_xml(sepvirt_conn *conn, const char *dom, const char *xml, unsigned int flags,
				sepvirt_snapshot *out)
{
	Sepvirt__DomainSnapshotCreateRequest req = SEPVIRT__DOMAIN_SNAPSHOT_CREATE_REQUEST__INIT;
	_cleanup_message_ Sepvirt__DomainSnapshotInfo *rep = NULL;

	client_clear_error();
	if (!dom || !xml)
		return client_error(SV_ERR_INVALID_ARG, "no domain or snapshot XML given");
	req.domain = (char *)dom;
	req.xml = (char *)xml;
	req.flags = flags;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_SNAPSHOT_CREATE), &req.base,
			&sepvirt__domain_snapshot_info__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	if (out)
		copy_info(out, rep);
	return 0;
}

int sepvirt_snapshot_list(sepvirt_conn *conn, const char *dom, sepvirt_snapshot **list)
{
	Sepvirt__DomainRef req = SEPVIRT__DOMAIN_REF__INIT;
	_cleanup_message_ Sepvirt__DomainSnapshotListReply *rep = NULL;
	sepvirt_snapshot *l;

	client_clear_error();
	if (!dom || !list)
		return client_error(SV_ERR_INVALID_ARG, "no domain or list given");
	req.domain = (char *)dom;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_SNAPSHOT_LIST), &req.base,
			&sepvirt__domain_snapshot_list_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	l = xcalloc(rep->n_snapshots + 1, sizeof(*l));
	for (size_t i = 0; i < rep->n_snapshots; i++)
		copy_info(&l[i], rep->snapshots[i]);
	*list = l;
	return (int)rep->n_snapshots;
}

char *sepvirt_snapshot_get_xml(sepvirt_conn *conn, const char *dom, const char *name)
{
	Sepvirt__DomainSnapshotRef req = SEPVIRT__DOMAIN_SNAPSHOT_REF__INIT;
	_cleanup_message_ Sepvirt__DomainSnapshotXmlReply *rep = NULL;

	client_clear_error();
	if (!dom || !name) {
		client_error(SV_ERR_INVALID_ARG, "no domain or snapshot given");
		return NULL;
	}
	req.domain = (char *)dom;
	req.name = (char *)name;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_SNAPSHOT_GET_XML), &req.base,
			&sepvirt__domain_snapshot_xml_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return NULL;
	return xstrdup(rep->xml ? rep->xml : "");
}

static int by_name(sepvirt_conn *conn, uint32_t proc, const char *dom, const char *name)
{
	Sepvirt__DomainSnapshotRef req = SEPVIRT__DOMAIN_SNAPSHOT_REF__INIT;

	client_clear_error();
	if (!dom || !name)
		return client_error(SV_ERR_INVALID_ARG, "no domain or snapshot given");
	req.domain = (char *)dom;
	req.name = (char *)name;
	return client_call(conn, conn ? conn->program : 0, proc, &req.base, NULL, NULL);
}

int sepvirt_snapshot_revert(sepvirt_conn *conn, const char *dom, const char *name)
{
	return by_name(conn, PROC(DOMAIN_SNAPSHOT_REVERT), dom, name);
}

int sepvirt_snapshot_delete(sepvirt_conn *conn, const char *dom, const char *name)
{
	return by_name(conn, PROC(DOMAIN_SNAPSHOT_DELETE), dom, name);
}
