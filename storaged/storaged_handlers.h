/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The RPC handlers of storaged, one file per group. */
#pragma once

#include "storaged.h"

#define STORAGED_HANDLER(n) \
	int n(struct rpc_request *req, const ProtobufCMessage *msg, struct rpc_reply *reply, struct sv_error *err)

/* storaged_handlers_pool.c */
STORAGED_HANDLER(storaged_handle_pool_define);
STORAGED_HANDLER(storaged_handle_pool_undefine);
STORAGED_HANDLER(storaged_handle_pool_build);
STORAGED_HANDLER(storaged_handle_pool_start);
STORAGED_HANDLER(storaged_handle_pool_destroy);
STORAGED_HANDLER(storaged_handle_pool_list);
STORAGED_HANDLER(storaged_handle_pool_info);
STORAGED_HANDLER(storaged_handle_pool_get_xml);
STORAGED_HANDLER(storaged_handle_pool_refresh);
STORAGED_HANDLER(storaged_handle_pool_set_autostart);
/* storaged_handlers_vol.c */
STORAGED_HANDLER(storaged_handle_vol_create);
STORAGED_HANDLER(storaged_handle_vol_delete);
STORAGED_HANDLER(storaged_handle_vol_list);
STORAGED_HANDLER(storaged_handle_vol_info);
STORAGED_HANDLER(storaged_handle_vol_get_xml);
STORAGED_HANDLER(storaged_handle_vol_resize);
STORAGED_HANDLER(storaged_handle_vol_clone);
/* storaged_upload.c */
STORAGED_HANDLER(storaged_handle_vol_upload);
STORAGED_HANDLER(storaged_handle_vol_download);
/* storaged_open.c */
STORAGED_HANDLER(storaged_handle_vol_open);
