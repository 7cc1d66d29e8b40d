/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The procedures sepvirt-qemud serves and who may call each (identity.h): clients through proxyd,
 * and root. Anything not listed is answered "not supported". */
#include "config.h"

#include "daemon.h"
#include "handlers.h"
#include "domain-handlers.h"
#include "node-info.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x
#define REQ(x) &sepvirt__##x##__descriptor

const struct rpc_proc qemud_procs[] = {
	{ PROC(PING), REQ(ping_request), daemon_handle_ping, ROLE_ANY },
	{ PROC(EVENT_REGISTER), REQ(event_register_request), rpc_server_handle_event_register, ROLE_CLIENTS },
	{ PROC(NODE_GET_INFO), REQ(node_info_request), node_handle_get_info, ROLE_CLIENTS },
	{ PROC(DOMAIN_DEFINE), REQ(domain_define_request), qemud_handle_define, ROLE_CLIENTS },
	{ PROC(DOMAIN_CREATE), REQ(domain_define_request), qemud_handle_create, ROLE_CLIENTS },
	{ PROC(DOMAIN_OPEN_CONSOLE), REQ(domain_console_request), qemud_handle_open_console, ROLE_CLIENTS },
	{ PROC(DOMAIN_UNDEFINE), REQ(domain_ref), qemud_handle_undefine, ROLE_CLIENTS },
	{ PROC(DOMAIN_LIST), REQ(domain_list_request), domain_handle_list, ROLE_CLIENTS },
	{ PROC(DOMAIN_LOOKUP), REQ(domain_ref), domain_handle_lookup, ROLE_CLIENTS },
	{ PROC(DOMAIN_START), REQ(domain_flags_request), qemud_handle_start, ROLE_CLIENTS },
	{ PROC(DOMAIN_RESET), REQ(domain_ref), qemud_handle_reset, ROLE_CLIENTS },
	{ PROC(DOMAIN_ATTACH_DEVICE), REQ(domain_device_request), qemud_handle_attach_device, ROLE_CLIENTS },
	{ PROC(DOMAIN_DETACH_DEVICE), REQ(domain_device_request), qemud_handle_detach_device, ROLE_CLIENTS },
	{ PROC(DOMAIN_UPDATE_DEVICE), REQ(domain_device_request), qemud_handle_update_device, ROLE_CLIENTS },
	{ PROC(DOMAIN_SHUTDOWN), REQ(domain_ref), qemud_handle_shutdown, ROLE_CLIENTS },
	{ PROC(DOMAIN_DESTROY), REQ(domain_ref), qemud_handle_destroy, ROLE_CLIENTS },
	{ PROC(DOMAIN_REBOOT), REQ(domain_ref), qemud_handle_reboot, ROLE_CLIENTS },
	{ PROC(DOMAIN_SUSPEND), REQ(domain_ref), qemud_handle_suspend, ROLE_CLIENTS },
	{ PROC(DOMAIN_RESUME), REQ(domain_ref), qemud_handle_resume, ROLE_CLIENTS },
	{ PROC(DOMAIN_GET_XML), REQ(domain_flags_request), domain_handle_get_xml, ROLE_CLIENTS },
	{ PROC(DOMAIN_GET_STATE), REQ(domain_ref), domain_handle_lookup, ROLE_CLIENTS },
	{ PROC(DOMAIN_GET_INFO), REQ(domain_ref), qemud_handle_get_info, ROLE_CLIENTS },
	{ PROC(DOMAIN_IFLIST), REQ(domain_ref), qemud_handle_iflist, ROLE_CLIENTS },
	{ PROC(DOMAIN_GET_CONTROL_INFO), REQ(domain_ref), qemud_handle_control_info, ROLE_CLIENTS },
	{ PROC(DOMAIN_BLOCK_STATS), REQ(domain_stats_request), qemud_handle_block_stats, ROLE_CLIENTS },
	{ PROC(DOMAIN_INTERFACE_STATS), REQ(domain_stats_request), qemud_handle_interface_stats, ROLE_CLIENTS },
	{ PROC(DOMAIN_MEMORY_STATS), REQ(domain_stats_request), qemud_handle_memory_stats, ROLE_CLIENTS },
	{ PROC(DOMAIN_GET_BLOCK_INFO), REQ(domain_stats_request), qemud_handle_block_info, ROLE_CLIENTS },
	{ PROC(DOMAIN_GET_CPU_STATS), REQ(domain_stats_request), qemud_handle_cpu_stats, ROLE_CLIENTS },
	{ PROC(DOMAIN_GET_STATS), REQ(domain_stats_request), qemud_handle_get_stats, ROLE_CLIENTS },
	{ PROC(DOMAIN_XML_TO_NATIVE), REQ(domain_xml_to_native_request), qemud_handle_xml_to_native, ROLE_CLIENTS },
	{ PROC(DOMAIN_SAVE), REQ(domain_save_request), qemud_handle_save, ROLE_CLIENTS },
	{ PROC(DOMAIN_RESTORE), REQ(domain_restore_request), qemud_handle_restore, ROLE_CLIENTS },
	{ PROC(DOMAIN_MANAGED_SAVE), REQ(domain_save_request), qemud_handle_managed_save, ROLE_CLIENTS },
	{ PROC(DOMAIN_MANAGED_SAVE_REMOVE), REQ(domain_ref), qemud_handle_managed_save_remove, ROLE_CLIENTS },
	{ PROC(DOMAIN_HAS_MANAGED_SAVE), REQ(domain_ref), qemud_handle_has_managed_save, ROLE_CLIENTS },
	{ PROC(DOMAIN_SNAPSHOT_CREATE), REQ(domain_snapshot_create_request), qemud_handle_snapshot_create, ROLE_CLIENTS },
	{ PROC(DOMAIN_SNAPSHOT_LIST), REQ(domain_ref), qemud_handle_snapshot_list, ROLE_CLIENTS },
	{ PROC(DOMAIN_SNAPSHOT_GET_XML), REQ(domain_snapshot_ref), qemud_handle_snapshot_get_xml, ROLE_CLIENTS },
	{ PROC(DOMAIN_SNAPSHOT_REVERT), REQ(domain_snapshot_ref), qemud_handle_snapshot_revert, ROLE_CLIENTS },
	{ PROC(DOMAIN_SNAPSHOT_DELETE), REQ(domain_snapshot_ref), qemud_handle_snapshot_delete, ROLE_CLIENTS },
	{ PROC(DOMAIN_SET_MEMORY), REQ(domain_set_count_request), qemud_handle_set_memory, ROLE_CLIENTS },
	{ PROC(DOMAIN_SET_VCPUS), REQ(domain_set_count_request), qemud_handle_set_vcpus, ROLE_CLIENTS },
	{ PROC(DOMAIN_SHUTDOWN_FLAGS), REQ(domain_flags_request), qemud_handle_shutdown_flags, ROLE_CLIENTS },
	{ PROC(DOMAIN_AGENT_ADDRESSES), REQ(domain_ref), qemud_handle_agent_addresses, ROLE_CLIENTS },
	{ PROC(CLIENT_CLOSED), REQ(client_closed_request), qemud_handle_client_closed, ROLE_PROXY | ROLE_ROOT },
	{ PROC(DOMAIN_SET_AUTOSTART), REQ(domain_autostart_request), domain_handle_set_autostart, ROLE_CLIENTS },
};
const size_t qemud_nprocs = ARRAY_SIZE(qemud_procs);
