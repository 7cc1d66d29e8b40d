/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Elements kept verbatim: parsed from the user's XML, written back as given.
 * For what does not change what the guest gets (address, alias, controller, input...). */
#pragma once

#include <stddef.h>

#include "error.h"

struct _xmlNode; /* libxml2's node; users of the models need not include libxml2 */

struct xml_keep {
	struct _xmlNode **nodes; /* deep copies, owned */
	size_t n;
};

/* Keep a deep copy of node. Text mixed with elements is refused: it could not be
 * re-indented without changing it. */
int xml_keep_add(struct xml_keep *keep, const struct _xmlNode *node, struct sv_error *err);
/* The first kept element called name, or NULL. */
const struct _xmlNode *xml_keep_find(const struct xml_keep *keep, const char *name);
/* The same, to be changed in place (a live definition recording what QEMU chose). */
struct _xmlNode *xml_keep_find_mut(struct xml_keep *keep, const char *name);
void xml_keep_clear(struct xml_keep *keep);
