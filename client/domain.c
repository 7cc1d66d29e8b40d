/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsepvirt: pinging daemons, domains and netd's device list. */
#include "config.h"

#include <stdio.h>

#include "libsepvirt-priv.h"
#include "xml/validate.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x

int sepvirt_ping(sepvirt_conn *conn, int daemon, sepvirt_daemon_info *info)
{
	Sepvirt__PingRequest req = SEPVIRT__PING_REQUEST__INIT;
	_cleanup_message_ Sepvirt__PingReply *rep = NULL;
	uint32_t program = daemon == SEPVIRT_DAEMON_DRIVER ? (conn ? conn->program : 0) : (uint32_t)daemon;

	if (client_call(conn, program, PROC(PING), &req.base, &sepvirt__ping_reply__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	memset(info, 0, sizeof(*info));
	COPY_FIELD(info->name, rep->daemon);
	COPY_FIELD(info->version, rep->version);
	info->pid = rep->pid;
	info->uid = rep->uid;
	info->gid = rep->gid;
	COPY_FIELD(info->cap_eff, rep->cap_eff);
	info->seccomp = rep->seccomp;
	COPY_FIELD(info->hypervisor, rep->hypervisor);
	return 0;
}

static void copy_summary(sepvirt_domain *d, const Sepvirt__DomainSummary *s)
{
	memset(d, 0, sizeof(*d));
	if (!s) {
		d->id = -1;
		return;
	}
	d->id = s->id;
	COPY_FIELD(d->name, s->name);
	COPY_FIELD(d->uuid, s->uuid);
	d->state = s->state;
	d->reason = s->reason;
	d->autostart = s->autostart;
	d->persistent = s->persistent;
}

/* A call on one domain whose reply carries nothing. */
static int domain_simple(sepvirt_conn *conn, uint32_t proc, const char *dom)
{
	Sepvirt__DomainRef req = SEPVIRT__DOMAIN_REF__INIT;

	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	return client_call(conn, conn ? conn->program : 0, proc, &req.base, NULL, NULL);
}

static int define_or_create(sepvirt_conn *conn, uint32_t proc, const char *xml, unsigned int flags,
			    sepvirt_domain *out)
{
	Sepvirt__DomainDefineRequest req = SEPVIRT__DOMAIN_DEFINE_REQUEST__INIT;
	_cleanup_message_ Sepvirt__DomainSummary *rep = NULL;

	if (!xml)
		return client_error(SV_ERR_INVALID_ARG, "no XML given");
	if (flags & SEPVIRT_DEFINE_VALIDATE) {
		/* Checked here, against the installed schema, so every driver gets the same check. */
		const char *dir = getenv("SEPVIRT_SCHEMA_DIR");
		_cleanup_free_ char *schema = xasprintf("%s/domain.rng", dir && dir[0] ? dir : PKGDATADIR "/schemas");
		struct sv_error err;
		if (xml_validate_rng(schema, xml, strlen(xml), &err) < 0)
			return client_set_error(&err);
	}
	req.xml = (char *)xml;
	req.validate = flags & SEPVIRT_DEFINE_VALIDATE;
	if (client_call(conn, conn ? conn->program : 0, proc, &req.base, &sepvirt__domain_summary__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	if (out)
		copy_summary(out, rep);
	return 0;
}

int sepvirt_domain_define(sepvirt_conn *conn, const char *xml, unsigned int flags, sepvirt_domain *out)
{
	return define_or_create(conn, PROC(DOMAIN_DEFINE), xml, flags, out);
}

int sepvirt_domain_create(sepvirt_conn *conn, const char *xml, unsigned int flags, sepvirt_domain *out)
{
	return define_or_create(conn, PROC(DOMAIN_CREATE), xml, flags, out);
}

int sepvirt_domain_undefine(sepvirt_conn *conn, const char *dom) { return domain_simple(conn, PROC(DOMAIN_UNDEFINE), dom); }
int sepvirt_domain_start(sepvirt_conn *conn, const char *dom) { return domain_simple(conn, PROC(DOMAIN_START), dom); }

int sepvirt_domain_start_flags(sepvirt_conn *conn, const char *dom, unsigned int flags)
{
	Sepvirt__DomainFlagsRequest req = SEPVIRT__DOMAIN_FLAGS_REQUEST__INIT;

	client_clear_error();
	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	req.flags = flags;
	return client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_START), &req.base, NULL, NULL);
}

static int domain_set_count(sepvirt_conn *conn, uint32_t proc, const char *dom, unsigned long long value,
			    unsigned int flags)
{
	Sepvirt__DomainSetCountRequest req = SEPVIRT__DOMAIN_SET_COUNT_REQUEST__INIT;

	client_clear_error();
	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	req.value = value;
	req.flags = flags;
	return client_call(conn, conn ? conn->program : 0, proc, &req.base, NULL, NULL);
}

int sepvirt_domain_set_memory_flags(sepvirt_conn *conn, const char *dom, unsigned long long kib, unsigned int flags)
{
	return domain_set_count(conn, PROC(DOMAIN_SET_MEMORY), dom, kib, flags);
}

int sepvirt_domain_set_vcpus_flags(sepvirt_conn *conn, const char *dom, unsigned int count, unsigned int flags)
{
	return domain_set_count(conn, PROC(DOMAIN_SET_VCPUS), dom, count, flags);
}

int sepvirt_domain_shutdown_flags(sepvirt_conn *conn, const char *dom, unsigned int flags)
{
	Sepvirt__DomainFlagsRequest req = SEPVIRT__DOMAIN_FLAGS_REQUEST__INIT;

	client_clear_error();
	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	req.flags = flags;
	return client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_SHUTDOWN_FLAGS), &req.base, NULL, NULL);
}

int sepvirt_domain_reset(sepvirt_conn *conn, const char *dom) { return domain_simple(conn, PROC(DOMAIN_RESET), dom); }
static int device_call(sepvirt_conn *conn, uint32_t proc, const char *dom, const char *xml, unsigned int flags)
{
	Sepvirt__DomainDeviceRequest req = SEPVIRT__DOMAIN_DEVICE_REQUEST__INIT;

	client_clear_error();
	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	if (!xml)
		return client_error(SV_ERR_INVALID_ARG, "no device XML given");
	req.domain = (char *)dom;
	req.xml = (char *)xml;
	req.flags = flags;
	return client_call(conn, conn ? conn->program : 0, proc, &req.base, NULL, NULL);
}

int sepvirt_domain_attach_device(sepvirt_conn *conn, const char *dom, const char *xml, unsigned int flags)
{
	return device_call(conn, PROC(DOMAIN_ATTACH_DEVICE), dom, xml, flags);
}

int sepvirt_domain_detach_device(sepvirt_conn *conn, const char *dom, const char *xml, unsigned int flags)
{
	return device_call(conn, PROC(DOMAIN_DETACH_DEVICE), dom, xml, flags);
}

int sepvirt_domain_update_device(sepvirt_conn *conn, const char *dom, const char *xml, unsigned int flags)
{
	return device_call(conn, PROC(DOMAIN_UPDATE_DEVICE), dom, xml, flags);
}

int sepvirt_domain_shutdown(sepvirt_conn *conn, const char *dom) { return domain_simple(conn, PROC(DOMAIN_SHUTDOWN), dom); }
int sepvirt_domain_destroy(sepvirt_conn *conn, const char *dom) { return domain_simple(conn, PROC(DOMAIN_DESTROY), dom); }
int sepvirt_domain_reboot(sepvirt_conn *conn, const char *dom) { return domain_simple(conn, PROC(DOMAIN_REBOOT), dom); }
int sepvirt_domain_suspend(sepvirt_conn *conn, const char *dom) { return domain_simple(conn, PROC(DOMAIN_SUSPEND), dom); }
int sepvirt_domain_resume(sepvirt_conn *conn, const char *dom) { return domain_simple(conn, PROC(DOMAIN_RESUME), dom); }

int sepvirt_domain_list(sepvirt_conn *conn, unsigned int flags, sepvirt_domain **list)
{
	Sepvirt__DomainListRequest req = SEPVIRT__DOMAIN_LIST_REQUEST__INIT;
	_cleanup_message_ Sepvirt__DomainListReply *rep = NULL;

	req.all = flags & SEPVIRT_LIST_ALL;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_LIST), &req.base,
			&sepvirt__domain_list_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	*list = xcalloc(rep->n_domains + 1, sizeof(**list));
	for (size_t i = 0; i < rep->n_domains; i++)
		copy_summary(&(*list)[i], rep->domains[i]);
	return (int)rep->n_domains;
}

int sepvirt_domain_lookup(sepvirt_conn *conn, const char *dom, sepvirt_domain *out)
{
	Sepvirt__DomainRef req = SEPVIRT__DOMAIN_REF__INIT;
	_cleanup_message_ Sepvirt__DomainSummary *rep = NULL;

	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_LOOKUP), &req.base,
			&sepvirt__domain_summary__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	copy_summary(out, rep);
	return 0;
}

char *sepvirt_domain_get_xml(sepvirt_conn *conn, const char *dom, unsigned int flags)
{
	Sepvirt__DomainFlagsRequest req = SEPVIRT__DOMAIN_FLAGS_REQUEST__INIT;
	_cleanup_message_ Sepvirt__DomainXmlReply *rep = NULL;

	if (!dom) {
		client_error(SV_ERR_INVALID_ARG, "no domain given");
		return NULL;
	}
	req.domain = (char *)dom;
	req.flags = flags;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_GET_XML), &req.base,
			&sepvirt__domain_xml_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return NULL;
	return xstrdup(rep->xml ? rep->xml : "");
}

char *sepvirt_connect_domain_xml_to_native(sepvirt_conn *conn, const char *format, const char *xml,
					    unsigned int flags)
{
	Sepvirt__DomainXmlToNativeRequest req = SEPVIRT__DOMAIN_XML_TO_NATIVE_REQUEST__INIT;
	_cleanup_message_ Sepvirt__DomainXmlReply *rep = NULL;

	if (!format || !xml) {
		client_error(SV_ERR_INVALID_ARG, "no %s given", format ? "XML" : "format");
		return NULL;
	}
	if (flags) {
		client_error(SV_ERR_INVALID_ARG, "unsupported flags (0x%x)", flags);
		return NULL;
	}
	req.format = (char *)format;
	req.xml = (char *)xml;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_XML_TO_NATIVE), &req.base,
			&sepvirt__domain_xml_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return NULL;
	return xstrdup(rep->xml ? rep->xml : "");
}

int sepvirt_domain_get_state(sepvirt_conn *conn, const char *dom, int *state, int *reason)
{
	Sepvirt__DomainRef req = SEPVIRT__DOMAIN_REF__INIT;
	_cleanup_message_ Sepvirt__DomainSummary *rep = NULL;

	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_GET_STATE), &req.base,
			&sepvirt__domain_summary__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	*state = rep->state;
	if (reason)
		*reason = rep->reason;
	return 0;
}

int sepvirt_domain_get_info(sepvirt_conn *conn, const char *dom, sepvirt_domain_info *info)
{
	Sepvirt__DomainRef req = SEPVIRT__DOMAIN_REF__INIT;
	_cleanup_message_ Sepvirt__DomainInfoReply *rep = NULL;

	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_GET_INFO), &req.base,
			&sepvirt__domain_info_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	memset(info, 0, sizeof(*info));
	copy_summary(&info->dom, rep->summary);
	COPY_FIELD(info->os_type, rep->os_type);
	info->max_memory_kib = rep->max_memory_kib;
	info->memory_kib = rep->memory_kib;
	info->vcpus = rep->vcpus;
	info->cpu_time_ns = rep->cpu_time_ns;
	COPY_FIELD(info->security_model, rep->security_model);
	return 0;
}

int sepvirt_domain_get_control_info(sepvirt_conn *conn, const char *dom, sepvirt_domain_control_info *info)
{
	Sepvirt__DomainRef req = SEPVIRT__DOMAIN_REF__INIT;
	_cleanup_message_ Sepvirt__DomainControlInfoReply *rep = NULL;

	if (!dom || !info)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_GET_CONTROL_INFO), &req.base,
			&sepvirt__domain_control_info_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	memset(info, 0, sizeof(*info));
	info->state = (int)rep->state;
	info->details = (int)rep->details;
	info->state_time_ms = rep->state_time_ms;
	COPY_FIELD(info->job, rep->job);
	COPY_FIELD(info->message, rep->message);
	return 0;
}

int sepvirt_domain_iflist(sepvirt_conn *conn, const char *dom, sepvirt_domain_iface **list)
{
	Sepvirt__DomainRef req = SEPVIRT__DOMAIN_REF__INIT;
	_cleanup_message_ Sepvirt__DomainIfListReply *rep = NULL;

	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_IFLIST), &req.base,
			&sepvirt__domain_if_list_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	*list = xcalloc(rep->n_interfaces + 1, sizeof(**list));
	for (size_t i = 0; i < rep->n_interfaces; i++) {
		const Sepvirt__DomainInterface *in = rep->interfaces[i];
		sepvirt_domain_iface *o = &(*list)[i];
		COPY_FIELD(o->target, in->target);
		COPY_FIELD(o->type, in->type);
		COPY_FIELD(o->source, in->source);
		COPY_FIELD(o->model, in->model);
		COPY_FIELD(o->mac, in->mac);
	}
	return (int)rep->n_interfaces;
}

int sepvirt_domain_agent_addresses(sepvirt_conn *conn, const char *dom, sepvirt_agent_address **list)
{
	Sepvirt__DomainRef req = SEPVIRT__DOMAIN_REF__INIT;
	_cleanup_message_ Sepvirt__DomainAgentAddressesReply *rep = NULL;

	client_clear_error();
	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	if (client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_AGENT_ADDRESSES), &req.base,
			&sepvirt__domain_agent_addresses_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	*list = xcalloc(rep->n_addresses + 1, sizeof(**list));
	for (size_t i = 0; i < rep->n_addresses; i++) {
		const Sepvirt__DomainAgentAddress *in = rep->addresses[i];
		sepvirt_agent_address *o = &(*list)[i];
		COPY_FIELD(o->name, in->name);
		COPY_FIELD(o->mac, in->mac);
		COPY_FIELD(o->address, in->address);
		o->ipv6 = in->ipv6;
		o->prefix = in->prefix;
	}
	return (int)rep->n_addresses;
}

int sepvirt_domain_set_autostart(sepvirt_conn *conn, const char *dom, int enable)
{
	Sepvirt__DomainAutostartRequest req = SEPVIRT__DOMAIN_AUTOSTART_REQUEST__INIT;

	if (!dom)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	req.enable = enable;
	return client_call(conn, conn ? conn->program : 0, PROC(DOMAIN_SET_AUTOSTART), &req.base, NULL, NULL);
}

int sepvirt_net_list_taps(sepvirt_conn *conn, const char *domain_uuid, sepvirt_tap **list)
{
	Sepvirt__NetListTapsRequest req = SEPVIRT__NET_LIST_TAPS_REQUEST__INIT;
	_cleanup_message_ Sepvirt__NetListTapsReply *rep = NULL;

	req.domain_uuid = (char *)(domain_uuid ? domain_uuid : "");
	if (client_call(conn, SEPVIRT__PROGRAM__PROGRAM_NET, PROC(NET_LIST_TAPS), &req.base,
			&sepvirt__net_list_taps_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	*list = xcalloc(rep->n_taps + 1, sizeof(**list));
	for (size_t i = 0; i < rep->n_taps; i++) {
		const Sepvirt__NetTap *t = rep->taps[i];
		sepvirt_tap *o = &(*list)[i];
		COPY_FIELD(o->domain_uuid, t->domain_uuid);
		COPY_FIELD(o->domain_name, t->domain_name);
		o->iface_index = t->iface_index;
		COPY_FIELD(o->ifname, t->ifname);
		o->managed = t->managed;
		COPY_FIELD(o->kind, t->kind);
	}
	return (int)rep->n_taps;
}

int sepvirt_node_get_info(sepvirt_conn *conn, sepvirt_node_info *info)
{
	Sepvirt__NodeInfoRequest req = SEPVIRT__NODE_INFO_REQUEST__INIT;
	_cleanup_message_ Sepvirt__NodeInfoReply *rep = NULL;

	if (!info)
		return client_error(SV_ERR_INVALID_ARG, "no node info to fill");
	if (client_call(conn, conn ? conn->program : 0, PROC(NODE_GET_INFO), &req.base,
			&sepvirt__node_info_reply__descriptor, (ProtobufCMessage **)&rep) < 0)
		return -1;
	COPY_FIELD(info->model, rep->model);
	info->cpus = rep->cpus;
	info->mhz = rep->mhz;
	info->sockets = rep->sockets;
	info->cores = rep->cores;
	info->threads = rep->threads;
	info->cells = rep->cells;
	info->memory_kib = rep->memory_kib;
	COPY_FIELD(info->hostname, rep->hostname);
	return 0;
}

int sepvirt_domain_open_console(sepvirt_conn *conn, const char *dom, const char *dev_name, int *fd)
{
	Sepvirt__DomainConsoleRequest req = SEPVIRT__DOMAIN_CONSOLE_REQUEST__INIT;
	int fds[RPC_MAX_FDS];
	size_t nfds = 0;
	struct sv_error err;

	client_clear_error();
	if (!conn || !dom || !fd)
		return client_error(SV_ERR_INVALID_ARG, "no connection, domain or fd to fill");
	req.domain = (char *)dom;
	req.dev_name = (char *)(dev_name ? dev_name : "");
	if (rpc_client_call(conn->rpc, conn->program, PROC(DOMAIN_OPEN_CONSOLE), &req.base, NULL, 0, NULL, NULL, fds,
			    &nfds, &err) < 0)
		return client_set_error(&err);
	if (nfds != 1) {
		rpc_close_fds(fds, nfds);
		if (conn->ssh_pid > 0) /* the helper copies bytes; an fd cannot cross ssh */
			return client_error(SV_ERR_NOT_SUPPORTED,
					    "the console of '%s' cannot be opened over a remote (ssh) connection: "
					    "run sepvirsh console on the host", dom);
		return client_error(SV_ERR_RPC, "the console of '%s' came without its pty", dom);
	}
	*fd = fds[0];
	return 0;
}
