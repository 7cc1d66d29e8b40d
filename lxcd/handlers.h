/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The RPC handlers of the domain procedures, listed in dispatch.c. */
#pragma once

#include "lxcd.h"

#define LXCD_HANDLER(name) \
	int name(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply, struct sv_error *err)

/* handlers-define.c: define, create, console, info (the rest: libshared/domain-handlers.h) */
LXCD_HANDLER(lxcd_handle_define);
LXCD_HANDLER(lxcd_handle_create);
LXCD_HANDLER(lxcd_handle_open_console);
LXCD_HANDLER(lxcd_handle_get_info);
/* handlers-control.c */
LXCD_HANDLER(lxcd_handle_start);
LXCD_HANDLER(lxcd_handle_shutdown);
LXCD_HANDLER(lxcd_handle_destroy);
LXCD_HANDLER(lxcd_handle_suspend);
LXCD_HANDLER(lxcd_handle_resume);
