/* Verbatim element lists (see xml-keep.h). */
#include "config.h"

#include <libxml/tree.h>

#include "util.h"
#include "xml/xml-keep.h"

void xml_keep_add(struct xml_keep *keep, const xmlNode *node)
{
	/* Copied without a document: the copy owns its strings and outlives the parse. */
	xmlNodePtr copy = xmlCopyNode((xmlNodePtr)node, 1);

	if (!copy)
		abort();
	keep->nodes = xrealloc(keep->nodes, (keep->n + 1) * sizeof(*keep->nodes));
	keep->nodes[keep->n++] = copy;
}

const xmlNode *xml_keep_find(const struct xml_keep *keep, const char *name)
{
	for (size_t i = 0; i < keep->n; i++)
		if (xmlStrEqual(keep->nodes[i]->name, BAD_CAST name))
			return keep->nodes[i];
	return NULL;
}

void xml_keep_clear(struct xml_keep *keep)
{
	for (size_t i = 0; i < keep->n; i++)
		xmlFreeNode(keep->nodes[i]);
	free(keep->nodes);
	keep->nodes = NULL;
	keep->n = 0;
}
