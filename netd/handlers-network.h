/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The handlers of the PROC_NETWORK_* procedures (dispatch.c lists them). */
#pragma once

#include "server.h"

#define NETD_NETWORK_HANDLER(name) \
	int name(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply, struct sv_error *err)

NETD_NETWORK_HANDLER(netd_handle_network_define);
NETD_NETWORK_HANDLER(netd_handle_network_create);
NETD_NETWORK_HANDLER(netd_handle_network_undefine);
NETD_NETWORK_HANDLER(netd_handle_network_start);
NETD_NETWORK_HANDLER(netd_handle_network_destroy);
NETD_NETWORK_HANDLER(netd_handle_network_list);
NETD_NETWORK_HANDLER(netd_handle_network_info);
NETD_NETWORK_HANDLER(netd_handle_network_get_xml);
NETD_NETWORK_HANDLER(netd_handle_network_set_autostart);
NETD_NETWORK_HANDLER(netd_handle_network_get_dhcp_leases);
NETD_NETWORK_HANDLER(netd_handle_network_update);
