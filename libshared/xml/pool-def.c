/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Storage pool XML: parse, format, free (see pool-def.h). */
#include "config.h"

#include <errno.h>

#include "util.h"
#include "xml/model-util.h"
#include "xml/pool-def.h"
#include "xml/xml-util.h"
#include "xml/xml-writer.h"

static const char *const no_attrs[] = { NULL };

static int parse_target(const xmlNode *node, struct pool_def *def, struct sv_error *err)
{
	int r = xml_check_attrs(node, "target", no_attrs, err);

	for (const xmlNode *c = node->children; r >= 0 && c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "path"))
			r = storage_path_parse(c, "target/path", &def->target_path, err);
		else if (xml_is(c, "permissions"))
			r = storage_perms_parse(c, "target/permissions", &def->perms, err);
		else
			r = xml_err_element(err, "target", c);
	}
	return r;
}

struct parse_ctx {
	struct pool_def *def;
	bool uuid_seen;
};

static int parse_child(const xmlNode *c, void *opaque, struct sv_error *err)
{
	struct parse_ctx *ctx = opaque;
	struct pool_def *def = ctx->def;

	if (xml_is(c, "name"))
		return model_parse_name(c, "pool", &def->name, err);
	if (xml_is(c, "uuid"))
		return model_parse_uuid(c, def->uuid, &ctx->uuid_seen, err);
	if (xml_is(c, "capacity"))
		return storage_size_parse(c, "capacity", &def->capacity, err);
	if (xml_is(c, "allocation"))
		return storage_size_parse(c, "allocation", &def->allocation, err);
	if (xml_is(c, "available"))
		return storage_size_parse(c, "available", &def->available, err);
	if (xml_is(c, "source")) {
		/* A directory pool has no source: a host, device or format is another type. */
		int r = xml_check_attrs(c, "source", no_attrs, err);

		return r < 0 ? r : xml_check_no_children(c, "source", err);
	}
	if (xml_is(c, "target"))
		return parse_target(c, def, err);
	return xml_err_element(err, NULL, c);
}

int pool_def_parse(const char *xml, size_t len, unsigned flags, struct pool_def **out,
		   struct sv_error *err)
{
	static const char *const allowed[] = { "type", NULL };
	_cleanup_xml_doc_ xmlDocPtr doc = NULL;
	_cleanup_pool_def_ struct pool_def *def = xcalloc(1, sizeof(*def));
	struct parse_ctx ctx = { def, false };
	const xmlNode *root;
	const char *type;
	int r;

	storage_perms_init(&def->perms);
	r = model_read_root(xml, len, "pool", allowed, &doc, &root, err);
	if (r < 0)
		return r;
	type = xml_attr(root, "type");
	if (!type)
		return xml_err(err, "missing attribute 'type' in element 'pool'");
	if (!streq(type, "dir"))
		return xml_err_unsupported(err, "storage pool type '%s' is not supported", type);
	r = model_for_each_child(root, parse_child, &ctx, err);
	if (r < 0)
		return r;
	if (!def->name)
		return xml_err(err, "missing element 'name': a pool needs a name");
	if (!def->target_path)
		return xml_err(err, "missing element 'target/path': a directory pool needs a path");
	r = model_uuid_default(def->uuid, ctx.uuid_seen, &def->uuid_generated, err);
	if (r < 0)
		return r;
	*out = TAKE_PTR(def);
	return 0;
}

int pool_def_format(const struct pool_def *def, unsigned flags, char **out, struct sv_error *err)
{
	struct xml_writer w;

	if (!def || !def->name || !def->target_path)
		return sv_error_set(err, SV_FROM_XML, SV_ERR_INVALID_ARG, EINVAL,
				    "cannot format a pool without a name and a path");
	xml_writer_init(&w);
	xml_open(&w, "pool");
	xml_put_attr(&w, "type", "dir");
	xml_put_elem(&w, "name", def->name);
	model_format_uuid(&w, def->uuid);
	storage_size_format(&w, "capacity", def->capacity);
	storage_size_format(&w, "allocation", def->allocation);
	storage_size_format(&w, "available", def->available);
	xml_put_empty(&w, "source");
	xml_open(&w, "target");
	xml_put_elem(&w, "path", def->target_path);
	storage_perms_format(&w, &def->perms);
	xml_close(&w);
	xml_close(&w);
	*out = xml_writer_finish(&w);
	return 0;
}

void pool_def_free(struct pool_def *def)
{
	if (!def)
		return;
	free(def->name);
	free(def->target_path);
	storage_perms_clear(&def->perms);
	free(def);
}
