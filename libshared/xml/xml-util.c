/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libxml2 reading helpers (see xml-util.h). */
#include "config.h"

#include <errno.h>
#include <libxml/parser.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

#include "util.h"
#include "xml/xml-util.h"

static int xml_verr(struct sv_error *err, int code, int errnum, const char *prefix,
		    const char *fmt, va_list ap) _printf_(5, 0);
static int xml_verr(struct sv_error *err, int code, int errnum, const char *prefix,
		    const char *fmt, va_list ap)
{
	char msg[SV_ERROR_MSG_MAX];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	sv_error_set(err, SV_FROM_XML, code, errnum, "%s%s", prefix, msg);
	return -errnum;
}

int xml_err(struct sv_error *err, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = xml_verr(err, SV_ERR_XML, EINVAL, "XML error: ", fmt, ap);
	va_end(ap);
	return r;
}

int xml_err_unsupported(struct sv_error *err, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = xml_verr(err, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP, "unsupported configuration: ", fmt, ap);
	va_end(ap);
	return r;
}

int xml_err_element(struct sv_error *err, const char *parent, const xmlNode *node)
{
	const char *prefix = node->ns && node->ns->prefix ? (const char *)node->ns->prefix : NULL;

	return xml_err_unsupported(err, "element '%s%s%s%s%s' is not supported",
				   parent ? parent : "", parent ? "/" : "",
				   prefix ? prefix : "", prefix ? ":" : "", (const char *)node->name);
}

static __thread xmlParserCtxtPtr parser_ctxt;

static void silent(void *ctx, const char *msg, ...)
{
}

int xml_doc_read(const char *xml, size_t len, const char *root_name, xmlDocPtr *out,
		 struct sv_error *err)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	xmlNodePtr root;

	if (!xml || len > INT_MAX)
		return xml_err(err, "document is missing or too large");
	/* One parser per thread, reset for each document: most of a parse's allocations. */
	ctxt = parser_ctxt;
	/* Its dictionary keeps every name it has seen: start afresh before it grows large. */
	if (ctxt && xmlDictSize(ctxt->dict) > 4096) {
		xmlFreeParserCtxt(ctxt);
		ctxt = parser_ctxt = NULL;
	}
	if (!ctxt) {
		/* Some libxml2 errors (encoding) bypass NOERROR: library code prints nothing. */
		xmlSetGenericErrorFunc(NULL, silent);
		ctxt = parser_ctxt = xmlNewParserCtxt();
		if (!ctxt)
			abort();
	}
	/* NONET: never fetch anything; no NOENT: entities are never substituted. */
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, root_name, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return xml_err_parse(err, ctxt);

	/* A DTD brings entities and defaults we would have to expand: refuse it outright. */
	if (doc->intSubset || doc->extSubset) {
		xmlFreeDoc(doc);
		return xml_err(err, "a DOCTYPE is not allowed");
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !xml_is(root, root_name)) {
		int r = xml_err(err, "expected root element '%s', found '%s'", root_name,
				root ? (const char *)root->name : "");
		xmlFreeDoc(doc);
		return r;
	}
	*out = doc;
	return 0;
}

int xml_err_parse(struct sv_error *err, xmlParserCtxtPtr ctxt)
{
	xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
	char msg[256] = "malformed document";

	if (e && e->message) {
		snprintf(msg, sizeof(msg), "%s", e->message);
		msg[strcspn(msg, "\n")] = '\0';
	}
	return xml_err(err, "line %d: %s", e ? e->line : 0, msg);
}

bool xml_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !n->ns && streq((const char *)n->name, name);
}

const char *xml_attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (a->ns || !streq((const char *)a->name, name))
			continue;
		/* Without a DTD an attribute value is one text node (or none when empty). */
		if (!a->children)
			return "";
		if (a->children->type == XML_TEXT_NODE && !a->children->next)
			return (const char *)a->children->content;
		return NULL;
	}
	return NULL;
}

char *xml_text(const xmlNode *n)
{
	xmlChar *content;
	char *s;

	if (!n->children)
		return xstrdup("");
	if (n->children->type == XML_TEXT_NODE && !n->children->next)
		return xstrdup((const char *)n->children->content);
	content = xmlNodeGetContent(n);
	s = xstrdup(content ? (const char *)content : "");
	xmlFree(content);
	return s;
}

char *xml_text_trimmed(const xmlNode *n)
{
	char *s = xml_text(n), *start = s, *end;

	while (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		end--;
	*end = '\0';
	memmove(s, start, (size_t)(end - start) + 1);
	return s;
}

int xml_text_ull(const xmlNode *n, const char *path, unsigned long long max,
		 unsigned long long *out, struct sv_error *err)
{
	_cleanup_free_ char *s = xml_text_trimmed(n);

	if (xml_parse_ull(s, max, out) < 0)
		return xml_err(err, "Invalid value '%s' for element '%s'", s, path);
	return 0;
}

int xml_check_attrs(const xmlNode *n, const char *path, const char *const *allowed,
		    struct sv_error *err)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		bool ok = false;

		for (const char *const *p = allowed; !a->ns && *p && !ok; p++)
			ok = streq(*p, (const char *)a->name);
		if (!ok)
			return xml_err_unsupported(err, "attribute '%s%s%s' of element '%s' is not supported",
						   a->ns && a->ns->prefix ? (const char *)a->ns->prefix : "",
						   a->ns && a->ns->prefix ? ":" : "",
						   (const char *)a->name, path);
	}
	return 0;
}

int xml_check_no_children(const xmlNode *n, const char *path, struct sv_error *err)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (xml_is_elem(c))
			return xml_err_element(err, path, c);
	return 0;
}

int xml_enum_from_string(const char *const *table, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (table[i] && streq(table[i], s))
			return (int)i;
	return -EINVAL;
}

const char *xml_enum_to_string(const char *const *table, size_t n, int v)
{
	return v >= 0 && (size_t)v < n ? table[v] : NULL;
}

int xml_attr_enum(const xmlNode *n, const char *elem, const char *attr, const char *const *table,
		  size_t ntable, int dflt, int *out, struct sv_error *err)
{
	const char *v = xml_attr(n, attr);
	int r;

	if (!v) {
		if (dflt < 0)
			return xml_err(err, "missing attribute '%s' in element '%s'", attr, elem);
		*out = dflt;
		return 0;
	}
	r = xml_enum_from_string(table, ntable, v);
	if (r < 0)
		return xml_err(err, "Invalid value for attribute '%s' in element '%s': '%s'", attr,
			       elem, v);
	*out = r;
	return 0;
}

int xml_parse_ull(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned d;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int xml_attr_uint(const xmlNode *n, const char *elem, const char *attr, unsigned max,
		  unsigned *out, struct sv_error *err)
{
	const char *v = xml_attr(n, attr);
	unsigned long long u;

	if (!v)
		return 0;
	if (xml_parse_ull(v, max, &u) < 0)
		return xml_err(err, "Invalid value for attribute '%s' in element '%s': '%s'", attr,
			       elem, v);
	*out = (unsigned)u;
	return 0;
}

static const char *const yesno_names[] = { NULL, "yes", "no" };
static const char *const onoff_names[] = { NULL, "on", "off" };

int xml_attr_yesno(const xmlNode *n, const char *elem, const char *attr, int *out,
		   struct sv_error *err)
{
	return XML_ATTR_ENUM(n, elem, attr, yesno_names, 0, out, err);
}

int xml_attr_onoff(const xmlNode *n, const char *elem, const char *attr, int *out,
		   struct sv_error *err)
{
	return XML_ATTR_ENUM(n, elem, attr, onoff_names, 0, out, err);
}

int xml_attr_required(const xmlNode *n, const char *elem, const char *attr, char **out,
		      struct sv_error *err)
{
	const char *v = xml_attr(n, attr);

	if (!v || !*v)
		return xml_err(err, "missing attribute '%s' in element '%s'", attr, elem);
	*out = xstrdup(v);
	return 0;
}

char *xml_attr_dup(const xmlNode *n, const char *attr)
{
	const char *v = xml_attr(n, attr);

	return v ? xstrdup(v) : NULL;
}

int xml_check_once(const void *seen, const char *path, struct sv_error *err)
{
	if (seen)
		return xml_err(err, "element '%s' is given more than once", path);
	return 0;
}
