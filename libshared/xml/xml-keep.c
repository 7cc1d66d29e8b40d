/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Verbatim element lists (see xml-keep.h). */
#include "config.h"

#include <libxml/tree.h>

#include "util.h"
#include "xml/xml-keep.h"
#include "xml/xml-util.h"

static bool is_blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static int check_keepable(const xmlNode *node, struct sv_error *err)
{
	bool elems = false, text = false;

	/* libxml2 keeps a namespace name's character references encoded, so it would grow
	 * on every round trip: a URI has no business containing them anyway. */
	for (const xmlNs *ns = node->nsDef; ns; ns = ns->next)
		if (ns->href && strpbrk((const char *)ns->href, "&<>'\""))
			return xml_err(err, "invalid namespace name '%s'", (const char *)ns->href);
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			int r = check_keepable(c, err);

			if (r < 0)
				return r;
			elems = true;
		} else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
			   !is_blank(c->content)) {
			text = true;
		}
	}
	if (elems && text)
		return xml_err(err, "element '%s' mixes text and elements", (const char *)node->name);
	return 0;
}

int xml_keep_add(struct xml_keep *keep, const xmlNode *node, struct sv_error *err)
{
	xmlNodePtr copy;
	int r = check_keepable(node, err);

	if (r < 0)
		return r;
	/* Copied without a document: the copy owns its strings and outlives the parse. */
	copy = xmlCopyNode((xmlNodePtr)node, 1);
	if (!copy)
		abort();
	keep->nodes = xrealloc(keep->nodes, (keep->n + 1) * sizeof(*keep->nodes));
	keep->nodes[keep->n++] = copy;
	return 0;
}

xmlNode *xml_keep_find_mut(struct xml_keep *keep, const char *name)
{
	for (size_t i = 0; i < keep->n; i++)
		if (xmlStrEqual(keep->nodes[i]->name, BAD_CAST name))
			return keep->nodes[i];
	return NULL;
}

const xmlNode *xml_keep_find(const struct xml_keep *keep, const char *name)
{
	return xml_keep_find_mut((struct xml_keep *)keep, name);
}

void xml_keep_clear(struct xml_keep *keep)
{
	for (size_t i = 0; i < keep->n; i++)
		xmlFreeNode(keep->nodes[i]);
	free(keep->nodes);
	keep->nodes = NULL;
	keep->n = 0;
}
