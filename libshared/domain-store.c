/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The domain list of a driver daemon and its files. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <strings.h>

#include "atomic-file.h"
#include "domain-event.h"
#include "domain-state.h"
#include "domain-store.h"
#include "log.h"
#include "paths.h"

static char *file_of(const char *dir, const char *name, const char *suffix)
{
	return xasprintf("%s/%s%s", dir, name, suffix);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && streq(s + n - m, suffix);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int domain_store_init(struct domain_store *s, int error_domain, const char *config_dir,
		      const char *autostart_dir, const char *state_dir, struct sv_error *err)
{
	const char *dirs[] = { config_dir, autostart_dir, state_dir };

	memset(s, 0, sizeof(*s));
	s->error_domain = error_domain;
	s->next_id = 1;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		int r = paths_mkdir_p(dirs[i], 0700);
		if (r < 0)
			return sv_error_set_errno(err, error_domain, SV_ERR_SYSTEM, -r, "cannot create '%s'", dirs[i]);
		/* The daemon holds its instance lock: a temp file here is a crashed write's. */
		r = atomic_file_clean_stale(dirs[i]);
		if (r > 0)
			log_info("removed %d temp file(s) of unfinished writes from '%s'", r, dirs[i]);
	}
	s->config_dir = xstrdup(config_dir);
	s->autostart_dir = xstrdup(autostart_dir);
	s->state_dir = xstrdup(state_dir);
	return 0;
}

static void obj_free(struct domain_store *s, struct domain_obj *d)
{
	if (d->priv && s->free_priv)
		s->free_priv(d->priv);
	domain_def_free(d->def);
	domain_def_free(d->live);
	free(d);
}

void domain_store_fini(struct domain_store *s)
{
	for (size_t i = 0; i < s->ndoms; i++)
		obj_free(s, s->doms[i]);
	free(s->doms);
	free(s->config_dir);
	free(s->autostart_dir);
	free(s->state_dir);
	memset(s, 0, sizeof(*s));
}

struct domain_obj *domain_store_find_uuid(const struct domain_store *s, const char *uuid)
{
	for (size_t i = 0; i < s->ndoms; i++)
		if (strcasecmp(s->doms[i]->uuid, uuid) == 0)
			return s->doms[i];
	return NULL;
}

struct domain_obj *domain_store_find_name(const struct domain_store *s, const char *name)
{
	for (size_t i = 0; i < s->ndoms; i++)
		if (streq(domain_obj_name(s->doms[i]), name))
			return s->doms[i];
	return NULL;
}

struct domain_obj *domain_store_lookup(const struct domain_store *s, const char *ref, struct sv_error *err)
{
	unsigned char raw[SV_UUID_LEN];
	bool numeric = ref && all_digits(ref) && strlen(ref) < 10;
	bool is_uuid = ref && sv_uuid_parse(ref, raw) == 0;
	struct domain_obj *d;

	if (!ref || !ref[0]) {
		sv_error_set(err, s->error_domain, SV_ERR_INVALID_ARG, EINVAL, "no domain given");
		return NULL;
	}
	/* virsh's order: id, then UUID, then name. */
	for (size_t i = 0; numeric && i < s->ndoms; i++)
		if (s->doms[i]->id >= 0 && s->doms[i]->id == atoi(ref))
			return s->doms[i];
	if (is_uuid) {
		char canon[SV_UUID_STRING_LEN];
		sv_uuid_format(raw, canon);
		if ((d = domain_store_find_uuid(s, canon)))
			return d;
	}
	if ((d = domain_store_find_name(s, ref)))
		return d;
	sv_error_set(err, s->error_domain, SV_ERR_NO_DOMAIN, ENOENT,
		     numeric ? "Domain not found: no domain with matching id %s"
		     : is_uuid ? "Domain not found: no domain with matching uuid '%s'"
			       : "Domain not found: no domain with matching name '%s'", ref);
	return NULL;
}

struct domain_obj *domain_store_add(struct domain_store *s, struct domain_def *def)
{
	struct domain_obj *d = xcalloc(1, sizeof(*d));

	d->def = def;
	sv_uuid_format(def->uuid, d->uuid);
	d->id = -1;
	d->state = DOMAIN_SHUTOFF;
	d->reason = SHUTOFF_UNKNOWN;
	s->doms = xrealloc(s->doms, (s->ndoms + 1) * sizeof(*s->doms));
	s->doms[s->ndoms++] = d;
	return d;
}

void domain_store_remove(struct domain_store *s, struct domain_obj *d)
{
	for (size_t i = 0; i < s->ndoms; i++)
		if (s->doms[i] == d) {
			memmove(&s->doms[i], &s->doms[i + 1], (s->ndoms - i - 1) * sizeof(*s->doms));
			s->ndoms--;
			break;
		}
	obj_free(s, d);
}

static int save_config(const struct domain_store *s, const struct domain_def *def, struct sv_error *err)
{
	_cleanup_free_ char *xml = NULL, *path = file_of(s->config_dir, def->name, ".xml");
	int r = domain_def_format(def, DOMAIN_FORMAT_INACTIVE, &xml, err);

	if (r < 0)
		return r;
	if (!s->commit)
		return atomic_file_write(path, xml, strlen(xml), 0600, err);
	r = atomic_file_write_nodirsync(path, xml, strlen(xml), 0600, err);
	if (r >= 0)
		group_commit_dir(s->commit, s->config_dir);
	return r;
}

/* Removes path; its directory's fsync is shared when the store has group commit. */
static int remove_file(const struct domain_store *s, const char *dir, const char *path, struct sv_error *err)
{
	int r;

	if (!s->commit)
		return atomic_file_remove(path, err);
	r = atomic_file_remove_nodirsync(path, err);
	if (r > 0)
		group_commit_dir(s->commit, dir);
	return r;
}

void domain_store_reply_durable(struct domain_store *s, struct rpc_request *req, struct rpc_reply *reply)
{
	if (s->commit)
		group_commit_reply(s->commit, req, reply);
}

/* The domain that def would replace (NULL for a new one); an error when its name or UUID
 * belongs to another. */
static int find_replaced(const struct domain_store *s, const struct domain_def *def, struct domain_obj **out,
			 struct sv_error *err)
{
	char uuid[SV_UUID_STRING_LEN];
	struct domain_obj *d, *by_name;

	sv_uuid_format(def->uuid, uuid);
	d = domain_store_find_uuid(s, uuid);
	by_name = domain_store_find_name(s, def->name);
	if (by_name && by_name != d)
		return sv_error_set(err, s->error_domain, SV_ERR_EXISTS, EEXIST,
				    "operation failed: domain '%s' already exists with uuid %s", def->name,
				    by_name->uuid);
	if (d && !streq(domain_obj_name(d), def->name))
		return sv_error_set(err, s->error_domain, SV_ERR_EXISTS, EEXIST,
				    "operation failed: domain '%s' is already defined with uuid %s",
				    domain_obj_name(d), uuid);
	*out = d;
	return 0;
}

int domain_store_define(struct domain_store *s, struct domain_def *def, struct domain_obj **out,
			struct sv_error *err)
{
	_cleanup_domain_def_ struct domain_def *owned = def;
	struct domain_obj *d;
	int r = find_replaced(s, def, &d, err);

	if (r < 0)
		return r;
	/* A new domain starts without autostart: an autostart mark left by an earlier domain of
	 * that name (see undefine) goes first, while nothing is done yet. */
	if (!d) {
		_cleanup_free_ char *flag = file_of(s->autostart_dir, def->name, "");
		r = atomic_file_remove(flag, err);
		if (r < 0)
			return r;
	}
	r = save_config(s, def, err);
	if (r < 0)
		return r;
	if (d) {
		/* A running domain keeps what it runs; the new definition applies at next start. */
		domain_def_free(d->def);
		d->def = TAKE_PTR(owned);
		domain_store_emit(s, d, DOMAIN_EVENT_DEFINED, DEFINED_UPDATED);
	} else {
		d = domain_store_add(s, TAKE_PTR(owned));
		domain_store_emit(s, d, DOMAIN_EVENT_DEFINED, DEFINED_ADDED);
	}
	*out = d;
	return 0;
}

int domain_store_update_def(struct domain_store *s, struct domain_obj *d, struct domain_def *def,
			    struct sv_error *err)
{
	_cleanup_domain_def_ struct domain_def *owned = def;
	_cleanup_free_ char *xml = NULL, *path = NULL;
	int r;

	if (!d->def || !streq(d->def->name, def->name))
		return sv_error_set(err, s->error_domain, SV_ERR_INTERNAL, EINVAL,
				    "internal error: domain '%s' has no persistent definition of that name", def->name);
	path = file_of(s->config_dir, def->name, ".xml");
	r = domain_def_format(def, DOMAIN_FORMAT_INACTIVE, &xml, err);
	if (r >= 0)
		r = atomic_file_write(path, xml, strlen(xml), 0600, err);
	if (r < 0)
		return r;
	domain_def_free(d->def);
	d->def = TAKE_PTR(owned);
	return 0;
}

int domain_store_undefine(struct domain_store *s, struct domain_obj *d, struct sv_error *err)
{
	_cleanup_free_ char *path = NULL, *flag = NULL;
	int r;

	if (!d->def)
		return sv_error_set(err, s->error_domain, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: cannot undefine transient domain");
	path = file_of(s->config_dir, d->def->name, ".xml");
	flag = file_of(s->autostart_dir, d->def->name, "");
	/* The definition first: its removal is the undefine, and an error before it means nothing
	 * was done. The autostart mark after it can no longer make the call fail: one left behind
	 * counts for nothing (a later define of the name removes it first). */
	r = remove_file(s, s->config_dir, path, err);
	if (r < 0)
		return r;
	if ((r = remove_file(s, s->autostart_dir, flag, NULL)) < 0)
		log_warn("domain '%s' undefined, but its autostart mark '%s' stays: %s", d->def->name, flag,
			 strerror(-r));
	domain_store_emit(s, d, DOMAIN_EVENT_UNDEFINED, UNDEFINED_REMOVED);
	d->autostart = false;
	domain_def_free(d->def);
	d->def = NULL;
	if (!domain_obj_active(d))
		domain_store_remove(s, d);
	return 0;
}

int domain_store_set_autostart(struct domain_store *s, struct domain_obj *d, bool on, struct sv_error *err)
{
	_cleanup_free_ char *flag = NULL;
	int r;

	if (!d->def)
		return sv_error_set(err, s->error_domain, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: cannot set autostart for transient domain");
	flag = file_of(s->autostart_dir, d->def->name, "");
	if (!s->commit)
		r = on ? atomic_file_write(flag, "", 0, 0600, err) : atomic_file_remove(flag, err);
	else if (on && (r = atomic_file_write_nodirsync(flag, "", 0, 0600, err)) >= 0)
		group_commit_dir(s->commit, s->autostart_dir);
	else if (!on)
		r = remove_file(s, s->autostart_dir, flag, err);
	if (r >= 0)
		d->autostart = on;
	return r;
}

void domain_store_load(struct domain_store *s)
{
	DIR *dir = opendir(s->config_dir);
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		_cleanup_free_ char *path = NULL, *xml = NULL, *flag = NULL;
		struct domain_def *def = NULL;
		char uuid[SV_UUID_STRING_LEN];
		struct sv_error err;
		size_t len;

		if (!has_suffix(e->d_name, ".xml"))
			continue;
		path = file_of(s->config_dir, e->d_name, "");
		if (file_read_all(path, &xml, &len, NULL) < 0)
			continue;
		if (domain_def_parse(xml, len, DOMAIN_PARSE_INACTIVE, &def, &err) < 0) {
			log_warn("ignoring definition '%s': %s", path, err.message);
			continue;
		}
		sv_uuid_format(def->uuid, uuid);
		if (domain_store_find_name(s, def->name) || domain_store_find_uuid(s, uuid)) {
			log_warn("ignoring definition '%s': domain '%s' is defined twice", path, def->name);
			domain_def_free(def);
			continue;
		}
		flag = file_of(s->autostart_dir, def->name, "");
		domain_store_add(s, def)->autostart = access(flag, F_OK) == 0;
	}
	closedir(dir);
}

int domain_store_save_status(const struct domain_store *s, const struct domain_obj *d, const char *extra,
			     struct sv_error *err)
{
	const char *name = domain_obj_name(d);
	_cleanup_free_ char *xml = NULL, *status = NULL;
	_cleanup_free_ char *xml_path = file_of(s->state_dir, name, ".xml");
	_cleanup_free_ char *status_path = file_of(s->state_dir, name, ".status");
	int r = domain_def_format(domain_obj_cur(d), 0, &xml, err);

	if (r < 0)
		return r;
	/* The live XML first: a status file always has its XML beside it. Renames, no fsync: the
	 * files must survive the daemon's death (it re-attaches from them), and the kernel keeps
	 * them, in this order, whatever becomes of the process; a host crash ends every QEMU and
	 * container with it, which leaves nothing to re-attach to, so an fsync would protect
	 * nothing, and it would put disk waits into every state change of a running domain. */
	r = atomic_file_replace(xml_path, xml, strlen(xml), 0600, err);
	if (r < 0)
		return r;
	status = xasprintf("id=%d\nstate=%d\nreason=%d\n%s", d->id, d->state, d->reason, extra ? extra : "");
	return atomic_file_replace(status_path, status, strlen(status), 0600, err);
}

void domain_store_delete_status(const struct domain_store *s, const char *name)
{
	_cleanup_free_ char *xml_path = file_of(s->state_dir, name, ".xml");
	_cleanup_free_ char *status_path = file_of(s->state_dir, name, ".status");

	/* The status first: a live XML without status is ignored at start-up. No fsync, as above. */
	atomic_file_remove_nodirsync(status_path, NULL);
	atomic_file_remove_nodirsync(xml_path, NULL);
}

void domain_store_status_each(const struct domain_store *s,
			      void (*fn)(const char *name, char *status, const char *live_xml, void *opaque),
			      void *opaque)
{
	DIR *dir = opendir(s->state_dir);
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		_cleanup_free_ char *path = NULL, *text = NULL, *name = NULL, *xml_path = NULL, *xml = NULL;

		if (!has_suffix(e->d_name, ".status"))
			continue;
		name = xstrndup(e->d_name, strlen(e->d_name) - strlen(".status"));
		path = file_of(s->state_dir, e->d_name, "");
		xml_path = file_of(s->state_dir, name, ".xml");
		if (file_read_all(path, &text, NULL, NULL) < 0 || file_read_all(xml_path, &xml, NULL, NULL) < 0) {
			log_warn("ignoring status '%s': unreadable or without its live XML", path);
			continue;
		}
		fn(name, text, xml, opaque);
	}
	closedir(dir);
}

const char *domain_status_get(const char *status, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);

	for (const char *line = status; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
			const char *v = line + klen + 1;
			size_t n = strcspn(v, "\n");
			if (n >= len)
				n = len - 1;
			memcpy(buf, v, n);
			buf[n] = '\0';
			return buf;
		}
	}
	return NULL;
}

void domain_obj_fill_summary(const struct domain_obj *d, Sepvirt__DomainSummary *out)
{
	out->id = d->id;
	out->name = (char *)domain_obj_name(d);
	out->uuid = (char *)d->uuid;
	out->state = (uint32_t)d->state;
	out->reason = (uint32_t)d->reason;
	out->autostart = d->autostart;
	out->persistent = d->def != NULL;
}

static int cmp_domains(const void *a, const void *b)
{
	const struct domain_obj *x = *(struct domain_obj *const *)a, *y = *(struct domain_obj *const *)b;

	if (domain_obj_active(x) != domain_obj_active(y))
		return domain_obj_active(x) ? -1 : 1;
	if (domain_obj_active(x))
		return x->id - y->id;
	return strcmp(domain_obj_name(x), domain_obj_name(y));
}

void domain_store_pack_list(const struct domain_store *s, bool all, struct rpc_reply *reply)
{
	Sepvirt__DomainListReply out = SEPVIRT__DOMAIN_LIST_REPLY__INIT;
	_cleanup_free_ struct domain_obj **sorted = xmalloc((s->ndoms + 1) * sizeof(*sorted));
	_cleanup_free_ Sepvirt__DomainSummary *sums = xcalloc(s->ndoms + 1, sizeof(*sums));
	_cleanup_free_ Sepvirt__DomainSummary **ptrs = xcalloc(s->ndoms + 1, sizeof(*ptrs));
	size_t n = 0;

	for (size_t i = 0; i < s->ndoms; i++)
		if (all || domain_obj_active(s->doms[i]))
			sorted[n++] = s->doms[i];
	qsort(sorted, n, sizeof(*sorted), cmp_domains);
	for (size_t i = 0; i < n; i++) {
		sepvirt__domain_summary__init(&sums[i]);
		domain_obj_fill_summary(sorted[i], &sums[i]);
		ptrs[i] = &sums[i];
	}
	out.n_domains = n;
	out.domains = ptrs;
	rpc_reply_pack(reply, &out.base);
}

int domain_obj_format_xml(const struct domain_obj *d, bool inactive, char **out, struct sv_error *err)
{
	_cleanup_free_ char *xml = NULL;
	const char *tag_end;
	int r;

	if (inactive && d->def)
		r = domain_def_format(d->def, DOMAIN_FORMAT_INACTIVE, &xml, err);
	else
		r = domain_def_format(domain_obj_cur(d), d->live ? 0 : DOMAIN_FORMAT_INACTIVE, &xml, err);
	if (r < 0)
		return r;
	/* A running domain's XML carries its id as an attribute of <domain>, as libvirt's does. */
	if (d->live && !inactive && startswith(xml, "<domain") && (tag_end = strchr(xml, '>'))) {
		*out = xasprintf("%.*s id='%d'%s", (int)(tag_end - xml), xml, d->id, tag_end);
		return 0;
	}
	*out = TAKE_PTR(xml);
	return 0;
}

void domain_store_emit(const struct domain_store *s, const struct domain_obj *d, int event, int detail)
{
	Sepvirt__DomainEvent ev = SEPVIRT__DOMAIN_EVENT__INIT;

	if (!s->events)
		return;
	ev.name = (char *)domain_obj_name(d);
	ev.uuid = (char *)d->uuid;
	ev.event = event;
	ev.detail = detail;
	rpc_server_emit_event(s->events, SEPVIRT__PROCEDURE__PROC_DOMAIN_EVENT, &ev.base);
}

void domain_store_emit_other(const struct domain_store *s, const struct domain_obj *d, Sepvirt__DomainEventOther *ev)
{
	if (!s->events)
		return;
	ev->name = (char *)domain_obj_name(d);
	ev->uuid = (char *)d->uuid;
	rpc_server_emit_event(s->events, SEPVIRT__PROCEDURE__PROC_DOMAIN_EVENT_OTHER, &ev->base);
}

void domain_obj_set_state(const struct domain_store *s, struct domain_obj *d, int state, int reason)
{
	int event, detail;
	bool changed = d->state != state;

	d->state = state;
	d->reason = reason;
	/* Only a new state is an event: a reboot's reset keeps a running domain running (its
	 * reason becomes "booted" again), and libvirt announces no lifecycle event for it either. */
	if (changed && domain_event_of_state(state, reason, &event, &detail))
		domain_store_emit(s, d, event, detail);
}

static int create(struct domain_store *s, struct domain_def *def, domain_start_fn start, struct domain_obj **out,
		  struct sv_error *err)
{
	_cleanup_domain_def_ struct domain_def *owned = def;
	struct domain_obj *d;
	int r = find_replaced(s, def, &d, err);

	if (r < 0)
		return r;
	if (d)
		return sv_error_set(err, s->error_domain, SV_ERR_OPERATION_INVALID, EEXIST,
				    "operation failed: domain '%s' already exists with uuid %s", def->name, d->uuid);
	d = domain_store_add(s, TAKE_PTR(owned));
	r = start(d, err);
	if (r < 0) {
		domain_store_remove(s, d);
		return r;
	}
	/* Transient from now on: what runs is d->live; nothing of it is on disk. */
	domain_def_free(d->def);
	d->def = NULL;
	*out = d;
	return 0;
}

int domain_store_handle_define(struct domain_store *s, const char *xml, domain_check_fn check, domain_start_fn start,
			       struct rpc_reply *reply, struct sv_error *err)
{
	Sepvirt__DomainSummary out = SEPVIRT__DOMAIN_SUMMARY__INIT;
	struct domain_def *def = NULL;
	struct domain_obj *d;
	int r = domain_def_parse(xml, strlen(xml), DOMAIN_PARSE_INACTIVE, &def, err);

	if (r >= 0)
		r = check(def, err);
	if (r < 0) {
		domain_def_free(def);
		return r;
	}
	r = start ? create(s, def, start, &d, err) : domain_store_define(s, def, &d, err);
	if (r < 0)
		return r;
	log_info("domain '%s' %s", domain_obj_name(d), start ? "created" : "defined");
	domain_obj_fill_summary(d, &out);
	rpc_reply_pack(reply, &out.base);
	return 0;
}

int domain_store_prepare_create(struct domain_store *s, const char *xml, domain_check_fn check,
				struct domain_obj **out, struct sv_error *err)
{
	struct domain_def *def = NULL;
	struct domain_obj *d;
	int r = domain_def_parse(xml, strlen(xml), DOMAIN_PARSE_INACTIVE, &def, err);

	if (r >= 0)
		r = check(def, err);
	if (r >= 0)
		r = find_replaced(s, def, &d, err);
	if (r >= 0 && d)
		r = sv_error_set(err, s->error_domain, SV_ERR_OPERATION_INVALID, EEXIST,
				 "operation failed: domain '%s' already exists with uuid %s", def->name, d->uuid);
	if (r < 0) {
		domain_def_free(def);
		return r;
	}
	*out = domain_store_add(s, def);
	return 0;
}

void domain_store_created(struct domain_obj *d)
{
	/* Transient from now on: what runs is d->live; nothing of it is on disk. */
	domain_def_free(d->def);
	d->def = NULL;
}
