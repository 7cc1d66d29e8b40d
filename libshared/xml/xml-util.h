/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading libvirt-style XML with libxml2: safe document loading, strict attribute and
 * element checks, enum tables, and the error wording shared by every model. */
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Parse untrusted XML: no network, no entity substitution, no DTD at all. The root
 * element must be root_name. */
int xml_doc_read(const char *xml, size_t len, const char *root_name, xmlDocPtr *doc,
		 struct sv_error *err);
static inline void xml_doc_freep(xmlDocPtr *doc) { if (*doc) xmlFreeDoc(*doc); }
#define _cleanup_xml_doc_ _cleanup_(xml_doc_freep)

/* SV_ERR_XML, "XML error: ..."; returns -EINVAL. */
int xml_err(struct sv_error *err, const char *fmt, ...) _printf_(2, 3);
/* Why ctxt's document did not parse: "line 3: Opening and ending tag mismatch: ...". */
int xml_err_parse(struct sv_error *err, xmlParserCtxtPtr ctxt);
/* SV_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: ..."; returns -ENOTSUP. */
int xml_err_unsupported(struct sv_error *err, const char *fmt, ...) _printf_(2, 3);
/* "unsupported configuration: element 'parent/name' is not supported". */
int xml_err_element(struct sv_error *err, const char *parent, const xmlNode *node);

/* An element (not text, comment...) without namespace. */
static inline bool xml_is_elem(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE;
}
bool xml_is(const xmlNode *n, const char *name);
/* Borrowed value of a namespace-less attribute, "" when empty, NULL when absent. */
const char *xml_attr(const xmlNode *n, const char *name);
/* Text content (malloc'd), "" for an empty element. */
char *xml_text(const xmlNode *n);
/* Text content with surrounding blanks removed (malloc'd): numbers, enums, uuids. */
char *xml_text_trimmed(const xmlNode *n);
/* Text content as a number up to max, "Invalid value 'x' for element 'path'" otherwise. */
int xml_text_ull(const xmlNode *n, const char *path, unsigned long long max,
		 unsigned long long *out, struct sv_error *err);
/* Every attribute of n is in allowed (NULL-terminated) or the element is refused. */
int xml_check_attrs(const xmlNode *n, const char *path, const char *const *allowed,
		    struct sv_error *err);
/* Refuse an element that must be empty but has element children. */
int xml_check_no_children(const xmlNode *n, const char *path, struct sv_error *err);

/* Index of s in table[0..n), or -EINVAL. */
int xml_enum_from_string(const char *const *table, size_t n, const char *s);
const char *xml_enum_to_string(const char *const *table, size_t n, int v);
#define XML_ENUM_FROM(table, s) xml_enum_from_string(table, ARRAY_SIZE(table), s)
#define XML_ENUM_TO(table, v) xml_enum_to_string(table, ARRAY_SIZE(table), v)

/* Attribute attr of element elem as an index into table; dflt when absent (or an error
 * when dflt < 0). "Invalid value for attribute 'a' in element 'e': 'v'". */
int xml_attr_enum(const xmlNode *n, const char *elem, const char *attr, const char *const *table,
		  size_t ntable, int dflt, int *out, struct sv_error *err);
#define XML_ATTR_ENUM(n, elem, attr, table, dflt, out, err) \
	xml_attr_enum(n, elem, attr, table, ARRAY_SIZE(table), dflt, out, err)

/* Strict decimal (no sign, no spaces, no trailing garbage) up to max. */
int xml_parse_ull(const char *s, unsigned long long max, unsigned long long *out);
/* Attribute as an unsigned int; *out untouched when absent. */
int xml_attr_uint(const xmlNode *n, const char *elem, const char *attr, unsigned max,
		  unsigned *out, struct sv_error *err);
/* "yes"/"no" (or "on"/"off") attribute into a tristate ABSENT/YES/NO (0/1/2). */
int xml_attr_yesno(const xmlNode *n, const char *elem, const char *attr, int *out,
		   struct sv_error *err);
int xml_attr_onoff(const xmlNode *n, const char *elem, const char *attr, int *out,
		   struct sv_error *err);
/* A required attribute, malloc'd. */
int xml_attr_required(const xmlNode *n, const char *elem, const char *attr, char **out,
		      struct sv_error *err);
/* Optional attribute, malloc'd copy or NULL. */
char *xml_attr_dup(const xmlNode *n, const char *attr);
/* The same element given twice where only one makes sense. */
int xml_check_once(const void *seen, const char *path, struct sv_error *err);
