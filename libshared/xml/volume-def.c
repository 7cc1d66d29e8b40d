/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Storage volume XML: parse, format, free (see volume-def.h). */
#include "config.h"

#include <errno.h>

#include "util.h"
#include "xml/model-util.h"
#include "xml/names.h"
#include "xml/volume-def.h"
#include "xml/xml-util.h"
#include "xml/xml-writer.h"

static const char *const format_names[] = { NULL, "raw", "qcow2" };
static const char *const no_attrs[] = { NULL };

const char *volume_format_to_string(enum volume_format f)
{
	return XML_ENUM_TO(format_names, f);
}

static int parse_format(const xmlNode *c, const char *path, enum volume_format *out,
			struct sv_error *err)
{
	static const char *const allowed[] = { "type", NULL };
	const char *type = xml_attr(c, "type");
	int r = xml_check_attrs(c, path, allowed, err), f;

	if (r < 0)
		return r;
	f = XML_ENUM_FROM(format_names, type);
	if (f < 0)
		return xml_err_unsupported(err, "volume format '%s' is not supported", type ? type : "");
	*out = f;
	return 0;
}

/* <target> and <backingStore> hold the same things. */
static int parse_target(const xmlNode *node, const char *path, char **file,
			enum volume_format *format, struct storage_perms *perms,
			struct sv_error *err)
{
	int r = xml_check_attrs(node, path, no_attrs, err);

	for (const xmlNode *c = node->children; r >= 0 && c; c = c->next) {
		if (!xml_is_elem(c))
			continue;
		if (xml_is(c, "path"))
			r = storage_path_parse(c, "path", file, err);
		else if (xml_is(c, "format"))
			r = parse_format(c, "format", format, err);
		else if (xml_is(c, "permissions"))
			r = storage_perms_parse(c, "permissions", perms, err);
		else if (xml_is(c, "timestamps"))
			continue; /* what stat() said when this was written: output only */
		else
			r = xml_err_element(err, path, c);
	}
	return r;
}

struct parse_ctx {
	struct volume_def *def;
	bool have_capacity;
};

static int parse_child(const xmlNode *c, void *opaque, struct sv_error *err)
{
	struct parse_ctx *ctx = opaque;
	struct volume_def *def = ctx->def;
	int r;

	if (xml_is(c, "name")) {
		r = xml_check_once(def->name, "name", err);
		if (r < 0)
			return r;
		def->name = xml_text_trimmed(c);
		return sv_name_validate("volume", def->name, err);
	}
	if (xml_is(c, "key")) {
		free(def->key);
		def->key = xml_text_trimmed(c);
		return 0;
	}
	if (xml_is(c, "source")) {
		/* extents, devices: a logical or disk pool's volume */
		r = xml_check_attrs(c, "source", no_attrs, err);
		return r < 0 ? r : xml_check_no_children(c, "source", err);
	}
	if (xml_is(c, "capacity")) {
		ctx->have_capacity = true;
		return storage_size_parse(c, "capacity", &def->capacity, err);
	}
	if (xml_is(c, "allocation")) {
		def->has_allocation = true;
		return storage_size_parse(c, "allocation", &def->allocation, err);
	}
	if (xml_is(c, "target"))
		return parse_target(c, "target", &def->target_path, &def->format, &def->perms, err);
	if (xml_is(c, "backingStore"))
		return parse_target(c, "backingStore", &def->backing_path, &def->backing_format,
				    &def->backing_perms, err);
	return xml_err_element(err, NULL, c);
}

int volume_def_parse(const char *xml, size_t len, unsigned flags, struct volume_def **out,
		     struct sv_error *err)
{
	static const char *const allowed[] = { "type", NULL };
	_cleanup_xml_doc_ xmlDocPtr doc = NULL;
	_cleanup_volume_def_ struct volume_def *def = xcalloc(1, sizeof(*def));
	struct parse_ctx ctx = { def, false };
	const xmlNode *root;
	const char *type;
	int r;

	storage_perms_init(&def->perms);
	storage_perms_init(&def->backing_perms);
	r = model_read_root(xml, len, "volume", allowed, &doc, &root, err);
	if (r < 0)
		return r;
	type = xml_attr(root, "type");
	if (type && !streq(type, "file"))
		return xml_err_unsupported(err, "volume type '%s' is not supported", type);
	r = model_for_each_child(root, parse_child, &ctx, err);
	if (r < 0)
		return r;
	if (!def->name)
		return xml_err(err, "missing element 'name': a volume needs a name");
	if (!ctx.have_capacity)
		return xml_err(err, "missing element 'capacity': a volume needs a size");
	if (def->backing_path && def->format != VOLUME_FORMAT_QCOW2)
		return xml_err_unsupported(err, "a backing store needs volume format 'qcow2'");
	*out = TAKE_PTR(def);
	return 0;
}

static void format_target(struct xml_writer *w, const char *name, const char *path,
			  enum volume_format format, const struct storage_perms *perms)
{
	xml_open(w, name);
	xml_put_elem(w, "path", path);
	xml_open(w, "format");
	xml_put_attr(w, "type", format_names[format ? format : VOLUME_FORMAT_RAW]);
	xml_close(w);
	storage_perms_format(w, perms);
	xml_close(w);
}

int volume_def_format(const struct volume_def *def, unsigned flags, char **out,
		      struct sv_error *err)
{
	struct xml_writer w;

	if (!def || !def->name)
		return sv_error_set(err, SV_FROM_XML, SV_ERR_INVALID_ARG, EINVAL,
				    "cannot format a volume without a name");
	xml_writer_init(&w);
	xml_open(&w, "volume");
	xml_put_attr(&w, "type", "file");
	xml_put_elem(&w, "name", def->name);
	xml_put_elem(&w, "key", def->key);
	xml_put_empty(&w, "source");
	storage_size_format(&w, "capacity", def->capacity);
	if (def->has_allocation)
		storage_size_format(&w, "allocation", def->allocation);
	format_target(&w, "target", def->target_path, def->format, &def->perms);
	if (def->backing_path)
		format_target(&w, "backingStore", def->backing_path, def->backing_format,
			      &def->backing_perms);
	xml_close(&w);
	*out = xml_writer_finish(&w);
	return 0;
}

void volume_def_free(struct volume_def *def)
{
	if (!def)
		return;
	free(def->name);
	free(def->key);
	free(def->target_path);
	storage_perms_clear(&def->perms);
	free(def->backing_path);
	storage_perms_clear(&def->backing_perms);
	free(def);
}
