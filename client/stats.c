// SPDX-License-Identifier: LGPL-2.1-or-later
/* libsepvirt: a running domain's statistics, one call per libvirt API, one reply shape. */
#include "config.h"

#include <stdio.h>

#include "libsepvirt-priv.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x

static int get_stats(sepvirt_conn *conn, uint32_t proc, const char *dom, const char *device, unsigned groups,
		     sepvirt_stat_param **params)
{
	Sepvirt__DomainStatsRequest req = SEPVIRT__DOMAIN_STATS_REQUEST__INIT;
	_cleanup_message_ Sepvirt__DomainStatsReply *rep = NULL;

	if (!dom || !params)
		return client_error(SV_ERR_INVALID_ARG, "no domain given");
	req.domain = (char *)dom;
	req.device = (char *)(device ? device : "");
	req.groups = groups;
	if (client_call(conn, conn ? conn->program : 0, proc, &req.base, &sepvirt__domain_stats_reply__descriptor,
			(ProtobufCMessage **)&rep) < 0)
		return -1;
	*params = xcalloc(rep->n_params + 1, sizeof(**params));
	for (size_t i = 0; i < rep->n_params; i++) {
		const Sepvirt__DomainStatParam *in = rep->params[i];
		sepvirt_stat_param *o = &(*params)[i];
		COPY_FIELD(o->field, in->field);
		o->is_string = in->is_string;
		o->ul = in->ul;
		COPY_FIELD(o->str, in->str);
	}
	return (int)rep->n_params;
}

int sepvirt_domain_block_stats(sepvirt_conn *conn, const char *dom, const char *device, sepvirt_stat_param **params)
{
	return get_stats(conn, PROC(DOMAIN_BLOCK_STATS), dom, device, 0, params);
}

int sepvirt_domain_interface_stats(sepvirt_conn *conn, const char *dom, const char *device,
				   sepvirt_stat_param **params)
{
	return get_stats(conn, PROC(DOMAIN_INTERFACE_STATS), dom, device, 0, params);
}

int sepvirt_domain_memory_stats(sepvirt_conn *conn, const char *dom, sepvirt_stat_param **params)
{
	return get_stats(conn, PROC(DOMAIN_MEMORY_STATS), dom, NULL, 0, params);
}

int sepvirt_domain_get_block_info(sepvirt_conn *conn, const char *dom, const char *device,
				  sepvirt_stat_param **params)
{
	return get_stats(conn, PROC(DOMAIN_GET_BLOCK_INFO), dom, device, 0, params);
}

int sepvirt_domain_get_cpu_stats(sepvirt_conn *conn, const char *dom, sepvirt_stat_param **params)
{
	return get_stats(conn, PROC(DOMAIN_GET_CPU_STATS), dom, NULL, 0, params);
}

int sepvirt_domain_get_stats(sepvirt_conn *conn, const char *dom, unsigned int groups, sepvirt_stat_param **params)
{
	return get_stats(conn, PROC(DOMAIN_GET_STATS), dom, NULL, groups, params);
}

const sepvirt_stat_param *sepvirt_stat_params_get(const sepvirt_stat_param *params, int n, const char *field)
{
	for (int i = 0; params && i < n; i++)
		if (streq(params[i].field, field))
			return &params[i];
	return NULL;
}
