/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The domain list a driver daemon keeps, and its files: definitions in config_dir/NAME.xml,
 * autostart marks in autostart_dir/NAME, live state in state_dir/NAME.status (key=value) beside
 * state_dir/NAME.xml (the live definition). Every write is atomic. Lookup by name, UUID or id
 * as virsh resolves a domain argument, and the DomainSummary / list / XML replies every
 * driver gives the same way. The driver keeps what only it knows in `priv`. */
#pragma once

#include <stdbool.h>

#include "error.h"
#include "sepvirt.pb-c.h"
#include "group-commit.h"
#include "server.h"
#include "xml/domain-def.h"

struct domain_obj {
	struct domain_def *def;  /* persistent definition; NULL when transient */
	struct domain_def *live; /* while active: what runs */
	char uuid[SV_UUID_STRING_LEN];
	int id;                  /* -1 when not running */
	int state, reason;       /* libshared/domain-state.h */
	bool autostart;
	void *priv;              /* the driver's run-time data */
};

struct domain_store {
	int error_domain;     /* SV_FROM_LXC ... for the errors it raises */
	char *config_dir;
	char *autostart_dir;
	char *state_dir;
	struct domain_obj **doms;
	size_t ndoms;
	int next_id;          /* the id the next started domain gets */
	void (*free_priv)(void *priv);
	struct rpc_server *events; /* lifecycle events go to its subscribers (NULL: none sent) */
	/* When set, definitions' renames and removals are made durable by group commit: the
	 * directory fsyncs are shared, and replies wait for them (domain_store_reply_durable). */
	struct group_commit *commit;
};

/* Creates the three directories (mode 0700) when missing. */
int domain_store_init(struct domain_store *s, int error_domain, const char *config_dir,
		      const char *autostart_dir, const char *state_dir, struct sv_error *err);
void domain_store_fini(struct domain_store *s);

static inline bool domain_obj_active(const struct domain_obj *d) { return d->id >= 0; }
/* The definition that describes the domain now: live while running, else the persistent one. */
static inline const struct domain_def *domain_obj_cur(const struct domain_obj *d)
{
	return d->live ? d->live : d->def;
}
static inline const char *domain_obj_name(const struct domain_obj *d) { return domain_obj_cur(d)->name; }

struct domain_obj *domain_store_find_uuid(const struct domain_store *s, const char *uuid);
struct domain_obj *domain_store_find_name(const struct domain_store *s, const char *name);
/* id, then UUID, then name; "Domain not found: ..." naming ref when none. */
struct domain_obj *domain_store_lookup(const struct domain_store *s, const char *ref, struct sv_error *err);
/* Takes def; the new object is shut off. */
struct domain_obj *domain_store_add(struct domain_store *s, struct domain_def *def);
void domain_store_remove(struct domain_store *s, struct domain_obj *d);

/* define: def replaces the persistent definition of the domain with its UUID (a running domain
 * keeps what it runs) or adds a new one, and is saved. Refuses a name or UUID taken by another.
 * Takes def in every case. */
int domain_store_define(struct domain_store *s, struct domain_def *def, struct domain_obj **out,
			struct sv_error *err);
/* def (a changed copy of d's persistent definition, same name) replaces it once it is on disk,
 * written and its directory synced before this returns (setmem --config ...). Takes def. */
int domain_store_update_def(struct domain_store *s, struct domain_obj *d, struct domain_def *def,
			    struct sv_error *err);
/* undefine: removes the files; a running domain goes on as a transient one. */
int domain_store_undefine(struct domain_store *s, struct domain_obj *d, struct sv_error *err);
int domain_store_set_autostart(struct domain_store *s, struct domain_obj *d, bool on, struct sv_error *err);
/* The reply of a call that changed definitions: with group commit, kept until the directory
 * fsyncs are done (the handler then returns 0 as usual); without, sent at once. */
void domain_store_reply_durable(struct domain_store *s, struct rpc_request *req, struct rpc_reply *reply);
/* Reads every definition of config_dir; a bad file is logged and skipped. */
void domain_store_load(struct domain_store *s);

/* Live state: NAME.xml (d->live) then NAME.status with the common keys and `extra`
 * ("key=value\n" lines, may be NULL). */
int domain_store_save_status(const struct domain_store *s, const struct domain_obj *d, const char *extra,
			     struct sv_error *err);
void domain_store_delete_status(const struct domain_store *s, const char *name);
/* For each NAME.status: fn(name, the status text, the live XML). */
void domain_store_status_each(const struct domain_store *s,
			      void (*fn)(const char *name, char *status, const char *live_xml, void *opaque),
			      void *opaque);
/* The value of key in a status text ("pid" in "pid=12\n"), copied into buf; NULL when absent. */
const char *domain_status_get(const char *status, const char *key, char *buf, size_t len);

/* Replies. */
void domain_obj_fill_summary(const struct domain_obj *d, Sepvirt__DomainSummary *out);
/* DomainListReply: running domains by id, then the others by name (virsh's order). */
void domain_store_pack_list(const struct domain_store *s, bool all, struct rpc_reply *reply);
/* The XML virsh dumpxml shows: with id='N' while running; inactive: the persistent one. */
int domain_obj_format_xml(const struct domain_obj *d, bool inactive, char **out, struct sv_error *err);

/* Lifecycle events (libshared/domain-event.h) to the subscribers of s->events. define and
 * undefine send theirs; a driver changes a domain's state through domain_obj_set_state, which
 * sends the event the change announces. Restoring a state read back after a restart is not a
 * change: assign it directly. */
void domain_store_emit(const struct domain_store *s, const struct domain_obj *d, int event, int detail);
/* An event other than lifecycle (PROC_DOMAIN_EVENT_OTHER): ev's id and fields set by the driver,
 * the domain's name and UUID filled here. */
void domain_store_emit_other(const struct domain_store *s, const struct domain_obj *d, Sepvirt__DomainEventOther *ev);
void domain_obj_set_state(const struct domain_store *s, struct domain_obj *d, int state, int reason);

/* The define and create procedures, the same in every domain driver: xml parsed as an inactive
 * definition, refused by check (the driver's "can I run this?") naming what is wrong, then
 * defined (start NULL) or created: a transient domain, never written to disk, started by start
 * and gone again when it stops or when start fails. Replies with the domain's summary. */
typedef int (*domain_check_fn)(const struct domain_def *def, struct sv_error *err);
typedef int (*domain_start_fn)(struct domain_obj *d, struct sv_error *err);
int domain_store_handle_define(struct domain_store *s, const char *xml, domain_check_fn check, domain_start_fn start,
			       struct rpc_reply *reply, struct sv_error *err);
/* create in two halves, for a driver whose start ends later (a job): xml parsed and checked as
 * above and added, still carrying its definition while it starts (*out); then, once it runs,
 * domain_store_created() makes it transient. On a failed start the driver removes it. */
int domain_store_prepare_create(struct domain_store *s, const char *xml, domain_check_fn check,
				struct domain_obj **out, struct sv_error *err);
void domain_store_created(struct domain_obj *d);
