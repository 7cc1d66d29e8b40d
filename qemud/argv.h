/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The QEMU command line of a domain definition: pure, no I/O, so golden tests run it. */
#pragma once

#include "command.h"
#include "xml/domain-def.h"

/* What start hands the builder besides the definition. Every fd is given to the command
 * (set to -1 here); the golden tests pass placeholder fds and see fd=3, 4, ... */
/* One opened file of a volume disk, from storaged: layer 0 is the volume, then its backing
 * chain (qcow2 only). QEMU gets each as an fd set and opens /dev/fdset/N, never a path. */
struct qemud_argv_layer {
	int fd;
	bool read_only;  /* the fd's access mode: QEMU's fd set hands out only a matching one */
	char *format;    /* "raw" or "qcow2"; layer 0 uses the disk's <driver type> instead */
};
struct qemud_argv_volume {
	struct qemud_argv_layer *layers;
	size_t nlayers;
};

/* The spawner opens /dev/vhost-net for QEMU (qemud is not in the kvm group). */
#define QEMUD_ARGV_VHOST_BY_SPAWNER (-2)

struct qemud_argv_fds {
	int qmp_listen;  /* listening UNIX socket for the QMP monitor */
	int *taps;       /* per interface: the tap fd from netd; -1 for type='user' */
	int *vhosts;     /* per interface: an open /dev/vhost-net, QEMUD_ARGV_VHOST_BY_SPAWNER, or -1
			  * for no vhost; may be NULL */
	struct qemud_argv_volume *volumes; /* per disk; used for type='volume'. May be NULL in a dry
					    * run: each volume then stands as one layer */
	/* Per serial port and per console: a file chardev's file (opened for writing), or a unix
	 * chardev's socket (listening, or connected), opened by qemud; -1 for a pty. May be NULL. */
	int *serials;
	int *consoles;
	int *channels;   /* per <channel>: its unix socket, opened by qemud as for a console. May be NULL. */
	int loader, nvram; /* UEFI: the firmware code (read-only) and the domain's NVRAM (read-write), opened by
			    * qemud (firmware.c); -1 without a loader or in a dry run */
	bool dry_run;    /* no real fds (define-time check, golden tests): -1 stands for each */
	/* restore: QEMU loads its state from this file (positioned at the migration stream) with
	 * -incoming fd:N, and stays paused until qemud continues it. Taken by the command. */
	bool incoming;
	int incoming_fd;
};

/* emulator: the binary (the definition's <emulator> or the configured default). */
int qemud_argv_build(const struct domain_def *def, const char *emulator, struct qemud_argv_fds *fds,
		     struct command **out, struct sv_error *err);

/* The disk's bus: given, or what its name says (vd: virtio, hd: ide, sd: scsi, fd: fdc). */
enum domain_disk_bus qemud_argv_disk_bus(const struct domain_disk *d);
/* hda -> 0, hdb -> 1 ... vda -> 0 (the N of virtio-diskN); -1 for a name that is not a disk's. */
int qemud_argv_disk_index(const char *dev);

/* QEMU's id of the disk's device as the command line names it (virtio-disk0, ide0-1-0, ...). */
int qemud_argv_disk_device_id(const struct domain_def *def, const struct domain_disk *d, char **out,
			      struct sv_error *err);

/* Appends the formatted text to *s (NULL: empty). */
void qemud_argv_append(char **s, const char *fmt, ...) _printf_(2, 3);

/* QEMU's option-value escaping: every ',' doubled. */
char *qemud_argv_escape(const char *s);

/* argv-clock.c: <clock> and its timers, <pm>. The check refuses, by name, what cannot reach QEMU. */
int qemud_argv_check_clock(const struct domain_def *def, struct sv_error *err);
/* What -machine gets for the HPET: ",hpet=off" or "". */
const char *qemud_argv_machine_hpet(const struct domain_def *def);
void qemud_argv_add_clock(struct command *c, const struct domain_def *def);
/* The S3/S4 switches of the machine's ACPI device (after the check: pc or q35 only). */
void qemud_argv_add_pm(struct command *c, const struct domain_def *def);

/* argv-pci.c: PCI addresses. Slots of bus 0 given in the XML are reserved first; a device
 * without an address gets the next free one, as libvirt assigns them. */
struct qemud_pci_alloc {
	bool q35;
	bool used[32];        /* bus 0 slots */
	unsigned char functions[256][32]; /* given addresses: a bit per function of each bus and slot */
	int video_slot;       /* reserved for the primary video (libvirt: 2 on pc, 1 on q35), -1 */
};
bool qemud_argv_is_q35(const struct domain_def *def);
/* Refuses two devices given the same PCI address, or one on a slot the machine's own devices hold. */
int qemud_pci_alloc_init(struct qemud_pci_alloc *a, const struct domain_def *def, struct sv_error *err);
/* ",bus=...,addr=0xS[.0xF][,multifunction=on]" for the device what: its given address, or the
 * next free slot of bus 0. Refuses an address that is not PCI or a bus no controller makes. */
int qemud_pci_addr(struct qemud_pci_alloc *a, const struct domain_def *def, const struct domain_address *given,
		   const char *what, char **out, struct sv_error *err);
/* The slot reserved for the primary video, as a given address would be. */
int qemud_pci_addr_video(struct qemud_pci_alloc *a, const struct domain_def *def, const struct domain_address *given,
			 char **out, struct sv_error *err);

/* argv-controller.c: <controller>s, and the USB controller libvirt adds when none is given. */
int qemud_argv_add_controllers(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci,
			       struct sv_error *err);
/* The index-0 controller of that type, or NULL. */
const struct domain_controller *qemud_argv_controller(const struct domain_def *def, enum domain_controller_type t,
						      unsigned index);
/* Whether the guest has a USB bus (usb.0): a USB controller whose model is not 'none'. */
bool qemud_argv_has_usb(const struct domain_def *def);

/* ",bus=usbN.0[,port=P]" for a device on the USB bus (P behind a hub only if a <hub> is there). */
int qemud_argv_usb_addr(const struct domain_def *def, const struct domain_address *a, const char *what, char **out,
			struct sv_error *err);

/* Two USB devices on one port, or a port a hub does not have, are refused (QEMU would fail). */
int qemud_argv_check_usb(const struct domain_def *def, struct sv_error *err);

/* argv-hw.c: <input>, <video>, <memballoon> (a virtio one when none is given, as libvirt). */
int qemud_argv_add_inputs(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci,
			  struct sv_error *err);
int qemud_argv_add_videos(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci,
			  struct sv_error *err);
int qemud_argv_add_memballoon(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci,
			      struct sv_error *err);

/* argv-display.c: <audio type='none'> (and the one libvirt adds for VNC), <graphics type='vnc'>. */
void qemud_argv_add_audio(struct command *c, const struct domain_def *def);
void qemud_argv_add_graphics(struct command *c, const struct domain_def *def);

/* argv-memory.c: -m (rounded as libvirt, <maxMemory> slots), the <memoryBacking> object, <iothreads>. */
int qemud_argv_add_memory(struct command *c, const struct domain_def *def, struct sv_error *err);
/* What -machine gets for <memoryBacking>: ",mem-merge=off", ",memory-backend=pc.ram" or "". */
const char *qemud_argv_machine_memory(const struct domain_def *def);

/* argv-misc.c: <rng>, <watchdog>, <panic>, usb <hub>. */
int qemud_argv_add_rngs(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci, unsigned *fdset,
			struct sv_error *err);
int qemud_argv_add_watchdog(struct command *c, const struct domain_def *def, struct qemud_pci_alloc *pci,
			    struct sv_error *err);
void qemud_argv_add_panic(struct command *c, const struct domain_def *def);
/* A resolved pflash <loader> and <nvram> (firmware.c): each an fd set under a raw block node, and what
 * -machine gets for them (",pflash0=...,pflash1=..." or ""). */
int qemud_argv_add_firmware(struct command *c, const struct domain_def *def, struct qemud_argv_fds *fds,
			    unsigned *fdset, char **machine, struct sv_error *err);
int qemud_argv_add_hubs(struct command *c, const struct domain_def *def, struct sv_error *err);
