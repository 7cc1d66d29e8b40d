/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The procedures sepvirt-storaged serves. Anything not listed is answered "not supported";
 * the last column says who may call it (identity.h): the user procedures only proxyd (for its
 * clients) and root; VOL_OPEN only qemud (and root). */
#include "config.h"

#include "daemon.h"
#include "storaged.h"
#include "storaged_handlers.h"

#define P(id, req, fn, roles) { SEPVIRT__PROCEDURE__PROC_##id, &sepvirt__##req##__descriptor, fn, roles }

const struct rpc_proc storaged_procs[] = {
	P(PING, ping_request, daemon_handle_ping, ROLE_ANY),
	P(POOL_DEFINE, pool_define_request, storaged_handle_pool_define, ROLE_CLIENTS),
	P(POOL_UNDEFINE, pool_ref, storaged_handle_pool_undefine, ROLE_CLIENTS),
	P(POOL_BUILD, pool_ref, storaged_handle_pool_build, ROLE_CLIENTS),
	P(POOL_START, pool_ref, storaged_handle_pool_start, ROLE_CLIENTS),
	P(POOL_DESTROY, pool_ref, storaged_handle_pool_destroy, ROLE_CLIENTS),
	P(POOL_LIST, pool_list_request, storaged_handle_pool_list, ROLE_CLIENTS),
	P(POOL_INFO, pool_ref, storaged_handle_pool_info, ROLE_CLIENTS),
	P(POOL_GET_XML, pool_ref, storaged_handle_pool_get_xml, ROLE_CLIENTS),
	P(POOL_REFRESH, pool_ref, storaged_handle_pool_refresh, ROLE_CLIENTS),
	P(POOL_SET_AUTOSTART, pool_autostart_request, storaged_handle_pool_set_autostart, ROLE_CLIENTS),
	P(VOL_CREATE, vol_create_request, storaged_handle_vol_create, ROLE_CLIENTS),
	P(VOL_DELETE, vol_ref, storaged_handle_vol_delete, ROLE_CLIENTS),
	P(VOL_LIST, pool_ref, storaged_handle_vol_list, ROLE_CLIENTS),
	P(VOL_INFO, vol_ref, storaged_handle_vol_info, ROLE_CLIENTS),
	P(VOL_GET_XML, vol_ref, storaged_handle_vol_get_xml, ROLE_CLIENTS),
	P(VOL_RESIZE, vol_resize_request, storaged_handle_vol_resize, ROLE_CLIENTS),
	P(VOL_CLONE, vol_clone_request, storaged_handle_vol_clone, ROLE_CLIENTS),
	P(VOL_UPLOAD, vol_upload_request, storaged_handle_vol_upload, ROLE_CLIENTS),
	P(VOL_DOWNLOAD, vol_download_request, storaged_handle_vol_download, ROLE_CLIENTS),
	P(VOL_OPEN, vol_open_request, storaged_handle_vol_open, ROLE_QEMUD | ROLE_ROOT),
};
const size_t storaged_nprocs = ARRAY_SIZE(storaged_procs);
