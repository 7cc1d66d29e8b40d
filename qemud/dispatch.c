/* The procedures sepvirt-qemud serves. Anything not listed is answered "not supported". */
#include "config.h"

#include "daemon.h"
#include "handlers.h"
#include "domain-handlers.h"
#include "node-info.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x
#define REQ(x) &sepvirt__##x##__descriptor

const struct rpc_proc qemud_procs[] = {
	{ PROC(PING), REQ(ping_request), daemon_handle_ping },
	{ PROC(EVENT_REGISTER), REQ(event_register_request), rpc_server_handle_event_register },
	{ PROC(NODE_GET_INFO), REQ(node_info_request), node_handle_get_info },
	{ PROC(DOMAIN_DEFINE), REQ(domain_define_request), qemud_handle_define },
	{ PROC(DOMAIN_CREATE), REQ(domain_define_request), qemud_handle_create },
	{ PROC(DOMAIN_OPEN_CONSOLE), REQ(domain_console_request), qemud_handle_open_console },
	{ PROC(DOMAIN_UNDEFINE), REQ(domain_ref), domain_handle_undefine },
	{ PROC(DOMAIN_LIST), REQ(domain_list_request), domain_handle_list },
	{ PROC(DOMAIN_LOOKUP), REQ(domain_ref), domain_handle_lookup },
	{ PROC(DOMAIN_START), REQ(domain_ref), qemud_handle_start },
	{ PROC(DOMAIN_SHUTDOWN), REQ(domain_ref), qemud_handle_shutdown },
	{ PROC(DOMAIN_DESTROY), REQ(domain_ref), qemud_handle_destroy },
	{ PROC(DOMAIN_REBOOT), REQ(domain_ref), qemud_handle_reboot },
	{ PROC(DOMAIN_SUSPEND), REQ(domain_ref), qemud_handle_suspend },
	{ PROC(DOMAIN_RESUME), REQ(domain_ref), qemud_handle_resume },
	{ PROC(DOMAIN_GET_XML), REQ(domain_flags_request), domain_handle_get_xml },
	{ PROC(DOMAIN_GET_STATE), REQ(domain_ref), domain_handle_lookup },
	{ PROC(DOMAIN_GET_INFO), REQ(domain_ref), qemud_handle_get_info },
	{ PROC(DOMAIN_IFLIST), REQ(domain_ref), qemud_handle_iflist },
	{ PROC(DOMAIN_SET_AUTOSTART), REQ(domain_autostart_request), domain_handle_set_autostart },
};
const size_t qemud_nprocs = ARRAY_SIZE(qemud_procs);
