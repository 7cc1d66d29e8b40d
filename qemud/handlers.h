/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The RPC handlers of the domain procedures (handlers-*.c), listed in dispatch.c. */
#pragma once

#include "qemud.h"

#define QEMUD_HANDLER(name) \
	int name(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply, struct sv_error *err)

/* handlers-define.c */
/* Whether qemud can run def (a dry run of its command line); refuses naming what it cannot. */
int qemud_check_runnable(const struct domain_def *def, struct sv_error *err);
QEMUD_HANDLER(qemud_handle_define);
QEMUD_HANDLER(qemud_handle_create);
QEMUD_HANDLER(qemud_handle_undefine);
QEMUD_HANDLER(qemud_handle_xml_to_native);
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
/* hotplug.c */
QEMUD_HANDLER(qemud_handle_attach_device);
QEMUD_HANDLER(qemud_handle_detach_device);
QEMUD_HANDLER(qemud_handle_update_device);
/* save.c */
QEMUD_HANDLER(qemud_handle_save);
QEMUD_HANDLER(qemud_handle_restore);
QEMUD_HANDLER(qemud_handle_managed_save);
QEMUD_HANDLER(qemud_handle_managed_save_remove);
QEMUD_HANDLER(qemud_handle_has_managed_save);
/* snapshot.c */
QEMUD_HANDLER(qemud_handle_snapshot_create);
QEMUD_HANDLER(qemud_handle_snapshot_list);
QEMUD_HANDLER(qemud_handle_snapshot_get_xml);
QEMUD_HANDLER(qemud_handle_snapshot_revert);
QEMUD_HANDLER(qemud_handle_snapshot_delete);
/* resize.c */
QEMUD_HANDLER(qemud_handle_set_memory);
QEMUD_HANDLER(qemud_handle_set_vcpus);
/* agent.c */
QEMUD_HANDLER(qemud_handle_shutdown_flags);
QEMUD_HANDLER(qemud_handle_agent_addresses);
