/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "procs.h"
#include "util.h"

#define P(id, fl) { SEPVIRT__PROCEDURE__PROC_##id, #id, fl }
#define RO (PROC_READ_ONLY | PROC_CLIENT)
#define RW (PROC_CLIENT)

static const struct proc_info procs[] = {
	P(PING, RO),
	P(EVENT_REGISTER, RO),
	P(NODE_GET_INFO, RO),
	P(DOMAIN_DEFINE, RW),
	P(DOMAIN_UNDEFINE, RW),
	P(DOMAIN_LIST, RO),
	P(DOMAIN_LOOKUP, RO),
	P(DOMAIN_START, RW),
	P(DOMAIN_SHUTDOWN, RW),
	P(DOMAIN_DESTROY, RW),
	P(DOMAIN_REBOOT, RW),
	P(DOMAIN_SUSPEND, RW),
	P(DOMAIN_RESUME, RW),
	P(DOMAIN_GET_XML, RO),
	P(DOMAIN_GET_STATE, RO),
	P(DOMAIN_GET_INFO, RO),
	P(DOMAIN_IFLIST, RO),
	P(DOMAIN_SET_AUTOSTART, RW),
	P(DOMAIN_EVENT, 0), /* an event frame, never a call */
	P(DOMAIN_EVENT_OTHER, 0), /* an event frame, never a call */
	P(DOMAIN_CREATE, RW),
	P(DOMAIN_OPEN_CONSOLE, RW),
	P(DOMAIN_GET_CONTROL_INFO, RO),
	P(DOMAIN_RESET, RW),
	P(DOMAIN_XML_TO_NATIVE, RO),
	P(DOMAIN_ATTACH_DEVICE, RW),
	P(DOMAIN_DETACH_DEVICE, RW),
	P(DOMAIN_UPDATE_DEVICE, RW),
	P(DOMAIN_BLOCK_STATS, RO),
	P(DOMAIN_INTERFACE_STATS, RO),
	P(DOMAIN_MEMORY_STATS, RO),
	P(DOMAIN_GET_BLOCK_INFO, RO),
	P(DOMAIN_GET_CPU_STATS, RO),
	P(DOMAIN_GET_STATS, RO),
	P(DOMAIN_SAVE, RW),
	P(DOMAIN_RESTORE, RW),
	P(DOMAIN_MANAGED_SAVE, RW),
	P(DOMAIN_MANAGED_SAVE_REMOVE, RW),
	P(DOMAIN_HAS_MANAGED_SAVE, RO),
	P(DOMAIN_SNAPSHOT_CREATE, RW),
	P(DOMAIN_SNAPSHOT_LIST, RO),
	P(DOMAIN_SNAPSHOT_GET_XML, RO),
	P(DOMAIN_SNAPSHOT_REVERT, RW),
	P(DOMAIN_SNAPSHOT_DELETE, RW),
	P(DOMAIN_SET_MEMORY, RW),
	P(DOMAIN_SET_VCPUS, RW),
	P(DOMAIN_SHUTDOWN_FLAGS, RW),
	P(DOMAIN_AGENT_ADDRESSES, RW), /* the agent is the guest's: libvirt allows it only read-write */
	P(CLIENT_CLOSED, PROC_DRIVER_ONLY), /* proxyd's own word */
	P(NET_OPEN_TAP, PROC_DRIVER_ONLY),
	P(NET_LIST_TAPS, RO),
	P(NET_RELEASE_TAPS, PROC_DRIVER_ONLY),
	P(NET_CREATE_VETH, PROC_DRIVER_ONLY),
	P(NETWORK_DEFINE, RW),
	P(NETWORK_UNDEFINE, RW),
	P(NETWORK_CREATE, RW),
	P(NETWORK_START, RW),
	P(NETWORK_DESTROY, RW),
	P(NETWORK_LIST, RO),
	P(NETWORK_INFO, RO),
	P(NETWORK_GET_XML, RO),
	P(NETWORK_SET_AUTOSTART, RW),
	P(NETWORK_GET_DHCP_LEASES, RO),
	P(NETWORK_UPDATE, RW),
	P(POOL_DEFINE, RW),
	P(POOL_UNDEFINE, RW),
	P(POOL_BUILD, RW),
	P(POOL_START, RW),
	P(POOL_DESTROY, RW),
	P(POOL_LIST, RO),
	P(POOL_INFO, RO),
	P(POOL_GET_XML, RO),
	P(POOL_REFRESH, RW),
	P(POOL_SET_AUTOSTART, RW),
	P(VOL_CREATE, RW),
	P(VOL_DELETE, RW),
	P(VOL_LIST, RO),
	P(VOL_INFO, RO),
	P(VOL_GET_XML, RO),
	P(VOL_RESIZE, RW),
	P(VOL_CLONE, RW),
	P(VOL_UPLOAD, RW),
	P(VOL_DOWNLOAD, RW), /* guest data: never on a read-only connection (as libvirt) */
	P(VOL_OPEN, PROC_DRIVER_ONLY),
};

const struct proc_info *proc_info_lookup(uint32_t proc)
{
	for (size_t i = 0; i < ARRAY_SIZE(procs); i++)
		if (procs[i].proc == proc)
			return &procs[i];
	return NULL;
}

const char *proc_name(uint32_t proc)
{
	const struct proc_info *p = proc_info_lookup(proc);
	return p ? p->name : "UNKNOWN";
}

static const char *const programs[][2] = {
	[SEPVIRT__PROGRAM__PROGRAM_PROXY] = { "proxy", "proxyd" },
	[SEPVIRT__PROGRAM__PROGRAM_QEMU] = { "qemu", "qemud" },
	[SEPVIRT__PROGRAM__PROGRAM_LXC] = { "lxc", "lxcd" },
	[SEPVIRT__PROGRAM__PROGRAM_NET] = { "net", "netd" },
	[SEPVIRT__PROGRAM__PROGRAM_STORAGE] = { "storage", "storaged" },
};

const char *program_name(uint32_t program)
{
	if (program >= ARRAY_SIZE(programs) || !programs[program][0])
		return "unknown";
	return programs[program][0];
}

const char *program_daemon(uint32_t program)
{
	if (program >= ARRAY_SIZE(programs))
		return NULL;
	return programs[program][1];
}
