/* The procedures sepvirt-storaged serves. Anything not listed is answered "not supported";
 * who may call each one is libshared/procs.c's table (VOL_OPEN: the driver daemons only). */
#include "config.h"

#include "daemon.h"
#include "storaged.h"
#include "storaged_handlers.h"

#define P(id, req, fn) { SEPVIRT__PROCEDURE__PROC_##id, &sepvirt__##req##__descriptor, fn }

const struct rpc_proc storaged_procs[] = {
	P(PING, ping_request, daemon_handle_ping),
	P(POOL_DEFINE, pool_define_request, storaged_handle_pool_define),
	P(POOL_UNDEFINE, pool_ref, storaged_handle_pool_undefine),
	P(POOL_BUILD, pool_ref, storaged_handle_pool_build),
	P(POOL_START, pool_ref, storaged_handle_pool_start),
	P(POOL_DESTROY, pool_ref, storaged_handle_pool_destroy),
	P(POOL_LIST, pool_list_request, storaged_handle_pool_list),
	P(POOL_INFO, pool_ref, storaged_handle_pool_info),
	P(POOL_GET_XML, pool_ref, storaged_handle_pool_get_xml),
	P(POOL_REFRESH, pool_ref, storaged_handle_pool_refresh),
	P(POOL_SET_AUTOSTART, pool_autostart_request, storaged_handle_pool_set_autostart),
	P(VOL_CREATE, vol_create_request, storaged_handle_vol_create),
	P(VOL_DELETE, vol_ref, storaged_handle_vol_delete),
	P(VOL_LIST, pool_ref, storaged_handle_vol_list),
	P(VOL_INFO, vol_ref, storaged_handle_vol_info),
	P(VOL_GET_XML, vol_ref, storaged_handle_vol_get_xml),
	P(VOL_RESIZE, vol_resize_request, storaged_handle_vol_resize),
	P(VOL_CLONE, vol_clone_request, storaged_handle_vol_clone),
	P(VOL_UPLOAD, vol_upload_request, storaged_handle_vol_upload),
	P(VOL_DOWNLOAD, vol_download_request, storaged_handle_vol_download),
	P(VOL_OPEN, vol_open_request, storaged_handle_vol_open),
};
const size_t storaged_nprocs = ARRAY_SIZE(storaged_procs);
