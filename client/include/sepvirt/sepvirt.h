/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsepvirt: the public, stable C API of sepvirt.
 * Every call goes to sepvirt-proxyd, which checks who the caller is and routes it to the
 * daemon in charge. Functions return 0 (or a count) on success and -1 on failure; the
 * failure is then described by sepvirt_last_error() (per thread). */
#ifndef SEPVIRT_SEPVIRT_H
#define SEPVIRT_SEPVIRT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SEPVIRT_VERSION_MAJOR 0
#define SEPVIRT_VERSION_MINOR 1
#define SEPVIRT_VERSION_MICRO 0

typedef struct sepvirt_conn sepvirt_conn;

typedef struct sepvirt_error {
	int code;    /* SEPVIRT_ERR_* (same values as the daemons' error codes) */
	int domain;  /* which part raised it */
	const char *message;
} sepvirt_error;

enum {
	SEPVIRT_ERR_OK = 0,
	SEPVIRT_ERR_INTERNAL,
	SEPVIRT_ERR_INVALID_ARG,
	SEPVIRT_ERR_XML,
	SEPVIRT_ERR_CONFIG_UNSUPPORTED,
	SEPVIRT_ERR_NOT_SUPPORTED,
	SEPVIRT_ERR_NO_DOMAIN,
	SEPVIRT_ERR_NO_NETWORK,
	SEPVIRT_ERR_NO_POOL,
	SEPVIRT_ERR_NO_VOLUME,
	SEPVIRT_ERR_OPERATION_INVALID,
	SEPVIRT_ERR_OPERATION_FAILED,
	SEPVIRT_ERR_PERMISSION,
	SEPVIRT_ERR_READ_ONLY,
	SEPVIRT_ERR_DRIVER_UNAVAILABLE,
	SEPVIRT_ERR_RPC,
	SEPVIRT_ERR_SYSTEM,
	SEPVIRT_ERR_EXISTS,
	/* The call was sent but its answer never came (a daemon died, the connection closed, the
	 * deadline passed): it may or may not have been done; look before doing it again. Any
	 * other error means the call changed nothing. */
	SEPVIRT_ERR_OUTCOME_UNKNOWN,
};

/* The last error of this thread; NULL when the last call succeeded. */
const sepvirt_error *sepvirt_last_error(void);
const char *sepvirt_library_version(void);

enum sepvirt_connect_flags {
	SEPVIRT_CONNECT_RO = 1 << 0, /* the read-only socket: only read-only calls pass */
};

/* uri: "qemu:///system", "qemu:///session", "lxc:///system"... NULL: $SEPVIRT_DEFAULT_URI,
 * else qemu:///system as root and qemu:///session otherwise. */
sepvirt_conn *sepvirt_connect(const char *uri, unsigned int flags);
int sepvirt_close(sepvirt_conn *conn);
const char *sepvirt_conn_uri(const sepvirt_conn *conn);
/* How long each call on conn waits for its reply before it fails with "no reply from ... within
 * N ms" (SV_ERR_RPC); 0 waits forever. Default: call_timeout_ms / SEPVIRT_CALL_TIMEOUT_MS, else
 * 120 s. Returns 0, or -1 for a negative ms. */
int sepvirt_conn_set_timeout(sepvirt_conn *conn, int ms);

enum sepvirt_daemon {
	SEPVIRT_DAEMON_PROXY = 1,
	SEPVIRT_DAEMON_QEMU = 2,
	SEPVIRT_DAEMON_LXC = 3,
	SEPVIRT_DAEMON_NET = 4,
	SEPVIRT_DAEMON_STORAGE = 5,
	SEPVIRT_DAEMON_DRIVER = 100, /* the driver of the connection's URI */
};

typedef struct sepvirt_daemon_info {
	char name[64];
	char version[32];
	int pid;
	unsigned int uid, gid;
	char cap_eff[32];   /* CapEff of the daemon, hex as in /proc/PID/status */
	unsigned int seccomp; /* 2: a filter is loaded */
	char hypervisor[64];
} sepvirt_daemon_info;

/* Asks one daemon, through the proxy, who it is. */
int sepvirt_ping(sepvirt_conn *conn, int daemon, sepvirt_daemon_info *info);

/* Domains. `dom` is a name, a UUID or an id, as virsh takes them. */
enum sepvirt_domain_state {
	SEPVIRT_DOMAIN_NOSTATE = 0,
	SEPVIRT_DOMAIN_RUNNING = 1,
	SEPVIRT_DOMAIN_BLOCKED = 2,
	SEPVIRT_DOMAIN_PAUSED = 3,
	SEPVIRT_DOMAIN_SHUTDOWN = 4,
	SEPVIRT_DOMAIN_SHUTOFF = 5,
	SEPVIRT_DOMAIN_CRASHED = 6,
	SEPVIRT_DOMAIN_PMSUSPENDED = 7,
};

typedef struct sepvirt_domain {
	int id;           /* -1 when not running */
	char name[256];
	char uuid[37];
	int state;        /* enum sepvirt_domain_state */
	int reason;
	int autostart;
	int persistent;
} sepvirt_domain;

typedef struct sepvirt_domain_info {
	sepvirt_domain dom;
	char os_type[32];
	uint64_t max_memory_kib;
	uint64_t memory_kib;
	unsigned int vcpus;
	uint64_t cpu_time_ns;
	char security_model[64];
} sepvirt_domain_info;

/* What the driver is doing with a domain (virsh domcontrol), answered from the driver's own
 * state even while the domain's QEMU does not answer. */
enum sepvirt_domain_control_state {
	SEPVIRT_DOMAIN_CONTROL_OK = 0,       /* idle */
	SEPVIRT_DOMAIN_CONTROL_JOB = 1,      /* a job of the domain runs; its monitor is idle */
	SEPVIRT_DOMAIN_CONTROL_OCCUPIED = 2, /* a monitor command waits for its answer */
	SEPVIRT_DOMAIN_CONTROL_ERROR = 3,    /* details 1: the monitor is unresponsive */
};

typedef struct sepvirt_domain_control_info {
	int state;              /* enum sepvirt_domain_control_state */
	int details;
	uint64_t state_time_ms; /* time spent in this state */
	char job[32];           /* the running job ("start", "suspend" ...) or "" */
	char message[256];      /* for an error: what is wrong */
} sepvirt_domain_control_info;

typedef struct sepvirt_domain_iface {
	char target[64];
	char type[32];
	char source[128];
	char model[32];
	char mac[32];
} sepvirt_domain_iface;

enum { SEPVIRT_DEFINE_VALIDATE = 1 << 0 };
enum { SEPVIRT_LIST_ALL = 1 << 0 };
enum { SEPVIRT_XML_INACTIVE = 1 << 0 };

int sepvirt_domain_define(sepvirt_conn *conn, const char *xml, unsigned int flags, sepvirt_domain *out);
/* An fd on the running domain's console pty (dev_name "serial0", "console1"...; NULL: the
 * first console); the caller reads and writes it raw and closes it. */
int sepvirt_domain_open_console(sepvirt_conn *conn, const char *dom, const char *dev_name, int *fd);
/* A transient domain: started at once, never saved, gone when it stops. */
int sepvirt_domain_create(sepvirt_conn *conn, const char *xml, unsigned int flags, sepvirt_domain *out);
int sepvirt_domain_undefine(sepvirt_conn *conn, const char *dom);
/* Returns the number of domains; *list is freed with free(). */
int sepvirt_domain_list(sepvirt_conn *conn, unsigned int flags, sepvirt_domain **list);
int sepvirt_domain_lookup(sepvirt_conn *conn, const char *dom, sepvirt_domain *out);
int sepvirt_domain_start(sepvirt_conn *conn, const char *dom);
enum { SEPVIRT_START_PAUSED = 1 << 0, SEPVIRT_START_AUTODESTROY = 1 << 1 };
/* SEPVIRT_START_AUTODESTROY: the domain is destroyed when this connection closes. */
/* SEPVIRT_START_PAUSED: the guest does not run until resumed ("paused (user)"). */
int sepvirt_domain_start_flags(sepvirt_conn *conn, const char *dom, unsigned int flags);
/* Resets the running guest at once, as its reset button would (no shutdown inside it). */
int sepvirt_domain_reset(sepvirt_conn *conn, const char *dom);
/* Hotplug, as libvirt's virDomainAttachDeviceFlags/virDomainDetachDeviceFlags: xml is one <disk>
 * or <interface> element. CURRENT: the running guest if the domain runs, else the persistent
 * definition; LIVE and CONFIG may be combined (virsh --persistent). A detach waits up to 5 s for
 * the guest to release the device; past that it returns 0, the removal requested, and the device
 * goes when the guest lets it go. */
enum {
	SEPVIRT_DEVICE_MODIFY_CURRENT = 0,
	SEPVIRT_DEVICE_MODIFY_LIVE = 1 << 0,
	SEPVIRT_DEVICE_MODIFY_CONFIG = 1 << 1,
	SEPVIRT_DEVICE_MODIFY_FORCE = 1 << 2, /* update: eject even a tray the guest locked */
};
int sepvirt_domain_attach_device(sepvirt_conn *conn, const char *dom, const char *xml, unsigned int flags);
int sepvirt_domain_detach_device(sepvirt_conn *conn, const char *dom, const char *xml, unsigned int flags);
/* As virDomainUpdateDeviceFlags, for a cdrom's medium: xml is the cdrom's <disk> with the new
 * <source> (none: the tray emptied). */
int sepvirt_domain_update_device(sepvirt_conn *conn, const char *dom, const char *xml, unsigned int flags);
/* Save and restore, as libvirt's virDomainSaveFlags/virDomainRestoreFlags: the running domain's
 * state goes to path (created by this call, with the caller's rights; removed when the save
 * fails) and the domain stops ("shut off (saved)"); restore starts the domain the file names,
 * where it was. SEPVIRT_SAVE_RUNNING/PAUSED: the state a restore gives (default: as saved).
 * A remote (ssh) connection cannot pass the file and is refused. */
enum { SEPVIRT_SAVE_RUNNING = 1 << 1, SEPVIRT_SAVE_PAUSED = 1 << 2 };
int sepvirt_domain_save(sepvirt_conn *conn, const char *dom, const char *path, unsigned int flags);
/* out (may be NULL): the restored domain. */
int sepvirt_domain_restore(sepvirt_conn *conn, const char *path, unsigned int flags, sepvirt_domain *out);
/* Managed save: the state is kept by the driver; the next start resumes from it. */
int sepvirt_domain_managed_save(sepvirt_conn *conn, const char *dom, unsigned int flags);
int sepvirt_domain_managed_save_remove(sepvirt_conn *conn, const char *dom);
/* 1 when dom has a managed save image, 0 when not, -1 on error. */
int sepvirt_domain_has_managed_save(sepvirt_conn *conn, const char *dom);

/* Internal snapshots of a running domain whose writable disks are qcow2 (virsh snapshot-*). */
typedef struct sepvirt_snapshot {
	char name[129];
	char description[1024];
	char state[16];          /* "running", "paused": the domain's when it was taken */
	char parent[129];        /* "" for none */
	long long creation_time; /* seconds since the epoch */
	int current;
} sepvirt_snapshot;
/* xml: libvirt's <domainsnapshot> (name, description). out (may be NULL): the snapshot's name. */
int sepvirt_snapshot_create_xml(sepvirt_conn *conn, const char *dom, const char *xml, unsigned int flags,
				sepvirt_snapshot *out);
/* The count, with *list (free() it), or -1. */
int sepvirt_snapshot_list(sepvirt_conn *conn, const char *dom, sepvirt_snapshot **list);
char *sepvirt_snapshot_get_xml(sepvirt_conn *conn, const char *dom, const char *name);
/* The guest goes back to the snapshot: disks, memory and running or paused state. */
int sepvirt_snapshot_revert(sepvirt_conn *conn, const char *dom, const char *name);
int sepvirt_snapshot_delete(sepvirt_conn *conn, const char *dom, const char *name);
int sepvirt_domain_shutdown(sepvirt_conn *conn, const char *dom);
/* How a shutdown is asked of the guest (libvirt's numbers); 0: the driver's default (ACPI). */
enum { SEPVIRT_SHUTDOWN_ACPI = 1 << 0, SEPVIRT_SHUTDOWN_AGENT = 1 << 1 };
int sepvirt_domain_shutdown_flags(sepvirt_conn *conn, const char *dom, unsigned int flags);
/* Which definition a change affects (libvirt's virDomainModificationImpact): none given, the
 * running domain while it runs, else the persistent one; SEPVIRT_SET_MAXIMUM: the maximum. */
enum { SEPVIRT_AFFECT_LIVE = 1 << 0, SEPVIRT_AFFECT_CONFIG = 1 << 1, SEPVIRT_SET_MAXIMUM = 1 << 2 };
/* The guest's memory in KiB: live through the balloon; with SEPVIRT_SET_MAXIMUM the maximum
 * (the persistent definition only, as QEMU cannot change it while running). */
/* The guest's own interfaces and addresses, from its QEMU guest agent (virsh domifaddr --source
 * agent): one entry per address, an interface without any has one with address "". Returns the
 * count; *list is freed with free(). */
typedef struct sepvirt_agent_address {
	char name[64];
	char mac[32];
	int ipv6;
	char address[64];
	unsigned prefix;
} sepvirt_agent_address;
int sepvirt_domain_agent_addresses(sepvirt_conn *conn, const char *dom, sepvirt_agent_address **list);
int sepvirt_domain_set_memory_flags(sepvirt_conn *conn, const char *dom, unsigned long long kib, unsigned int flags);
/* The guest's vCPUs: live by plugging vCPUs (up to the maximum) and unplugging those plugged so;
 * with SEPVIRT_SET_MAXIMUM the maximum (persistent definition only). */
int sepvirt_domain_set_vcpus_flags(sepvirt_conn *conn, const char *dom, unsigned int count, unsigned int flags);
int sepvirt_domain_destroy(sepvirt_conn *conn, const char *dom);
int sepvirt_domain_reboot(sepvirt_conn *conn, const char *dom);
int sepvirt_domain_suspend(sepvirt_conn *conn, const char *dom);
int sepvirt_domain_resume(sepvirt_conn *conn, const char *dom);
/* Returns a string freed with free(), NULL on failure. */
char *sepvirt_domain_get_xml(sepvirt_conn *conn, const char *dom, unsigned int flags);
/* virConnectDomainXMLToNative: format "qemu-argv", the command line the driver would run for xml
 * (one line; fds as the numbers QEMU would see). Freed with free(), NULL on failure; flags: 0. */
char *sepvirt_connect_domain_xml_to_native(sepvirt_conn *conn, const char *format, const char *xml,
					    unsigned int flags);
int sepvirt_domain_get_state(sepvirt_conn *conn, const char *dom, int *state, int *reason);
int sepvirt_domain_get_info(sepvirt_conn *conn, const char *dom, sepvirt_domain_info *info);
int sepvirt_domain_get_control_info(sepvirt_conn *conn, const char *dom, sepvirt_domain_control_info *info);
/* Returns the number of interfaces; *list is freed with free(). */
int sepvirt_domain_iflist(sepvirt_conn *conn, const char *dom, sepvirt_domain_iface **list);
int sepvirt_domain_set_autostart(sepvirt_conn *conn, const char *dom, int enable);

/* The host (virsh nodeinfo, hostname). */
typedef struct sepvirt_node_info {
	char model[32];
	unsigned int cpus;
	unsigned int mhz;
	unsigned int sockets;
	unsigned int cores;     /* per socket */
	unsigned int threads;   /* per core */
	unsigned int cells;     /* NUMA nodes */
	uint64_t memory_kib;
	char hostname[256];
} sepvirt_node_info;
int sepvirt_node_get_info(sepvirt_conn *conn, sepvirt_node_info *info);

/* Lifecycle events, with libvirt's numbers (virDomainEventType and its detail enums). */
enum sepvirt_domain_event_type {
	SEPVIRT_DOMAIN_EVENT_DEFINED = 0,
	SEPVIRT_DOMAIN_EVENT_UNDEFINED = 1,
	SEPVIRT_DOMAIN_EVENT_STARTED = 2,
	SEPVIRT_DOMAIN_EVENT_SUSPENDED = 3,
	SEPVIRT_DOMAIN_EVENT_RESUMED = 4,
	SEPVIRT_DOMAIN_EVENT_STOPPED = 5,
	SEPVIRT_DOMAIN_EVENT_SHUTDOWN = 6,
	SEPVIRT_DOMAIN_EVENT_PMSUSPENDED = 7,
	SEPVIRT_DOMAIN_EVENT_CRASHED = 8,
};

typedef struct sepvirt_domain_event {
	char name[256];
	char uuid[37];
	int event;        /* enum sepvirt_domain_event_type */
	int detail;
} sepvirt_domain_event;

/* From now on the connection receives the lifecycle events of its driver's domains. */
int sepvirt_domain_event_register(sepvirt_conn *conn);
/* The next event, waiting up to timeout_ms (-1: forever). 1: *ev is filled; 0: the time ran
 * out; -1: error (sepvirt_last_error). Events that come while a call waits for its reply are
 * kept for this. */
int sepvirt_domain_event_wait(sepvirt_conn *conn, int timeout_ms, sepvirt_domain_event *ev);
/* libvirt's words for them, as virsh prints them: "Started", "Booted". */
const char *sepvirt_domain_event_name(int event);
const char *sepvirt_domain_event_detail_name(int event, int detail);

/* Every event, lifecycle and the others, by libvirt's event ID (virDomainEventID). */
enum sepvirt_domain_event_id {
	SEPVIRT_DOMAIN_EVENT_ID_LIFECYCLE = 0,
	SEPVIRT_DOMAIN_EVENT_ID_REBOOT = 1,
	SEPVIRT_DOMAIN_EVENT_ID_WATCHDOG = 3,         /* action: virDomainEventWatchdogAction */
	SEPVIRT_DOMAIN_EVENT_ID_IO_ERROR = 4,         /* src_path, dev_alias, action: virDomainEventIOErrorAction */
	SEPVIRT_DOMAIN_EVENT_ID_IO_ERROR_REASON = 6,  /* the same and reason */
	SEPVIRT_DOMAIN_EVENT_ID_BALLOON_CHANGE = 13,  /* value: the guest's memory in KiB */
	SEPVIRT_DOMAIN_EVENT_ID_DEVICE_REMOVED = 15,  /* dev_alias */
	SEPVIRT_DOMAIN_EVENT_ID_DEVICE_ADDED = 19,    /* dev_alias */
};

typedef struct sepvirt_domain_event_any {
	int id;             /* enum sepvirt_domain_event_id */
	char name[256];
	char uuid[37];
	int event, detail;  /* lifecycle */
	int action;
	char src_path[4096];
	char dev_alias[256];
	char reason[64];
	unsigned long long value;
} sepvirt_domain_event_any;

/* As sepvirt_domain_event_wait, for events of every ID. */
int sepvirt_domain_event_wait_any(sepvirt_conn *conn, int timeout_ms, sepvirt_domain_event_any *ev);
/* virsh event's name of an ID ("reboot", "io-error"), NULL for one sepvirt never sends; the
 * ID of a name, -1 for none; virsh's words for a watchdog's and an I/O error's action. */
const char *sepvirt_domain_event_id_name(int id);
int sepvirt_domain_event_id_from_name(const char *name);
const char *sepvirt_domain_event_action_name(int id, int action);

/* Network devices netd holds for domains (read-only inspection). */
typedef struct sepvirt_tap {
	char domain_uuid[37];
	char domain_name[256];
	unsigned int iface_index;
	char ifname[16];
	int managed;
	char kind[8];
} sepvirt_tap;
int sepvirt_net_list_taps(sepvirt_conn *conn, const char *domain_uuid, sepvirt_tap **list);

/* Storage pools (directory pools) and volumes (raw, qcow2), served by sepvirt-storaged.
 * `pool` is a name or a UUID; `vol` is a volume name in that pool, or with pool NULL the
 * volume's path. Since 0.1.1 (symbol version SEPVIRT_0.1.1). */
typedef struct sepvirt_pool {
	char name[256];
	char uuid[37];
	int active;
	int autostart;
	int persistent;
	uint64_t capacity;   /* bytes; 0 while inactive */
	uint64_t allocation;
	uint64_t available;
	char path[4096];     /* the target directory */
} sepvirt_pool;

typedef struct sepvirt_vol {
	char name[256];
	char path[4096];     /* also the volume's key */
	char pool[256];
	char format[16];     /* "raw" or "qcow2", read from the file's header */
	uint64_t capacity;   /* virtual size, bytes */
	uint64_t allocation; /* bytes used on disk */
	char backing[4096];  /* qcow2 backing file, "" for none */
	char backing_format[16];
} sepvirt_vol;

enum {
	SEPVIRT_VOL_RESIZE_DELTA = 1 << 0,    /* capacity is added to the current size */
	SEPVIRT_VOL_RESIZE_SHRINK = 1 << 1,   /* allow a smaller size (raw only) */
	SEPVIRT_VOL_RESIZE_ALLOCATE = 1 << 2, /* allocate the new space (raw only) */
};

int sepvirt_pool_define(sepvirt_conn *conn, const char *xml, sepvirt_pool *out);
int sepvirt_pool_undefine(sepvirt_conn *conn, const char *pool);
int sepvirt_pool_build(sepvirt_conn *conn, const char *pool);
int sepvirt_pool_start(sepvirt_conn *conn, const char *pool);
int sepvirt_pool_destroy(sepvirt_conn *conn, const char *pool);
int sepvirt_pool_refresh(sepvirt_conn *conn, const char *pool);
/* flags: SEPVIRT_LIST_ALL includes inactive pools. *list is freed with free(). */
int sepvirt_pool_list(sepvirt_conn *conn, unsigned int flags, sepvirt_pool **list);
int sepvirt_pool_get_info(sepvirt_conn *conn, const char *pool, sepvirt_pool *out);
/* Returns a string freed with free(), NULL on failure. */
char *sepvirt_pool_get_xml(sepvirt_conn *conn, const char *pool);
int sepvirt_pool_set_autostart(sepvirt_conn *conn, const char *pool, int enable);

int sepvirt_vol_create(sepvirt_conn *conn, const char *pool, const char *xml, sepvirt_vol *out);
int sepvirt_vol_delete(sepvirt_conn *conn, const char *pool, const char *vol);
/* Returns the number of volumes; *list is freed with free(). */
int sepvirt_vol_list(sepvirt_conn *conn, const char *pool, sepvirt_vol **list);
int sepvirt_vol_get_info(sepvirt_conn *conn, const char *pool, const char *vol, sepvirt_vol *out);
char *sepvirt_vol_get_xml(sepvirt_conn *conn, const char *pool, const char *vol);
int sepvirt_vol_resize(sepvirt_conn *conn, const char *pool, const char *vol, uint64_t capacity,
		       unsigned int flags);
int sepvirt_vol_clone(sepvirt_conn *conn, const char *pool, const char *vol, const char *name,
		      sepvirt_vol *out);
/* Writes what fd holds from its position (a regular file: all of it, which must not be more
 * than length when length is not 0; else length bytes) into the volume from its start, in
 * place as libvirt does: the rest of the volume and its size are kept. 1 MiB chunks; the
 * volume changes only once all of it arrived and is on disk. */
int sepvirt_vol_upload(sepvirt_conn *conn, const char *pool, const char *vol, int fd, uint64_t length);
/* The same at byte offset of the volume (virsh vol-upload --offset --length). */
int sepvirt_vol_upload_range(sepvirt_conn *conn, const char *pool, const char *vol, int fd, uint64_t offset,
			     uint64_t length);
/* Writes the volume's content to fd. */
int sepvirt_vol_download(sepvirt_conn *conn, const char *pool, const char *vol, int fd);
/* At most length bytes (0: to the end) from byte offset of the volume. */
int sepvirt_vol_download_range(sepvirt_conn *conn, const char *pool, const char *vol, int fd, uint64_t offset,
			       uint64_t length);

/* Virtual networks, served by sepvirt-netd. `net` is a name or a UUID. Since 0.1.4 (symbol
 * version SEPVIRT_0.1.4). */
typedef struct sepvirt_network {
	char name[256];
	char uuid[37];
	int active;
	int autostart;
	int persistent;
	char bridge[16];
	/* a running nat or route network whose forwarded traffic a foreign firewall drops: what
	 * (from start, create and info); "" otherwise */
	char warning[512];
} sepvirt_network;

enum {
	SEPVIRT_NETWORK_XML_INACTIVE = 1 << 0, /* the persistent definition, not what runs */
};

int sepvirt_network_define(sepvirt_conn *conn, const char *xml, sepvirt_network *out);
/* Starts a transient network from XML. */
int sepvirt_network_create(sepvirt_conn *conn, const char *xml, sepvirt_network *out);
int sepvirt_network_undefine(sepvirt_conn *conn, const char *net);
int sepvirt_network_start(sepvirt_conn *conn, const char *net);
int sepvirt_network_destroy(sepvirt_conn *conn, const char *net);
/* flags: SEPVIRT_LIST_ALL includes inactive networks. *list is freed with free(). */
int sepvirt_network_list(sepvirt_conn *conn, unsigned int flags, sepvirt_network **list);
int sepvirt_network_get_info(sepvirt_conn *conn, const char *net, sepvirt_network *out);
/* Returns a string freed with free(), NULL on failure. */
char *sepvirt_network_get_xml(sepvirt_conn *conn, const char *net, unsigned int flags);
int sepvirt_network_set_autostart(sepvirt_conn *conn, const char *net, int enable);

/* What the network's DHCP server leased. */
typedef struct sepvirt_network_lease {
	int64_t expiry;      /* seconds since the epoch; 0: never */
	char mac[18];        /* "" for DHCPv6 */
	int ipv6;
	char address[46];
	unsigned int prefix;
	char hostname[256];  /* "" when none */
	char client_id[256]; /* client id or DUID; "" when none */
	char iface[16];      /* the network's bridge */
} sepvirt_network_lease;
/* mac: only that MAC's leases (NULL: all). Returns the number; *list freed with free(). */
int sepvirt_network_get_dhcp_leases(sepvirt_conn *conn, const char *net, const char *mac,
				    sepvirt_network_lease **list);

enum {
	SEPVIRT_NETWORK_UPDATE_LIVE = 1 << 0,   /* the running network */
	SEPVIRT_NETWORK_UPDATE_CONFIG = 1 << 1, /* the persistent definition; neither: the current state */
};
/* command "add" (or "add-last", "add-first") or "delete"; section "ip-dhcp-host"; parent_index -1:
 * the first <ip> of the host's address family. */
int sepvirt_network_update(sepvirt_conn *conn, const char *net, const char *command, const char *section,
			   int parent_index, const char *xml, unsigned int flags);
/* A running domain's statistics (virsh domblkstat, domifstat, dommemstat, domblkinfo, cpu-stats,
 * domstats), each field named as libvirt's virConnectGetAllDomainStats names it: "state.state",
 * "cpu.time", "balloon.rss", "vcpu.0.time", "net.0.rx.bytes", "block.0.rd.bytes",
 * "block.0.capacity"... Each call returns the number of fields; *params is freed with free().
 * device (a disk's target or path, an interface's target or MAC; NULL or "": all) is refused,
 * named, when the domain has none such; an inactive domain is refused, except by
 * sepvirt_domain_get_stats, which returns its state only. */
typedef struct sepvirt_stat_param {
	char field[64];
	int is_string;
	unsigned long long ul;
	char str[1024];
} sepvirt_stat_param;

/* libvirt's VIR_DOMAIN_STATS_* groups. */
enum sepvirt_stats_group {
	SEPVIRT_STATS_STATE = 1 << 0,
	SEPVIRT_STATS_CPU_TOTAL = 1 << 1,
	SEPVIRT_STATS_BALLOON = 1 << 2,
	SEPVIRT_STATS_VCPU = 1 << 3,
	SEPVIRT_STATS_INTERFACE = 1 << 4,
	SEPVIRT_STATS_BLOCK = 1 << 5,
};

/* block.* of the disks. */
int sepvirt_domain_block_stats(sepvirt_conn *conn, const char *dom, const char *device, sepvirt_stat_param **params);
/* net.* of the interfaces. */
int sepvirt_domain_interface_stats(sepvirt_conn *conn, const char *dom, const char *device,
				   sepvirt_stat_param **params);
/* balloon.*. */
int sepvirt_domain_memory_stats(sepvirt_conn *conn, const char *dom, sepvirt_stat_param **params);
/* block.N.capacity, allocation, physical. */
int sepvirt_domain_get_block_info(sepvirt_conn *conn, const char *dom, const char *device,
				  sepvirt_stat_param **params);
/* cpu.* and vcpu.*. */
int sepvirt_domain_get_cpu_stats(sepvirt_conn *conn, const char *dom, sepvirt_stat_param **params);
/* The groups asked for (enum sepvirt_stats_group; 0: all). */
int sepvirt_domain_get_stats(sepvirt_conn *conn, const char *dom, unsigned int groups, sepvirt_stat_param **params);
/* The field of that name among n, or NULL. */
const sepvirt_stat_param *sepvirt_stat_params_get(const sepvirt_stat_param *params, int n, const char *field);

#ifdef __cplusplus
}
#endif
#endif
