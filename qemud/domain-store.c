#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>

#include "atomic-file.h"
#include "domain-state.h"
#include "domain-store.h"
#include "log.h"

struct qemud_driver qemud;

struct qemud_domain *qemud_domain_find_uuid(const char *uuid)
{
	for (size_t i = 0; i < qemud.ndoms; i++)
		if (strcasecmp(qemud.doms[i]->uuid, uuid) == 0)
			return qemud.doms[i];
	return NULL;
}

struct qemud_domain *qemud_domain_find_name(const char *name)
{
	for (size_t i = 0; i < qemud.ndoms; i++)
		if (streq(qemud_domain_name(qemud.doms[i]), name))
			return qemud.doms[i];
	return NULL;
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

struct qemud_domain *qemud_domain_lookup(const char *ref, struct sv_error *err)
{
	struct qemud_domain *d;
	unsigned char raw[SV_UUID_LEN];

	if (!ref || !ref[0]) {
		sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL, "no domain given");
		return NULL;
	}
	/* virsh's order: id, then UUID, then name. */
	if (all_digits(ref) && strlen(ref) < 10) {
		int id = atoi(ref);
		for (size_t i = 0; i < qemud.ndoms; i++)
			if (qemud.doms[i]->id == id && id >= 0)
				return qemud.doms[i];
	}
	if (sv_uuid_parse(ref, raw) == 0) {
		char canon[SV_UUID_STRING_LEN];
		sv_uuid_format(raw, canon);
		if ((d = qemud_domain_find_uuid(canon)))
			return d;
	}
	if ((d = qemud_domain_find_name(ref)))
		return d;
	if (all_digits(ref) && strlen(ref) < 10)
		sv_error_set(err, SV_FROM_QEMU, SV_ERR_NO_DOMAIN, ENOENT,
			     "Domain not found: no domain with matching id %s", ref);
	else if (sv_uuid_parse(ref, raw) == 0)
		sv_error_set(err, SV_FROM_QEMU, SV_ERR_NO_DOMAIN, ENOENT,
			     "Domain not found: no domain with matching uuid '%s'", ref);
	else
		sv_error_set(err, SV_FROM_QEMU, SV_ERR_NO_DOMAIN, ENOENT,
			     "Domain not found: no domain with matching name '%s'", ref);
	return NULL;
}

struct qemud_domain *qemud_domain_add(struct domain_def *def)
{
	struct qemud_domain *d = xcalloc(1, sizeof(*d));

	d->def = def;
	sv_uuid_format(def->uuid, d->uuid);
	d->id = -1;
	d->pid = -1;
	d->pidfd = -1;
	d->state = DOMAIN_SHUTOFF;
	d->reason = SHUTOFF_UNKNOWN;
	qemud.doms = xrealloc(qemud.doms, (qemud.ndoms + 1) * sizeof(*qemud.doms));
	qemud.doms[qemud.ndoms++] = d;
	return d;
}

void qemud_domain_remove(struct qemud_domain *d)
{
	for (size_t i = 0; i < qemud.ndoms; i++)
		if (qemud.doms[i] == d) {
			memmove(&qemud.doms[i], &qemud.doms[i + 1], (qemud.ndoms - i - 1) * sizeof(*qemud.doms));
			qemud.ndoms--;
			break;
		}
	domain_def_free(d->def);
	domain_def_free(d->live);
	free(d);
}

int qemud_def_copy(const struct domain_def *def, struct domain_def **out, struct sv_error *err)
{
	_cleanup_free_ char *xml = NULL;
	int r = domain_def_format(def, 0, &xml, err);

	if (r < 0)
		return r;
	return domain_def_parse(xml, strlen(xml), 0, out, err);
}

static char *file_of(const char *dir, const char *name, const char *suffix)
{
	return xasprintf("%s/%s%s", dir, name, suffix);
}

int qemud_domain_save_config(const struct qemud_domain *d, struct sv_error *err)
{
	_cleanup_free_ char *xml = NULL, *path = file_of(qemud.config_dir, d->def->name, ".xml");
	int r = domain_def_format(d->def, DOMAIN_FORMAT_INACTIVE, &xml, err);

	if (r < 0)
		return r;
	return atomic_file_write(path, xml, strlen(xml), 0600, err);
}

void qemud_domain_delete_config(const char *name)
{
	_cleanup_free_ char *path = file_of(qemud.config_dir, name, ".xml");
	_cleanup_free_ char *flag = file_of(qemud.autostart_dir, name, "");

	unlink(path);
	unlink(flag);
}

int qemud_domain_set_autostart_file(const char *name, bool on, struct sv_error *err)
{
	_cleanup_free_ char *flag = file_of(qemud.autostart_dir, name, "");

	if (on)
		return atomic_file_write(flag, "", 0, 0600, err);
	if (unlink(flag) < 0 && errno != ENOENT)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot remove '%s'", flag);
	return 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && streq(s + n - m, suffix);
}

void qemud_domains_load(void)
{
	DIR *dir = opendir(qemud.config_dir);
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		_cleanup_free_ char *path = NULL, *xml = NULL, *flag = NULL;
		struct domain_def *def = NULL;
		struct sv_error err;
		size_t len;

		if (!has_suffix(e->d_name, ".xml"))
			continue;
		path = file_of(qemud.config_dir, e->d_name, "");
		if (file_read_all(path, &xml, &len, NULL) < 0)
			continue;
		if (domain_def_parse(xml, len, DOMAIN_PARSE_INACTIVE, &def, &err) < 0) {
			log_warn("ignoring definition '%s': %s", path, err.message);
			continue;
		}
		char uuid[SV_UUID_STRING_LEN];
		sv_uuid_format(def->uuid, uuid);
		if (qemud_domain_find_name(def->name) || qemud_domain_find_uuid(uuid)) {
			log_warn("ignoring definition '%s': domain '%s' is defined twice", path, def->name);
			domain_def_free(def);
			continue;
		}
		flag = file_of(qemud.autostart_dir, def->name, "");
		qemud_domain_add(def)->autostart = access(flag, F_OK) == 0;
	}
	closedir(dir);
}

char *qemud_domain_monitor_path(const char *name) { return file_of(qemud.state_dir, name, ".monitor"); }
char *qemud_domain_log_path(const char *name) { return file_of(qemud.log_dir, name, ".log"); }

int qemud_domain_save_status(const struct qemud_domain *d, struct sv_error *err)
{
	_cleanup_free_ char *xml = NULL, *status = NULL;
	_cleanup_free_ char *xml_path = file_of(qemud.state_dir, qemud_domain_name(d), ".xml");
	_cleanup_free_ char *status_path = file_of(qemud.state_dir, qemud_domain_name(d), ".status");
	int r = domain_def_format(d->live, 0, &xml, err);

	if (r < 0)
		return r;
	/* The live XML first: a status file always has its XML beside it. */
	r = atomic_file_write(xml_path, xml, strlen(xml), 0600, err);
	if (r < 0)
		return r;
	status = xasprintf("pid=%d\nid=%d\nstate=%d\nreason=%d\nstart_time=%lld\nshutdown_seen=%d\n", (int)d->pid,
			   d->id, d->state, d->reason, d->start_time, d->shutdown_seen);
	return atomic_file_write(status_path, status, strlen(status), 0600, err);
}

void qemud_domain_delete_status(const char *name)
{
	_cleanup_free_ char *xml_path = file_of(qemud.state_dir, name, ".xml");
	_cleanup_free_ char *status_path = file_of(qemud.state_dir, name, ".status");
	_cleanup_free_ char *mon = qemud_domain_monitor_path(name);

	unlink(status_path);
	unlink(xml_path);
	unlink(mon);
}

static void parse_status(char *text, struct qemud_status *st)
{
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq++ = '\0';
		if (streq(line, "pid"))
			st->pid = (pid_t)atoi(eq);
		else if (streq(line, "id"))
			st->id = atoi(eq);
		else if (streq(line, "state"))
			st->state = atoi(eq);
		else if (streq(line, "reason"))
			st->reason = atoi(eq);
		else if (streq(line, "start_time"))
			st->start_time = atoll(eq);
		else if (streq(line, "shutdown_seen"))
			st->shutdown_seen = atoi(eq) != 0;
	}
}

void qemud_status_each(void (*fn)(const char *name, struct qemud_status *st))
{
	DIR *dir = opendir(qemud.state_dir);
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		_cleanup_free_ char *path = NULL, *text = NULL, *name = NULL, *xml_path = NULL;
		struct qemud_status st = { .pid = -1, .id = -1 };

		if (!has_suffix(e->d_name, ".status"))
			continue;
		name = xstrndup(e->d_name, strlen(e->d_name) - strlen(".status"));
		path = file_of(qemud.state_dir, e->d_name, "");
		xml_path = file_of(qemud.state_dir, name, ".xml");
		if (file_read_all(path, &text, NULL, NULL) < 0 || file_read_all(xml_path, &st.live_xml, NULL, NULL) < 0) {
			log_warn("ignoring status '%s': unreadable or without its live XML", path);
			continue;
		}
		parse_status(text, &st);
		fn(name, &st);
		free(st.live_xml);
	}
	closedir(dir);
}
