/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The procedures sepvirt-lxcd serves, every one for clients through proxyd (and root) only.
 * Anything not listed is answered "not supported". */
#include "config.h"

#include "daemon.h"
#include "domain-handlers.h"
#include "handlers.h"
#include "node-info.h"

#define H(id, msg, fn) { SEPVIRT__PROCEDURE__PROC_##id, &sepvirt__##msg##__descriptor, fn, ROLE_CLIENTS }

const struct rpc_proc lxcd_procs[] = {
	H(PING, ping_request, daemon_handle_ping),
	H(EVENT_REGISTER, event_register_request, rpc_server_handle_event_register),
	H(NODE_GET_INFO, node_info_request, node_handle_get_info),
	H(DOMAIN_DEFINE, domain_define_request, lxcd_handle_define),
	H(DOMAIN_CREATE, domain_define_request, lxcd_handle_create),
	H(DOMAIN_OPEN_CONSOLE, domain_console_request, lxcd_handle_open_console),
	H(DOMAIN_UNDEFINE, domain_ref, domain_handle_undefine),
	H(DOMAIN_LIST, domain_list_request, domain_handle_list),
	H(DOMAIN_LOOKUP, domain_ref, domain_handle_lookup),
	H(DOMAIN_START, domain_flags_request, lxcd_handle_start),
	H(DOMAIN_SHUTDOWN, domain_ref, lxcd_handle_shutdown),
	H(DOMAIN_DESTROY, domain_ref, lxcd_handle_destroy),
	H(DOMAIN_SUSPEND, domain_ref, lxcd_handle_suspend),
	H(DOMAIN_RESUME, domain_ref, lxcd_handle_resume),
	H(DOMAIN_GET_XML, domain_flags_request, domain_handle_get_xml),
	H(DOMAIN_GET_STATE, domain_ref, domain_handle_lookup),
	H(DOMAIN_GET_INFO, domain_ref, lxcd_handle_get_info),
	H(DOMAIN_SET_AUTOSTART, domain_autostart_request, domain_handle_set_autostart),
};
const size_t lxcd_nprocs = ARRAY_SIZE(lxcd_procs);
