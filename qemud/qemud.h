/* sepvirt-qemud: what its files share. */
#pragma once

#include <sys/types.h>

#include "daemon.h"
#include "sandbox.h"
#include "server.h"
#include "xml/domain-def.h"

struct qemud_qmp;

/* One domain: its persistent definition and, while QEMU runs, what runs. */
struct qemud_domain {
	struct domain_def *def;  /* persistent definition; NULL for a transient one (undefined while running) */
	struct domain_def *live; /* while active: the definition QEMU was started from, with tap names */
	char uuid[SV_UUID_STRING_LEN];
	int id;                  /* -1 when not running */
	int state, reason;       /* enum domain_state and its reason (libshared/domain-state.h) */
	bool autostart;
	pid_t pid;
	int pidfd;               /* readable when QEMU has exited */
	struct evwatch *pid_watch;
	struct qemud_qmp *qmp;
	long long start_time;    /* CLOCK_REALTIME seconds */
	bool destroying;         /* destroy asked: the exit is "destroyed" */
	bool shutdown_seen;      /* the guest powered off: the exit is "shutdown" */
	bool fake_reboot;        /* reboot = ACPI power-down, then reset and continue */
};

struct qemud_driver {
	struct daemon_ctx *ctx;
	struct evloop *loop;
	char *config_dir;    /* config_dir/qemu: NAME.xml */
	char *autostart_dir; /* config_dir/qemu/autostart: a file NAME marks autostart */
	char *state_dir;     /* run_dir/qemu: NAME.status, NAME.xml (live), NAME.monitor */
	char *log_dir;       /* log_dir/qemu: NAME.log, QEMU's own output */
	struct qemud_domain **doms;
	size_t ndoms;
	int next_id;
	bool vhost;          /* /dev/vhost-net opens */
	char hypervisor[64]; /* "QEMU 7.2.22" */
};

extern struct qemud_driver qemud;

/* sandbox.c: the whole privilege of this process. */
extern const struct sandbox_policy qemud_sandbox_policy;
/* dispatch.c: the procedures it serves. */
extern const struct rpc_proc qemud_procs[];
extern const size_t qemud_nprocs;

static inline bool qemud_domain_active(const struct qemud_domain *d) { return d->id >= 0; }
/* The definition that describes the domain now: live while running, else the persistent one. */
static inline const struct domain_def *qemud_domain_cur(const struct qemud_domain *d)
{
	return d->live ? d->live : d->def;
}
static inline const char *qemud_domain_name(const struct qemud_domain *d) { return qemud_domain_cur(d)->name; }
