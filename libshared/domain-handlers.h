/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The domain procedures that only touch the domain list, the same in every domain driver
 * (qemud, lxcd): list them in the dispatch table; they find the driver's store in the server's
 * userdata (driver_spec.userdata). */
#pragma once

#include "domain-store.h"
#include "server.h"

#define DOMAIN_HANDLER(name) \
	int name(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply, struct sv_error *err)

DOMAIN_HANDLER(domain_handle_undefine);       /* DomainRef; a running domain goes on, transient */
DOMAIN_HANDLER(domain_handle_set_autostart);  /* DomainAutostartRequest */
DOMAIN_HANDLER(domain_handle_list);           /* DomainListRequest */
DOMAIN_HANDLER(domain_handle_lookup);         /* DomainRef -> DomainSummary (also GET_STATE) */
DOMAIN_HANDLER(domain_handle_get_xml);        /* DomainFlagsRequest */
