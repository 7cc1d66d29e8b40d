/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pieces the network, pool and volume models share with the domain model. */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>

#include "error.h"
#include "xml/uuid.h"
#include "xml/xml-writer.h"

/* Read xml whose root must be root_name with only root_attrs as attributes. */
int model_read_root(const char *xml, size_t len, const char *root_name,
		    const char *const *root_attrs, xmlDocPtr *doc, const xmlNode **root,
		    struct sv_error *err);
typedef int (*model_child_fn)(const xmlNode *child, void *ctx, struct sv_error *err);
/* fn for each element child of node, up to the first error. */
int model_for_each_child(const xmlNode *node, model_child_fn fn, void *ctx, struct sv_error *err);

/* <name> with the object name rules of names.h; <uuid> parsed (seen set). */
int model_parse_name(const xmlNode *node, const char *what, char **name, struct sv_error *err);
int model_parse_uuid(const xmlNode *node, unsigned char uuid[SV_UUID_LEN], bool *seen,
		     struct sv_error *err);
/* A uuid for a definition that had none. */
int model_uuid_default(unsigned char uuid[SV_UUID_LEN], bool seen, bool *generated,
		       struct sv_error *err);
void model_format_uuid(struct xml_writer *w, const unsigned char uuid[SV_UUID_LEN]);

/* Grow an array by one zeroed element and return it. */
void *model_array_append(void *array, size_t *n, size_t size);
#define MODEL_APPEND(array, n) \
	((array) = model_array_append((array), &(n), sizeof(*(array))), &(array)[(n) - 1])
