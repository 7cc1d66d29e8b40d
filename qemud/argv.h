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
	bool dry_run;    /* no real fds (define-time check, golden tests): -1 stands for each */
};

/* emulator: the binary (the definition's <emulator> or the configured default). */
int qemud_argv_build(const struct domain_def *def, const char *emulator, struct qemud_argv_fds *fds,
		     struct command **out, struct sv_error *err);

/* QEMU's option-value escaping: every ',' doubled. */
char *qemud_argv_escape(const char *s);

/* argv-clock.c: <clock> and its timers, <pm>. The check refuses, by name, what cannot reach QEMU. */
int qemud_argv_check_clock(const struct domain_def *def, struct sv_error *err);
/* What -machine gets for the HPET: ",hpet=off" or "". */
const char *qemud_argv_machine_hpet(const struct domain_def *def);
void qemud_argv_add_clock(struct command *c, const struct domain_def *def);
/* The S3/S4 switches of the machine's ACPI device (after the check: pc or q35 only). */
void qemud_argv_add_pm(struct command *c, const struct domain_def *def);
