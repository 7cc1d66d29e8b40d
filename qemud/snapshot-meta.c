/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

#include "atomic-file.h"
#include "paths.h"
#include "snapshot-meta.h"
#include "xml/xml-util.h"
#include "xml/xml-writer.h"

#define SNAP_NAME_MAX 128

void qemud_snap_free(struct qemud_snap *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->description);
	free(s->state);
	free(s->parent);
	free(s->domain_xml);
	free(s);
}

void qemud_snap_list_free(struct qemud_snap **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		qemud_snap_free(list[i]);
	free(list);
}

int qemud_snap_check_name(const char *name, struct sv_error *err)
{
	size_t len = strlen(name);

	if (len == 0 || len > SNAP_NAME_MAX || name[0] == '.' || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+:") != len)
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL,
				    "invalid snapshot name '%s': use up to %d letters, digits and . _ - + : (not first '.')",
				    name, SNAP_NAME_MAX);
	return 0;
}

static char *dump_node(xmlNode *n)
{
	xmlBufferPtr b = xmlBufferCreate();
	char *s;

	xmlNodeDump(b, n->doc, n, 0, 0);
	s = xstrdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	return s;
}

/* trusted: qemud's own file (creationTime, state, parent, domain, active kept); else a user's. */
static int parse(const char *xml, bool trusted, struct qemud_snap **out, struct sv_error *err)
{
	_cleanup_xml_doc_ xmlDocPtr doc = NULL;
	struct qemud_snap *s;
	int r = xml_doc_read(xml, strlen(xml), "domainsnapshot", &doc, err);

	if (r < 0)
		return r;
	s = xcalloc(1, sizeof(*s));
	for (xmlNode *n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
		if (!xml_is_elem(n))
			continue;
		if (xml_is(n, "name") && !s->name) {
			s->name = xml_text_trimmed(n);
		} else if (xml_is(n, "description") && !s->description) {
			s->description = xml_text(n);
		} else if (trusted && xml_is(n, "state")) {
			s->state = xml_text_trimmed(n);
		} else if (trusted && xml_is(n, "creationTime")) {
			_cleanup_free_ char *t = xml_text_trimmed(n);
			s->ctime = atoll(t);
		} else if (trusted && xml_is(n, "parent")) {
			for (xmlNode *c = n->children; c; c = c->next)
				if (xml_is_elem(c) && xml_is(c, "name"))
					s->parent = xml_text_trimmed(c);
		} else if (trusted && xml_is(n, "domain")) {
			s->domain_xml = dump_node(n);
		} else if (!trusted && xml_is(n, "memory") && xml_attr(n, "snapshot") &&
			   streq(xml_attr(n, "snapshot"), "internal")) {
			continue; /* what every snapshot here is */
		} else if (!trusted || (!xml_is(n, "memory") && !xml_is(n, "active"))) {
			r = xml_err_unsupported(err, "snapshot element '%s' is not supported (internal snapshots take a name and a description)",
						(const char *)n->name);
			qemud_snap_free(s);
			return r;
		}
	}
	if (s->name && (r = qemud_snap_check_name(s->name, err)) < 0) {
		qemud_snap_free(s);
		return r;
	}
	*out = s;
	return 0;
}

int qemud_snap_parse_request(const char *xml, struct qemud_snap **out, struct sv_error *err)
{
	return parse(xml, false, out, err);
}

static char *snap_dir(const struct domain_obj *d)
{
	return xasprintf("%s/snapshot/%s", qemud.store.config_dir, d->uuid);
}

int qemud_snap_load_all(const struct domain_obj *d, struct qemud_snap ***list, size_t *n, char **current,
			struct sv_error *err)
{
	_cleanup_free_ char *dir = snap_dir(d), *cur_path = xasprintf("%s/current", dir);
	struct qemud_snap **l = NULL, *s;
	size_t count = 0;
	struct dirent *e;
	DIR *dh = opendir(dir);
	char *cur = NULL;

	*list = NULL;
	*n = 0;
	*current = NULL;
	if (!dh)
		return errno == ENOENT ? 0 : sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot read '%s'", dir);
	while ((e = readdir(dh))) {
		size_t len = strlen(e->d_name);
		_cleanup_free_ char *path = NULL, *text = NULL;

		if (len < 5 || !streq(e->d_name + len - 4, ".xml") || atomic_file_is_tmp_name(e->d_name))
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (file_read_all(path, &text, NULL, err) < 0 || parse(text, true, &s, err) < 0 || !s->name) {
			if (s && !s->name)
				qemud_snap_free(s);
			closedir(dh);
			qemud_snap_list_free(l, count);
			return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INTERNAL, EIO, "snapshot metadata '%s' is damaged", path);
		}
		l = xrealloc(l, (count + 1) * sizeof(*l));
		l[count++] = s;
	}
	closedir(dh);
	if (file_read_all(cur_path, &cur, NULL, NULL) >= 0) {
		cur[strcspn(cur, "\n")] = '\0';
		if (!qemud_snap_find(l, count, cur)) {
			free(cur);
			cur = NULL;
		}
	}
	*list = l;
	*n = count;
	*current = cur;
	return 0;
}

struct qemud_snap *qemud_snap_find(struct qemud_snap **list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (streq(list[i]->name, name))
			return list[i];
	return NULL;
}

char *qemud_snap_format(const struct qemud_snap *s, const char *domain_name, bool current)
{
	struct xml_writer w;
	_cleanup_xml_doc_ xmlDocPtr doc = NULL;
	struct sv_error err;

	xml_writer_init(&w);
	xml_open(&w, "domainsnapshot");
	xml_put_elem(&w, "name", s->name);
	xml_put_elem(&w, "description", s->description);
	xml_put_elem(&w, "state", s->state);
	if (s->parent) {
		xml_open(&w, "parent");
		xml_put_elem(&w, "name", s->parent);
		xml_close(&w);
	}
	xml_put_elem_fmt(&w, "creationTime", "%lld", s->ctime);
	xml_open(&w, "memory");
	xml_put_attr(&w, "snapshot", "internal");
	xml_close(&w);
	if (s->domain_xml && xml_doc_read(s->domain_xml, strlen(s->domain_xml), "domain", &doc, &err) >= 0)
		xml_put_node(&w, xmlDocGetRootElement(doc));
	xml_put_elem(&w, "active", current ? "1" : "0");
	xml_close(&w);
	(void)domain_name;
	return xml_writer_finish(&w);
}

static int make_dir(const struct domain_obj *d, char **out, struct sv_error *err)
{
	_cleanup_free_ char *top = xasprintf("%s/snapshot", qemud.store.config_dir);
	char *dir = snap_dir(d);

	if ((mkdir(top, 0700) < 0 && errno != EEXIST) || (mkdir(dir, 0700) < 0 && errno != EEXIST)) {
		int e = errno;
		free(dir);
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, e, "cannot create the snapshot directory of '%s'",
					  domain_obj_name(d));
	}
	*out = dir;
	return 0;
}

int qemud_snap_store(const struct domain_obj *d, const struct qemud_snap *s, struct sv_error *err)
{
	_cleanup_free_ char *dir = NULL, *path = NULL, *xml = NULL;
	int r = make_dir(d, &dir, err);

	if (r < 0)
		return r;
	path = xasprintf("%s/%s.xml", dir, s->name);
	xml = qemud_snap_format(s, domain_obj_name(d), false);
	return atomic_file_write(path, xml, strlen(xml), 0600, err);
}

int qemud_snap_remove(const struct domain_obj *d, const char *name, struct sv_error *err)
{
	_cleanup_free_ char *dir = snap_dir(d), *path = xasprintf("%s/%s.xml", dir, name);

	return atomic_file_remove(path, err);
}

int qemud_snap_set_current(const struct domain_obj *d, const char *name, struct sv_error *err)
{
	_cleanup_free_ char *dir = NULL, *path = NULL;
	int r = make_dir(d, &dir, err);

	if (r < 0)
		return r;
	path = xasprintf("%s/current", dir);
	if (!name)
		return atomic_file_remove(path, err);
	return atomic_file_write(path, name, strlen(name), 0600, err);
}
