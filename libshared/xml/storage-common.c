/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Storage permissions, sizes and paths (see storage-common.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>

#include "util.h"
#include "xml/storage-common.h"
#include "xml/units.h"
#include "xml/xml-util.h"

static const char *const no_attrs[] = { NULL };

void storage_perms_init(struct storage_perms *perms)
{
	*perms = (struct storage_perms){ .uid = -1, .gid = -1 };
}

void storage_perms_clear(struct storage_perms *perms)
{
	free(perms->label);
	storage_perms_init(perms);
}

static int parse_id(const xmlNode *c, const char *path, long long *out, struct sv_error *err)
{
	_cleanup_free_ char *s = xml_text_trimmed(c);
	unsigned long long v;

	if (streq(s, "-1")) {
		*out = -1;
		return 0;
	}
	/* decimal, as libvirt reads it: "0744" is uid 744 */
	if (xml_parse_ull(s, UINT_MAX - 1, &v) < 0)
		return xml_err(err, "Invalid value '%s' for element '%s'", s, path);
	*out = (long long)v;
	return 0;
}

int storage_perms_parse(const xmlNode *node, const char *path, struct storage_perms *perms,
			struct sv_error *err)
{
	int r = xml_check_attrs(node, path, no_attrs, err);

	for (const xmlNode *c = node->children; r >= 0 && c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "mode")) {
			_cleanup_free_ char *s = xml_text_trimmed(c);
			char *end;
			unsigned long v = strtoul(s, &end, 8);

			if (!*s || *end || s[strspn(s, "01234567")] || v > 07777)
				return xml_err(err, "Invalid value '%s' for element '%s/mode'", s, path);
			perms->mode = (unsigned)v;
			perms->has_mode = true;
		} else if (xml_is(c, "owner")) {
			r = parse_id(c, "permissions/owner", &perms->uid, err);
		} else if (xml_is(c, "group")) {
			r = parse_id(c, "permissions/group", &perms->gid, err);
		} else if (xml_is(c, "label")) {
			free(perms->label);
			perms->label = xml_text_trimmed(c);
		} else {
			r = xml_err_element(err, path, c);
		}
	}
	return r;
}

void storage_perms_format(struct xml_writer *w, const struct storage_perms *perms)
{
	if (!perms->has_mode && perms->uid < 0 && perms->gid < 0 && !perms->label)
		return;
	xml_open(w, "permissions");
	if (perms->has_mode)
		xml_put_elem_fmt(w, "mode", "0%o", perms->mode);
	if (perms->uid >= 0)
		xml_put_elem_fmt(w, "owner", "%lld", perms->uid);
	if (perms->gid >= 0)
		xml_put_elem_fmt(w, "group", "%lld", perms->gid);
	xml_put_elem(w, "label", perms->label);
	xml_close(w);
}

int storage_size_parse(const xmlNode *node, const char *path, unsigned long long *bytes,
		       struct sv_error *err)
{
	static const char *const allowed[] = { "unit", NULL };
	_cleanup_free_ char *num = NULL;
	int r = xml_check_attrs(node, path, allowed, err);

	if (r < 0)
		return r;
	num = xml_text_trimmed(node);
	return sv_units_parse(num, xml_attr(node, "unit"), 1, ULLONG_MAX, bytes, err);
}

void storage_size_format(struct xml_writer *w, const char *name, unsigned long long bytes)
{
	xml_open(w, name);
	xml_put_attr(w, "unit", "bytes");
	xml_put_text_fmt(w, "%llu", bytes);
	xml_close(w);
}

int storage_path_parse(const xmlNode *node, const char *path, char **out, struct sv_error *err)
{
	char *s, *dst;
	int r = xml_check_attrs(node, path, no_attrs, err);

	if (r < 0 || (r = xml_check_once(*out, path, err)) < 0)
		return r;
	s = *out = xml_text_trimmed(node);
	if (s[0] != '/')
		return xml_err(err, "'%s' in element '%s' must be an absolute path", s, path);
	/* A newline or other control character in a path only ever spoofs logs and listings. */
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return xml_err(err, "'%.64s' in element '%s' contains a control character (0x%02x)", s, path,
				       (unsigned)(unsigned char)*p);
	dst = s;
	for (const char *p = s; *p; p++)
		if (*p != '/' || dst == s || dst[-1] != '/')
			*dst++ = *p;
	if (dst > s + 1 && dst[-1] == '/')
		dst--;
	/* "/srv/a /" is "/srv/a", as the text "/srv/a " is once trimmed: formatting is a fixed point. */
	while (dst > s + 1 && dst[-1] == ' ')
		dst--;
	*dst = '\0';
	/* No system call takes a longer one: refused here by name, not later as ENAMETOOLONG. */
	if (dst - s >= PATH_MAX)
		return xml_err(err, "'%.64s...' in element '%s' is longer than %d bytes", s, path, PATH_MAX - 1);
	return 0;
}
