/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The RPC handlers of the domain procedures (handlers-*.c), listed in dispatch.c. */
#pragma once

#include "qemud.h"

#define QEMUD_HANDLER(name) \
	int name(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply, struct sv_error *err)

/* handlers-define.c */
QEMUD_HANDLER(qemud_handle_define);
QEMUD_HANDLER(qemud_handle_create);
/* console.c */
QEMUD_HANDLER(qemud_handle_open_console);
/* handlers-query.c */
QEMUD_HANDLER(qemud_handle_get_info);
QEMUD_HANDLER(qemud_handle_iflist);
QEMUD_HANDLER(qemud_handle_control_info);
/* stats.c */
QEMUD_HANDLER(qemud_handle_block_stats);
QEMUD_HANDLER(qemud_handle_interface_stats);
QEMUD_HANDLER(qemud_handle_memory_stats);
QEMUD_HANDLER(qemud_handle_block_info);
QEMUD_HANDLER(qemud_handle_cpu_stats);
QEMUD_HANDLER(qemud_handle_get_stats);
/* handlers-control.c */
QEMUD_HANDLER(qemud_handle_start);
QEMUD_HANDLER(qemud_handle_shutdown);
QEMUD_HANDLER(qemud_handle_destroy);
QEMUD_HANDLER(qemud_handle_client_closed);
QEMUD_HANDLER(qemud_handle_reboot);
QEMUD_HANDLER(qemud_handle_suspend);
QEMUD_HANDLER(qemud_handle_resume);
QEMUD_HANDLER(qemud_handle_reset);
/* resize.c */
QEMUD_HANDLER(qemud_handle_set_memory);
QEMUD_HANDLER(qemud_handle_set_vcpus);
/* agent.c */
QEMUD_HANDLER(qemud_handle_shutdown_flags);
QEMUD_HANDLER(qemud_handle_agent_addresses);
