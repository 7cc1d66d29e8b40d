/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The domain object model: the subset of libvirt's domain XML that sepvirt runs,
 * with parse and format. Some elements (address, controller, input, video, memballoon,
 * alias, metadata...) are kept as XML nodes and written back as given; those that change
 * what the guest gets are also parsed, for QEMU's command line. Anything else sepvirt does
 * not implement is refused. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "util.h"
#include "xml/domain-limits.h"
#include "xml/mac.h"
#include "xml/names.h"
#include "xml/units.h"
#include "xml/uuid.h"
#include "xml/xml-keep.h"

enum domain_virt_type {
	DOMAIN_VIRT_KVM,
	DOMAIN_VIRT_QEMU,
	DOMAIN_VIRT_LXC,
	DOMAIN_VIRT_LAST
};

enum domain_os_type {
	DOMAIN_OS_HVM, /* a full virtual machine */
	DOMAIN_OS_EXE, /* a container running an init process */
	DOMAIN_OS_LAST
};

enum domain_boot_dev {
	DOMAIN_BOOT_FD,
	DOMAIN_BOOT_CDROM,
	DOMAIN_BOOT_HD,
	DOMAIN_BOOT_NETWORK,
	DOMAIN_BOOT_LAST
};

/* A yes/no attribute that remembers whether it was given, so it is written back as given. */
enum domain_tristate {
	DOMAIN_TRISTATE_ABSENT,
	DOMAIN_TRISTATE_YES,
	DOMAIN_TRISTATE_NO,
	DOMAIN_TRISTATE_LAST
};

enum domain_lifecycle {
	DOMAIN_LIFECYCLE_DESTROY,
	DOMAIN_LIFECYCLE_RESTART,
	DOMAIN_LIFECYCLE_RENAME_RESTART,
	DOMAIN_LIFECYCLE_PRESERVE,
	DOMAIN_LIFECYCLE_COREDUMP_DESTROY, /* on_crash only */
	DOMAIN_LIFECYCLE_COREDUMP_RESTART, /* on_crash only */
	DOMAIN_LIFECYCLE_LAST
};

enum domain_cpu_mode {
	DOMAIN_CPU_MODE_NONE, /* no mode attribute: the hypervisor default */
	DOMAIN_CPU_MODE_CUSTOM,
	DOMAIN_CPU_MODE_HOST_MODEL,
	DOMAIN_CPU_MODE_HOST_PASSTHROUGH,
	DOMAIN_CPU_MODE_MAXIMUM,
	DOMAIN_CPU_MODE_LAST
};

enum domain_clock_offset {
	DOMAIN_CLOCK_UTC,
	DOMAIN_CLOCK_LOCALTIME,
	DOMAIN_CLOCK_LAST
};

/* <clock><timer name=...>: the timers whose settings reach QEMU (others are refused by name). */
enum domain_timer_name {
	DOMAIN_TIMER_RTC,
	DOMAIN_TIMER_PIT,
	DOMAIN_TIMER_HPET,
	DOMAIN_TIMER_LAST
};

enum domain_tickpolicy {
	DOMAIN_TICK_ABSENT,
	DOMAIN_TICK_DELAY,
	DOMAIN_TICK_CATCHUP,
	DOMAIN_TICK_MERGE,
	DOMAIN_TICK_DISCARD,
	DOMAIN_TICK_LAST
};

extern const char *const domain_timer_names[DOMAIN_TIMER_LAST];
extern const char *const domain_tickpolicy_names[DOMAIN_TICK_LAST];

struct domain_timer {
	bool given;                  /* written back only when the XML had it */
	enum domain_tickpolicy tickpolicy;
	enum domain_tristate present;
};

enum domain_disk_type {
	DOMAIN_DISK_TYPE_FILE,
	DOMAIN_DISK_TYPE_BLOCK,
	DOMAIN_DISK_TYPE_VOLUME, /* source pool + volume, resolved by the storage driver */
	DOMAIN_DISK_TYPE_NETWORK, /* source protocol + name + hosts; the driver decides what it runs */
	DOMAIN_DISK_TYPE_LAST
};

enum domain_disk_device {
	DOMAIN_DISK_DEVICE_DISK,
	DOMAIN_DISK_DEVICE_CDROM,
	DOMAIN_DISK_DEVICE_FLOPPY,
	DOMAIN_DISK_DEVICE_LAST
};

enum domain_disk_format {
	DOMAIN_DISK_FORMAT_NONE, /* no driver type given */
	DOMAIN_DISK_FORMAT_RAW,
	DOMAIN_DISK_FORMAT_QCOW2,
	DOMAIN_DISK_FORMAT_LAST
};

enum domain_disk_bus {
	DOMAIN_DISK_BUS_NONE, /* not given: derived from the target dev by the driver */
	DOMAIN_DISK_BUS_IDE,
	DOMAIN_DISK_BUS_FDC,
	DOMAIN_DISK_BUS_SCSI,
	DOMAIN_DISK_BUS_VIRTIO,
	DOMAIN_DISK_BUS_USB,
	DOMAIN_DISK_BUS_SATA,
	DOMAIN_DISK_BUS_LAST
};

enum domain_disk_cache {
	DOMAIN_DISK_CACHE_DEFAULT,
	DOMAIN_DISK_CACHE_NONE,
	DOMAIN_DISK_CACHE_WRITETHROUGH,
	DOMAIN_DISK_CACHE_WRITEBACK,
	DOMAIN_DISK_CACHE_DIRECTSYNC,
	DOMAIN_DISK_CACHE_UNSAFE,
	DOMAIN_DISK_CACHE_LAST
};

/* <address>: where a device sits. Kept verbatim for formatting; parsed so that QEMU gets it. */
enum domain_address_type {
	DOMAIN_ADDRESS_NONE,
	DOMAIN_ADDRESS_PCI,
	DOMAIN_ADDRESS_DRIVE,
	DOMAIN_ADDRESS_USB,
	DOMAIN_ADDRESS_VIRTIO_SERIAL,
	DOMAIN_ADDRESS_ISA,
	DOMAIN_ADDRESS_LAST
};

struct domain_address {
	enum domain_address_type type;
	unsigned domain, bus, slot, function; /* pci; bus also for drive, usb, virtio-serial */
	bool multifunction;
	unsigned controller, target, unit;    /* drive; controller also for virtio-serial */
	unsigned port;                        /* virtio-serial */
	char usb_port[16];                    /* usb: "1" or "1.2" (behind a hub) */
};

struct domain_disk {
	enum domain_disk_type type;
	enum domain_disk_device device;
	char *driver_name;              /* "qemu" or NULL */
	enum domain_disk_format format;
	enum domain_disk_cache cache;
	bool discard_unmap;             /* <driver discard='unmap'>: the guest's TRIM reaches the image */
	char *src_path;                 /* file or block path; NULL for an empty cdrom */
	char *src_pool, *src_volume;    /* type volume */
	char *src_protocol, *src_name;  /* type network: "nbd", "sheepdog"...; export or image name */
	struct domain_disk_host {
		char *name;
		char *port;
	} *hosts;                       /* type network */
	size_t nhosts;
	char *target_dev;               /* "vda", "hdc"... */
	enum domain_disk_bus bus;
	bool readonly;
	bool shareable;
	unsigned boot_order;            /* 0: none */
	struct domain_address addr;
	struct xml_keep keep;           /* address, alias... */
};

struct domain_filesystem {
	char *src_dir;
	char *target_dir;
	bool readonly;
	struct xml_keep keep;
};

enum domain_net_type {
	DOMAIN_NET_ETHERNET,
	DOMAIN_NET_BRIDGE,
	DOMAIN_NET_NETWORK,
	DOMAIN_NET_USER,     /* QEMU's user-mode networking: no host device at all */
	DOMAIN_NET_LAST
};

/* managed attribute of <target>, exactly as the user gave it (DESIGN.md). */
enum domain_net_managed {
	DOMAIN_NET_MANAGED_ABSENT,
	DOMAIN_NET_MANAGED_YES,
	DOMAIN_NET_MANAGED_NO,
	DOMAIN_NET_MANAGED_LAST
};

struct domain_interface {
	enum domain_net_type type;
	unsigned char mac[SV_MAC_LEN];
	bool mac_generated;             /* no <mac> in the input: we made one up */
	char *target_dev;               /* may be NULL: netd picks vnet%d */
	enum domain_net_managed managed;
	char *model;                    /* "virtio", "e1000"... or NULL */
	unsigned mtu;                   /* 0: not given */
	char *source;                   /* bridge name (bridge) or network name (network) */
	char *script;                   /* ethernet: <script path=.../> */
	char *guest_dev;                /* containers: <guest dev=.../>, the name inside (else eth<N>) */
	unsigned boot_order;
	struct xml_keep source_ip;      /* ethernet: host-side <source> with <ip>/<route>, verbatim */
	struct domain_address addr;
	struct xml_keep keep;           /* address, alias */
};

enum domain_chr_type {
	DOMAIN_CHR_PTY,
	DOMAIN_CHR_FILE,
	DOMAIN_CHR_UNIX,
	DOMAIN_CHR_LAST
};

enum domain_chr_target_type {
	DOMAIN_CHR_TARGET_NONE,   /* not given */
	DOMAIN_CHR_TARGET_SERIAL,
	DOMAIN_CHR_TARGET_VIRTIO,
	DOMAIN_CHR_TARGET_LXC,
	DOMAIN_CHR_TARGET_ISA_SERIAL,
	DOMAIN_CHR_TARGET_LAST
};

struct domain_chr {
	enum domain_chr_type type;
	char *path;                     /* file or unix socket path; for pty the live pty, if given */
	bool unix_listen;               /* unix: mode='bind' */
	enum domain_chr_target_type target_type;
	int target_port;                /* -1: not given */
	char *target_model;             /* <target><model name=.../>: "isa-serial"... or NULL */
	char *target_name;              /* channel: the virtio port's name (org.qemu.guest_agent.0) */
	struct domain_address addr;
	struct xml_keep keep;
};

/* Devices below are parsed into these structs for QEMU's command line and written back from
 * their kept XML (keep_controllers, keep_devices), as given. */
enum domain_controller_type {
	DOMAIN_CONTROLLER_USB,
	DOMAIN_CONTROLLER_PCI,
	DOMAIN_CONTROLLER_VIRTIO_SERIAL,
	DOMAIN_CONTROLLER_SCSI,
	DOMAIN_CONTROLLER_IDE,
	DOMAIN_CONTROLLER_SATA,
	DOMAIN_CONTROLLER_FDC,
	DOMAIN_CONTROLLER_LAST
};

struct domain_controller {
	enum domain_controller_type type;
	unsigned index;                 /* not given: the next free one of its type, as libvirt */
	bool index_given;
	char *model;                    /* model attribute, NULL: the machine's default */
	char *model_name;               /* pci: <model name=.../> (the QEMU device) */
	int chassis, port, busnr;       /* pci: <target>; -1: not given */
	unsigned ports, vectors;        /* virtio-serial, and vectors for scsi; 0: not given */
	int master_startport;           /* usb companion: <master startport=.../>; -1: not a companion */
	struct domain_address addr;
};

enum domain_input_type {
	DOMAIN_INPUT_MOUSE,
	DOMAIN_INPUT_TABLET,
	DOMAIN_INPUT_KEYBOARD,
	DOMAIN_INPUT_LAST
};

enum domain_input_bus {
	DOMAIN_INPUT_BUS_DEFAULT,       /* ps2 for mouse and keyboard, usb for a tablet */
	DOMAIN_INPUT_BUS_PS2,
	DOMAIN_INPUT_BUS_USB,
	DOMAIN_INPUT_BUS_VIRTIO,
	DOMAIN_INPUT_BUS_LAST
};

struct domain_input {
	enum domain_input_type type;
	enum domain_input_bus bus;
	struct domain_address addr;
};

enum domain_video_model {
	DOMAIN_VIDEO_NONE,
	DOMAIN_VIDEO_VGA,
	DOMAIN_VIDEO_CIRRUS,
	DOMAIN_VIDEO_QXL,
	DOMAIN_VIDEO_VIRTIO,
	DOMAIN_VIDEO_BOCHS,
	DOMAIN_VIDEO_LAST
};

struct domain_video {
	enum domain_video_model model;
	unsigned vram, ram, vgamem, vram64, heads; /* KiB (heads: count); 0: not given */
	bool primary;
	struct domain_address addr;
};

struct domain_memballoon {
	bool given;                     /* no <memballoon>: a virtio one, as libvirt adds */
	bool none;                      /* model='none' */
	enum domain_tristate autodeflate, free_page_reporting;
	struct domain_address addr;
};

/* <graphics type='vnc'>: QEMU binds the address itself (no host path); port -1 or autoport:
 * the first free display from 5900. */
struct domain_graphics {
	int port;                       /* -1: automatic; else the TCP port (5900 + display) */
	char *listen;                   /* address; NULL: 127.0.0.1 */
	bool listen_none;               /* <listen type='none'/>: no socket, QMP only */
	char *share;                    /* sharePolicy: allow-exclusive, force-shared, ignore */
};

/* <audio id=N type='none'/>: a backend that plays nothing. */
struct domain_audio {
	unsigned id;
};

/* <memoryBacking>: the guest RAM as a memory backend object (QEMU opens no path for it). */
struct domain_memory_backing {
	bool given;
	bool hugepages;
	unsigned long long hugepage_kib; /* <page size=...>; 0: the host's default */
	bool nosharepages;
	bool memfd;                      /* <source type='memfd'/> */
	bool shared;                     /* <access mode='shared'/> */
	bool prealloc;                   /* <allocation mode='immediate'/> */
};

/* <rng model='virtio'> with <backend model='random'>/dev/urandom</backend>. */
struct domain_rng {
	unsigned rate_bytes, rate_period; /* <rate>; 0: not given */
	struct domain_address addr;
};

enum domain_watchdog_model {
	DOMAIN_WATCHDOG_I6300ESB,
	DOMAIN_WATCHDOG_IB700,
	DOMAIN_WATCHDOG_ITCO,
	DOMAIN_WATCHDOG_LAST
};

struct domain_watchdog {
	enum domain_watchdog_model model;
	char *action;                    /* reset, shutdown, poweroff, pause, none, inject-nmi; NULL: reset */
	struct domain_address addr;
};

struct domain_env {
	char *name;
	char *value;
};

enum domain_firmware {
	DOMAIN_FIRMWARE_NONE,
	DOMAIN_FIRMWARE_BIOS,
	DOMAIN_FIRMWARE_EFI,
	DOMAIN_FIRMWARE_LAST
};

enum domain_loader_type {
	DOMAIN_LOADER_NONE,
	DOMAIN_LOADER_ROM,
	DOMAIN_LOADER_PFLASH,
	DOMAIN_LOADER_LAST
};

struct domain_os {
	enum domain_os_type type;
	enum domain_firmware firmware;  /* <os firmware=...>: EFI is resolved by the driver */
	char *loader;                   /* <loader>: the firmware's code */
	enum domain_tristate loader_readonly, loader_secure;
	enum domain_loader_type loader_type;
	char *nvram, *nvram_template;   /* <nvram template=...>PATH</nvram>: the variable store */
	/* <firmware><feature enabled=... name=.../>: what the automatic choice must (not) have */
	enum domain_tristate fw_secure_boot, fw_enrolled_keys;
	char *arch;
	char *machine;
	char *kernel, *initrd, *cmdline;
	enum domain_boot_dev boot[DOMAIN_BOOT_LAST];
	size_t nboot;
	enum domain_tristate bootmenu;
	char *init;                     /* containers */
	char **initargs;                /* NULL-terminated, may be NULL */
	size_t ninitargs;
	struct domain_env *initenv;
	size_t ninitenv;
};

enum domain_cpu_policy {
	DOMAIN_CPU_POLICY_FORCE,
	DOMAIN_CPU_POLICY_REQUIRE,
	DOMAIN_CPU_POLICY_OPTIONAL,
	DOMAIN_CPU_POLICY_DISABLE,
	DOMAIN_CPU_POLICY_FORBID,
	DOMAIN_CPU_POLICY_LAST
};

struct domain_cpu_feature {
	char *name;                     /* libvirt's name: "lahf_lm", "sse4.2"... */
	enum domain_cpu_policy policy;
};

/* <cpu><numa><cell>: a guest NUMA node. */
struct domain_numa_cell {
	unsigned id;
	char *cpus;                     /* "0-3,8": the vCPUs of the node, as given; NULL: none */
	unsigned long long memory_kib;
	enum domain_tristate shared;    /* memAccess: YES shared, NO private */
};

struct domain_cpu {
	enum domain_cpu_mode mode;
	char *match;                    /* custom: exact/minimum/strict, kept as given */
	char *check;
	char *model;                    /* custom: CPU model name */
	char *model_fallback;
	unsigned sockets, cores, threads; /* 0: no <topology> */
	unsigned dies;                  /* 0: not given (one die per socket) */
	struct domain_cpu_feature *features;
	size_t nfeatures;
	struct domain_numa_cell *cells;
	size_t ncells;
	char *cache_mode;               /* <cache mode=...>: passthrough, emulate, disable; NULL: none */
	unsigned cache_level;           /* 0: not given */
};

/* <idmap>: a range of container ids (start) mapped to host ids (target), as in
 * /proc/PID/uid_map. Containers only. */
struct domain_idmap {
	unsigned start, target, count;
};

struct domain_def {
	enum domain_virt_type type;
	char *name;
	unsigned char uuid[SV_UUID_LEN];
	bool uuid_generated;
	char *title;
	char *description;
	unsigned long long memory_kib;
	unsigned long long current_memory_kib;
	unsigned vcpus;
	unsigned vcpus_current;         /* 0: all of vcpus */
	char *vcpu_cpuset;              /* host CPUs the vCPUs may run on, as given */
	struct domain_os os;
	struct domain_idmap *uidmap, *gidmap;
	size_t nuidmap, ngidmap;
	bool acpi, apic, pae;
	enum domain_tristate vmport;    /* <features><vmport state=.../> */
	struct domain_cpu cpu;
	enum domain_clock_offset clock;
	struct domain_timer timers[DOMAIN_TIMER_LAST];
	enum domain_tristate pm_suspend_to_mem, pm_suspend_to_disk; /* <pm> */
	enum domain_lifecycle on_poweroff, on_reboot, on_crash;
	char *emulator;

	struct domain_disk *disks;
	size_t ndisks;
	struct domain_filesystem *filesystems;
	size_t nfilesystems;
	struct domain_interface *interfaces;
	size_t ninterfaces;
	struct domain_chr *serials;
	size_t nserials;
	struct domain_chr *consoles;
	size_t nconsoles;
	struct domain_controller *controllers;
	size_t ncontrollers;
	struct domain_input *inputs;
	size_t ninputs;
	struct domain_video *videos;
	size_t nvideos;
	struct domain_memballoon memballoon;
	struct domain_graphics *graphics;
	size_t ngraphics;
	struct domain_audio *audios;
	size_t naudios;
	struct domain_chr *channels;     /* unix channels on virtio-serial ports */
	size_t nchannels;
	struct domain_rng *rngs;
	size_t nrngs;
	struct domain_watchdog *watchdogs;
	size_t nwatchdogs;
	struct domain_address *hubs;     /* <hub type='usb'>: where each sits */
	size_t nhubs;
	bool panic_isa;                  /* <panic model='isa'/> (or no model) */
	struct domain_memory_backing memory_backing;
	unsigned long long max_memory_kib; /* <maxMemory>; 0: none */
	unsigned max_memory_slots;
	unsigned iothreads;

	struct xml_keep keep;           /* <metadata> */
	struct xml_keep keep_tuning;    /* maxMemory, memoryBacking, iothreads: written after <vcpu> */
	struct xml_keep keep_controllers;
	struct xml_keep keep_devices;   /* input, video, memballoon... written after consoles */
	struct xml_keep keep_seclabel;  /* <seclabel type='none'/>, written after <devices> as libvirt does */
};

enum domain_parse_flags {
	/* The definition is stored, not running: a managed interface's vnet* dev is a
	 * generated name and is dropped so that it is generated again (kept when managed='no'). */
	DOMAIN_PARSE_INACTIVE = 1 << 0,
};

enum domain_format_flags {
	/* Leave out what only a running domain has (generated vnet* tap names). */
	DOMAIN_FORMAT_INACTIVE = 1 << 0,
};

/* Parse XML (len bytes, need not be NUL-terminated). On success *out owns a new def. */
int domain_def_parse(const char *xml, size_t len, unsigned flags, struct domain_def **out,
		     struct sv_error *err);
/* Canonical XML of def, NUL-terminated, in *out (free() it). */
/* A running domain's VNC display on the TCP port QEMU bound (autoport): written into its
 * live XML as libvirt's (port, autoport='yes', listen), where vncdisplay and domdisplay read it. */
void domain_def_set_vnc_port(struct domain_def *live, int port, const char *listen);
int domain_def_format(const struct domain_def *def, unsigned flags, char **out, struct sv_error *err);
/* A deep copy, through format and parse: what a domain starts from becomes its live definition. */
int domain_def_copy(const struct domain_def *def, struct domain_def **out, struct sv_error *err);
void domain_def_free(struct domain_def *def);
static inline void domain_def_freep(struct domain_def **def) { domain_def_free(*def); }
#define _cleanup_domain_def_ _cleanup_(domain_def_freep)

/* The interface with this MAC (index returned), or -ENOENT. */
int domain_def_find_interface(const struct domain_def *def, const unsigned char mac[SV_MAC_LEN]);
/* The interface whose target dev is dev, or -ENOENT. */
int domain_def_find_interface_by_dev(const struct domain_def *def, const char *dev);
/* The disk whose target dev is dev, or -ENOENT. */
int domain_def_find_disk(const struct domain_def *def, const char *dev);

/* The managed attribute as netd must act on it: only NO means "open, don't touch". */
static inline bool domain_interface_is_unmanaged(const struct domain_interface *iface)
{
	return iface->managed == DOMAIN_NET_MANAGED_NO;
}

/* Enum <-> XML string; *_from_string return -EINVAL on an unknown string. */
const char *domain_virt_type_to_string(enum domain_virt_type t);
int domain_virt_type_from_string(const char *s);
const char *domain_net_type_to_string(enum domain_net_type t);
const char *domain_disk_type_to_string(enum domain_disk_type t);
const char *domain_disk_format_to_string(enum domain_disk_format f);
const char *domain_disk_bus_to_string(enum domain_disk_bus b);
const char *domain_lifecycle_to_string(enum domain_lifecycle l);
const char *domain_chr_type_to_string(enum domain_chr_type t);
