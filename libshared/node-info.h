/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host as virsh nodeinfo and hostname show it, answered by every domain driver
 * (PROC_NODE_GET_INFO): CPUs and their topology from sysfs, memory from /proc/meminfo. */
#pragma once

#include "server.h"

int node_handle_get_info(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply,
			 struct sv_error *err);
