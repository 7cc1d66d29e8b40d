/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <idmap>: the user namespace id maps of a container.
 *   <idmap>
 *     <uid start='0' target='100000' count='65536'/>
 *     <gid start='0' target='100000' count='65536'/>
 *   </idmap>
 * start is the first id inside the container, target the host id it maps to. */
#include "config.h"

#include <errno.h>

#include "util.h"
#include "xml/domain-priv.h"
#include "xml/xml-util.h"
#include "xml/xml-writer.h"

/* The kernel accepts at most 340 lines in uid_map (user_namespaces(7)). */
#define IDMAP_MAX 340

static int parse_entry(const xmlNode *c, const char *path, struct domain_idmap **maps, size_t *n,
		       struct sv_error *err)
{
	static const char *const allowed[] = { "start", "target", "count", NULL };
	struct domain_idmap m = { 0, 0, 0 };
	int r = xml_check_attrs(c, path, allowed, err);

	if (r < 0 || (r = xml_check_no_children(c, path, err)) < 0)
		return r;
	if (!xml_attr(c, "start") || !xml_attr(c, "target") || !xml_attr(c, "count"))
		return xml_err(err, "element '%s' needs attributes 'start', 'target' and 'count'", path);
	if ((r = xml_attr_uint(c, path, "start", UINT32_MAX - 1, &m.start, err)) < 0 ||
	    (r = xml_attr_uint(c, path, "target", UINT32_MAX - 1, &m.target, err)) < 0 ||
	    (r = xml_attr_uint(c, path, "count", UINT32_MAX, &m.count, err)) < 0)
		return r;
	if (m.count == 0)
		return xml_err(err, "attribute 'count' of element '%s' must not be 0", path);
	if ((unsigned long long)m.start + m.count > UINT32_MAX ||
	    (unsigned long long)m.target + m.count > UINT32_MAX)
		return xml_err(err, "element '%s': the range start %u / target %u count %u overflows",
			       path, m.start, m.target, m.count);
	if (*n >= IDMAP_MAX)
		return xml_err(err, "too many '%s' entries (at most %d)", path, IDMAP_MAX);
	*maps = xrealloc(*maps, (*n + 1) * sizeof(**maps));
	(*maps)[(*n)++] = m;
	return 0;
}

static bool maps_root(const struct domain_idmap *maps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (maps[i].start == 0)
			return true;
	return false;
}

int domain_parse_idmap(const xmlNode *node, struct domain_def *def, struct sv_error *err)
{
	int r = xml_check_attrs(node, "idmap", (const char *const[]){ NULL }, err);

	if (r < 0 || (r = xml_check_once(def->uidmap || def->gidmap ? "" : NULL, "idmap", err)) < 0)
		return r;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "uid"))
			r = parse_entry(c, "idmap/uid", &def->uidmap, &def->nuidmap, err);
		else if (xml_is(c, "gid"))
			r = parse_entry(c, "idmap/gid", &def->gidmap, &def->ngidmap, err);
		else
			r = xml_err_element(err, "idmap", c);
		if (r < 0)
			return r;
	}
	/* libvirt's rule: a user namespace without its root mapped cannot set itself up. */
	if (!maps_root(def->uidmap, def->nuidmap) || !maps_root(def->gidmap, def->ngidmap))
		return xml_err(err, "element 'idmap': you must map the root user of the container "
				    "(a uid and a gid entry with start='0')");
	return 0;
}

static void format_entries(struct xml_writer *w, const char *name, const struct domain_idmap *maps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		xml_open(w, name);
		xml_put_attr_fmt(w, "start", "%u", maps[i].start);
		xml_put_attr_fmt(w, "target", "%u", maps[i].target);
		xml_put_attr_fmt(w, "count", "%u", maps[i].count);
		xml_close(w);
	}
}

void domain_format_idmap(struct xml_writer *w, const struct domain_def *def)
{
	if (!def->nuidmap && !def->ngidmap)
		return;
	xml_open(w, "idmap");
	format_entries(w, "uid", def->uidmap, def->nuidmap);
	format_entries(w, "gid", def->gidmap, def->ngidmap);
	xml_close(w);
}
