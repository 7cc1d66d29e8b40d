/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvirt-style XML output (see xml-writer.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "xml/xml-writer.h"

void xml_writer_init(struct xml_writer *w)
{
	*w = (struct xml_writer){ .buf = xmlBufferCreateSize(4096) };
	if (!w->buf)
		abort();
	xmlBufferSetAllocationScheme(w->buf, XML_BUFFER_ALLOC_DOUBLEIT);
}

void xml_writer_clear(struct xml_writer *w)
{
	if (w->buf)
		xmlBufferFree(w->buf);
	free(w->stack);
	*w = (struct xml_writer){ 0 };
}

char *xml_writer_finish(struct xml_writer *w)
{
	char *s = xstrndup((const char *)xmlBufferContent(w->buf), (size_t)xmlBufferLength(w->buf));

	xml_writer_clear(w);
	return s;
}

static void put(struct xml_writer *w, const char *s, size_t n)
{
	if (n && xmlBufferAdd(w->buf, (const xmlChar *)s, (int)n) != 0)
		abort();
}

static void puts_(struct xml_writer *w, const char *s)
{
	put(w, s, strlen(s));
}

/* libvirt escapes all five specials in text and attributes alike. A parser turns a raw
 * CR into LF, and tab or newline in an attribute into a space: write those as references
 * so that what is read back is what was written. */
static void put_escaped(struct xml_writer *w, const char *s, bool attr)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep;

		switch (*s) {
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '&': rep = "&amp;"; break;
		case '\'': rep = "&apos;"; break;
		case '"': rep = "&quot;"; break;
		case '\r': rep = "&#13;"; break;
		case '\n': if (!attr) continue; rep = "&#10;"; break;
		case '\t': if (!attr) continue; rep = "&#9;"; break;
		default: continue;
		}
		put(w, run, (size_t)(s - run));
		puts_(w, rep);
		run = s + 1;
	}
	put(w, run, (size_t)(s - run));
}

static void indent(struct xml_writer *w)
{
	static const char spaces[] = "                                ";

	for (size_t n = w->depth * 2; n; ) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		put(w, spaces, k);
		n -= k;
	}
}

/* The parent gets its first element child: finish its start tag. */
static void child_starts(struct xml_writer *w)
{
	struct xml_writer_level *top;

	if (!w->depth)
		return;
	top = &w->stack[w->depth - 1];
	if (top->state == 0)
		puts_(w, ">\n");
	top->state = 1;
}

static void open_prefixed(struct xml_writer *w, const char *prefix, const char *name)
{
	child_starts(w);
	indent(w);
	puts_(w, "<");
	if (prefix) {
		puts_(w, prefix);
		puts_(w, ":");
	}
	puts_(w, name);
	if (w->depth == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->stack = xrealloc(w->stack, w->cap * sizeof(*w->stack));
	}
	w->stack[w->depth++] = (struct xml_writer_level){ prefix, name, 0 };
}

void xml_open(struct xml_writer *w, const char *name)
{
	open_prefixed(w, NULL, name);
}

static void put_attr_prefixed(struct xml_writer *w, const char *prefix, const char *name,
			      const char *value)
{
	if (!value)
		return;
	puts_(w, " ");
	if (prefix) {
		puts_(w, prefix);
		puts_(w, ":");
	}
	puts_(w, name);
	puts_(w, "='");
	put_escaped(w, value, true);
	puts_(w, "'");
}

void xml_put_attr(struct xml_writer *w, const char *name, const char *value)
{
	put_attr_prefixed(w, NULL, name, value);
}

void xml_put_attr_fmt(struct xml_writer *w, const char *name, const char *fmt, ...)
{
	char value[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	xml_put_attr(w, name, value);
}

void xml_put_text(struct xml_writer *w, const char *text)
{
	struct xml_writer_level *top = &w->stack[w->depth - 1];

	if (top->state == 0)
		puts_(w, ">");
	if (top->state != 1)
		top->state = 2;
	put_escaped(w, text, false);
}

void xml_put_text_fmt(struct xml_writer *w, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	xml_put_text(w, text);
}

void xml_close(struct xml_writer *w)
{
	struct xml_writer_level *top = &w->stack[--w->depth];

	if (top->state == 0) {
		puts_(w, "/>\n");
		return;
	}
	if (top->state == 1)
		indent(w);
	puts_(w, "</");
	if (top->prefix) {
		puts_(w, top->prefix);
		puts_(w, ":");
	}
	puts_(w, top->name);
	puts_(w, ">\n");
}

void xml_put_elem(struct xml_writer *w, const char *name, const char *text)
{
	if (!text)
		return;
	xml_open(w, name);
	xml_put_text(w, text);
	xml_close(w);
}

void xml_put_elem_fmt(struct xml_writer *w, const char *name, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	xml_put_elem(w, name, text);
}

void xml_put_empty(struct xml_writer *w, const char *name)
{
	xml_open(w, name);
	xml_close(w);
}

static bool is_blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static const char *ns_prefix(const xmlNs *ns)
{
	return ns && ns->prefix ? (const char *)ns->prefix : NULL;
}

void xml_put_node(struct xml_writer *w, const xmlNode *node)
{
	bool has_elem = false;

	if (node->type != XML_ELEMENT_NODE)
		return;
	open_prefixed(w, ns_prefix(node->ns), (const char *)node->name);
	for (const xmlNs *ns = node->nsDef; ns; ns = ns->next)
		put_attr_prefixed(w, ns->prefix ? "xmlns" : NULL,
				  ns->prefix ? (const char *)ns->prefix : "xmlns",
				  (const char *)ns->href);
	for (const xmlAttr *a = node->properties; a; a = a->next) {
		const xmlNode *t = a->children;
		xmlChar *v;

		/* The usual single text child needs no copy. */
		if (!t || (t->type == XML_TEXT_NODE && !t->next)) {
			put_attr_prefixed(w, ns_prefix(a->ns), (const char *)a->name,
					  t ? (const char *)t->content : "");
			continue;
		}
		v = xmlNodeListGetString(a->doc, a->children, 1);
		put_attr_prefixed(w, ns_prefix(a->ns), (const char *)a->name, v ? (const char *)v : "");
		xmlFree(v);
	}
	for (const xmlNode *c = node->children; c; c = c->next)
		has_elem |= c->type == XML_ELEMENT_NODE;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			xml_put_node(w, c);
		else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
			 !(has_elem && is_blank(c->content)))
			xml_put_text(w, (const char *)c->content);
	}
	xml_close(w);
}
