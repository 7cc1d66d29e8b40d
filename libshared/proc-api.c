/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The libvirt API function each procedure serves, for messages a user reads: virsh names the
 * function ("read only access prevents virDomainDefineXML"), not the wire procedure. */
#include "config.h"

#include "procs.h"
#include "util.h"

#define A(id, api) { SEPVIRT__PROCEDURE__PROC_##id, api }

static const struct {
	uint32_t proc;
	const char *api;
} apis[] = {
	A(NODE_GET_INFO, "virNodeGetInfo"),
	A(DOMAIN_DEFINE, "virDomainDefineXML"),
	A(DOMAIN_UNDEFINE, "virDomainUndefine"),
	A(DOMAIN_LIST, "virConnectListAllDomains"),
	A(DOMAIN_LOOKUP, "virDomainLookupByName"),
	A(DOMAIN_START, "virDomainCreate"),
	A(DOMAIN_SHUTDOWN, "virDomainShutdown"),
	A(DOMAIN_DESTROY, "virDomainDestroy"),
	A(DOMAIN_REBOOT, "virDomainReboot"),
	A(DOMAIN_SUSPEND, "virDomainSuspend"),
	A(DOMAIN_RESUME, "virDomainResume"),
	A(DOMAIN_GET_XML, "virDomainGetXMLDesc"),
	A(DOMAIN_GET_STATE, "virDomainGetState"),
	A(DOMAIN_GET_INFO, "virDomainGetInfo"),
	A(DOMAIN_IFLIST, "virDomainInterfaceAddresses"),
	A(DOMAIN_SET_AUTOSTART, "virDomainSetAutostart"),
	A(DOMAIN_CREATE, "virDomainCreateXML"),
	A(DOMAIN_OPEN_CONSOLE, "virDomainOpenConsole"),
	A(DOMAIN_GET_CONTROL_INFO, "virDomainGetControlInfo"),
	A(DOMAIN_RESET, "virDomainReset"),
	A(DOMAIN_XML_TO_NATIVE, "virConnectDomainXMLToNative"),
	A(DOMAIN_ATTACH_DEVICE, "virDomainAttachDeviceFlags"),
	A(DOMAIN_DETACH_DEVICE, "virDomainDetachDeviceFlags"),
	A(DOMAIN_UPDATE_DEVICE, "virDomainUpdateDeviceFlags"),
	A(NETWORK_DEFINE, "virNetworkDefineXML"),
	A(NETWORK_UNDEFINE, "virNetworkUndefine"),
	A(NETWORK_CREATE, "virNetworkCreateXML"),
	A(NETWORK_START, "virNetworkCreate"),
	A(NETWORK_DESTROY, "virNetworkDestroy"),
	A(NETWORK_LIST, "virConnectListAllNetworks"),
	A(NETWORK_INFO, "virNetworkLookupByName"),
	A(NETWORK_GET_XML, "virNetworkGetXMLDesc"),
	A(NETWORK_SET_AUTOSTART, "virNetworkSetAutostart"),
	A(NETWORK_GET_DHCP_LEASES, "virNetworkGetDHCPLeases"),
	A(NETWORK_UPDATE, "virNetworkUpdate"),
	A(DOMAIN_BLOCK_STATS, "virDomainBlockStatsFlags"),
	A(DOMAIN_INTERFACE_STATS, "virDomainInterfaceStats"),
	A(DOMAIN_MEMORY_STATS, "virDomainMemoryStats"),
	A(DOMAIN_GET_BLOCK_INFO, "virDomainGetBlockInfo"),
	A(DOMAIN_GET_CPU_STATS, "virDomainGetCPUStats"),
	A(DOMAIN_GET_STATS, "virDomainListGetStats"),
	A(DOMAIN_SAVE, "virDomainSaveFlags"),
	A(DOMAIN_RESTORE, "virDomainRestoreFlags"),
	A(DOMAIN_MANAGED_SAVE, "virDomainManagedSave"),
	A(DOMAIN_MANAGED_SAVE_REMOVE, "virDomainManagedSaveRemove"),
	A(DOMAIN_HAS_MANAGED_SAVE, "virDomainHasManagedSaveImage"),
	A(DOMAIN_SNAPSHOT_CREATE, "virDomainSnapshotCreateXML"),
	A(DOMAIN_SNAPSHOT_LIST, "virDomainListAllSnapshots"),
	A(DOMAIN_SNAPSHOT_GET_XML, "virDomainSnapshotGetXMLDesc"),
	A(DOMAIN_SNAPSHOT_REVERT, "virDomainRevertToSnapshot"),
	A(DOMAIN_SNAPSHOT_DELETE, "virDomainSnapshotDelete"),
	A(DOMAIN_SET_MEMORY, "virDomainSetMemoryFlags"),
	A(DOMAIN_SET_VCPUS, "virDomainSetVcpusFlags"),
	A(DOMAIN_SHUTDOWN_FLAGS, "virDomainShutdownFlags"),
	A(DOMAIN_AGENT_ADDRESSES, "virDomainInterfaceAddresses"),
	A(POOL_DEFINE, "virStoragePoolDefineXML"),
	A(POOL_UNDEFINE, "virStoragePoolUndefine"),
	A(POOL_BUILD, "virStoragePoolBuild"),
	A(POOL_START, "virStoragePoolCreate"),
	A(POOL_DESTROY, "virStoragePoolDestroy"),
	A(POOL_LIST, "virConnectListAllStoragePools"),
	A(POOL_INFO, "virStoragePoolGetInfo"),
	A(POOL_GET_XML, "virStoragePoolGetXMLDesc"),
	A(POOL_REFRESH, "virStoragePoolRefresh"),
	A(POOL_SET_AUTOSTART, "virStoragePoolSetAutostart"),
	A(VOL_CREATE, "virStorageVolCreateXML"),
	A(VOL_DELETE, "virStorageVolDelete"),
	A(VOL_LIST, "virStoragePoolListAllVolumes"),
	A(VOL_INFO, "virStorageVolGetInfo"),
	A(VOL_GET_XML, "virStorageVolGetXMLDesc"),
	A(VOL_RESIZE, "virStorageVolResize"),
	A(VOL_CLONE, "virStorageVolCreateXMLFrom"),
	A(VOL_UPLOAD, "virStorageVolUpload"),
	A(VOL_DOWNLOAD, "virStorageVolDownload"),
};

const char *proc_api_name(uint32_t proc)
{
	for (size_t i = 0; i < ARRAY_SIZE(apis); i++)
		if (apis[i].proc == proc)
			return apis[i].api;
	return proc_name(proc); /* sepvirt's own (tap-list): its wire name */
}
