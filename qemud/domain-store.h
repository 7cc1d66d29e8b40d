/* The domain list and its files: definitions in the config dir, live status in the state dir,
 * both written atomically. */
#pragma once

#include "qemud.h"

/* By name, UUID or numeric id, as virsh resolves a domain argument. Sets a libvirt-like
 * "Domain not found" error naming the value when there is none. */
struct qemud_domain *qemud_domain_lookup(const char *ref, struct sv_error *err);
struct qemud_domain *qemud_domain_find_uuid(const char *uuid);
struct qemud_domain *qemud_domain_find_name(const char *name);
struct qemud_domain *qemud_domain_add(struct domain_def *def);
void qemud_domain_remove(struct qemud_domain *d);

int qemud_domain_save_config(const struct qemud_domain *d, struct sv_error *err);
void qemud_domain_delete_config(const char *name);
int qemud_domain_set_autostart_file(const char *name, bool on, struct sv_error *err);
/* Reads every definition of the config dir; a bad file is logged and skipped. */
void qemud_domains_load(void);

/* The running domain's status: NAME.status (pid, id, state, taps) and NAME.xml (live). */
int qemud_domain_save_status(const struct qemud_domain *d, struct sv_error *err);
void qemud_domain_delete_status(const char *name);
char *qemud_domain_monitor_path(const char *name);
char *qemud_domain_log_path(const char *name);

/* A deep copy through format and parse. */
int qemud_def_copy(const struct domain_def *def, struct domain_def **out, struct sv_error *err);

/* The running domains' status files, to re-attach after a restart: calls fn for each. */
struct qemud_status {
	pid_t pid;
	int id;
	int state, reason;
	long long start_time;
	bool shutdown_seen;
	char *live_xml;
};
void qemud_status_each(void (*fn)(const char *name, struct qemud_status *st));
