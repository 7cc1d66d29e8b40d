/* The RPC handlers of the domain procedures, listed in dispatch.c. */
#pragma once

#include "lxcd.h"

#define LXCD_HANDLER(name) \
	int name(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply, struct sv_error *err)

/* handlers-define.c: the persistent side and the read-only queries */
LXCD_HANDLER(lxcd_handle_define);
LXCD_HANDLER(lxcd_handle_create);
LXCD_HANDLER(lxcd_handle_open_console);
LXCD_HANDLER(lxcd_handle_undefine);
LXCD_HANDLER(lxcd_handle_set_autostart);
LXCD_HANDLER(lxcd_handle_list);
LXCD_HANDLER(lxcd_handle_lookup);
LXCD_HANDLER(lxcd_handle_get_xml);
LXCD_HANDLER(lxcd_handle_get_state);
LXCD_HANDLER(lxcd_handle_get_info);
/* handlers-control.c */
LXCD_HANDLER(lxcd_handle_start);
LXCD_HANDLER(lxcd_handle_shutdown);
LXCD_HANDLER(lxcd_handle_destroy);
LXCD_HANDLER(lxcd_handle_suspend);
LXCD_HANDLER(lxcd_handle_resume);
