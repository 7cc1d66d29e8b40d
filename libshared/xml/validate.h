/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RelaxNG validation of a document (sepvirsh define --validate, tests). */
#pragma once

#include <stddef.h>

#include "error.h"

/* Validate xml against the RelaxNG schema in schema_file. The message of a failure
 * names the line and what the schema expected. */
int xml_validate_rng(const char *schema_file, const char *xml, size_t len, struct sv_error *err);
