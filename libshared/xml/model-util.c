/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared pieces of the four models (see model-util.h). */
#include "config.h"

#include <errno.h>

#include "util.h"
#include "xml/model-util.h"
#include "xml/names.h"
#include "xml/xml-util.h"

int model_read_root(const char *xml, size_t len, const char *root_name,
		    const char *const *root_attrs, xmlDocPtr *doc, const xmlNode **root,
		    struct sv_error *err)
{
	int r = xml_doc_read(xml, len, root_name, doc, err);

	if (r < 0)
		return r;
	*root = xmlDocGetRootElement(*doc);
	return xml_check_attrs(*root, root_name, root_attrs, err);
}

int model_for_each_child(const xmlNode *node, model_child_fn fn, void *ctx, struct sv_error *err)
{
	for (const xmlNode *c = node->children; c; c = c->next) {
		int r = xml_is_elem(c) ? fn(c, ctx, err) : 0;

		if (r < 0)
			return r;
	}
	return 0;
}

int model_parse_name(const xmlNode *node, const char *what, char **name, struct sv_error *err)
{
	static const char *const no_attrs[] = { NULL };
	int r = xml_check_once(*name, "name", err);

	if (r < 0 || (r = xml_check_attrs(node, "name", no_attrs, err)) < 0)
		return r;
	*name = xml_text_trimmed(node);
	return sv_name_validate(what, *name, err);
}

int model_parse_uuid(const xmlNode *node, unsigned char uuid[SV_UUID_LEN], bool *seen,
		     struct sv_error *err)
{
	_cleanup_free_ char *s = NULL;
	int r = xml_check_once(*seen ? "" : NULL, "uuid", err);

	if (r < 0)
		return r;
	s = xml_text_trimmed(node);
	if (sv_uuid_parse(s, uuid) < 0)
		return xml_err(err, "malformed uuid '%s'", s);
	*seen = true;
	return 0;
}

int model_uuid_default(unsigned char uuid[SV_UUID_LEN], bool seen, bool *generated,
		       struct sv_error *err)
{
	int r;

	if (seen)
		return 0;
	r = sv_uuid_generate(uuid);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_XML, SV_ERR_INTERNAL, -r, "cannot generate a uuid");
	*generated = true;
	return 0;
}

void model_format_uuid(struct xml_writer *w, const unsigned char uuid[SV_UUID_LEN])
{
	char s[SV_UUID_STRING_LEN];

	sv_uuid_format(uuid, s);
	xml_put_elem(w, "uuid", s);
}

void *model_array_append(void *array, size_t *n, size_t size)
{
	char *a = xrealloc(array, (*n + 1) * size);

	memset(a + *n * size, 0, size);
	(*n)++;
	return a;
}
