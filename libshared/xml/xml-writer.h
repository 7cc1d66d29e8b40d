/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing libvirt-style XML: two-space indentation, single-quoted attributes, every
 * value escaped. The output of all four models goes through here. */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>

#include "util.h"

struct xml_writer_level {
	const char *prefix, *name;
	/* 0: start tag still open, 1: has element children, 2: has text */
	unsigned char state;
};

struct xml_writer {
	xmlBufferPtr buf;
	struct xml_writer_level *stack;
	size_t depth, cap;
};

void xml_writer_init(struct xml_writer *w);
/* Hand over the text (malloc'd, NUL-terminated); the writer is empty afterwards. */
char *xml_writer_finish(struct xml_writer *w);
void xml_writer_clear(struct xml_writer *w);

/* <name ...: attributes may follow until a child, text or the close. */
void xml_open(struct xml_writer *w, const char *name);
/* name='value'; nothing when value is NULL. */
void xml_put_attr(struct xml_writer *w, const char *name, const char *value);
void xml_put_attr_fmt(struct xml_writer *w, const char *name, const char *fmt, ...) _printf_(3, 4);
/* Text content of the open element (escaped). */
void xml_put_text(struct xml_writer *w, const char *text);
void xml_put_text_fmt(struct xml_writer *w, const char *fmt, ...) _printf_(2, 3);
void xml_close(struct xml_writer *w);
/* <name>text</name>; nothing when text is NULL. */
void xml_put_elem(struct xml_writer *w, const char *name, const char *text);
void xml_put_elem_fmt(struct xml_writer *w, const char *name, const char *fmt, ...) _printf_(3, 4);
/* <name/> */
void xml_put_empty(struct xml_writer *w, const char *name);
/* A kept element and all below it, re-indented. */
void xml_put_node(struct xml_writer *w, const xmlNode *node);
