/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the domain parser: whatever parses must format, and the
 * formatted text must parse again to the same text (our own output is never refused). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "util.h"
#include "xml/domain-def.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct domain_def *def = NULL, *again = NULL;
	struct sv_error err = { 0 };
	char *out = NULL, *out2 = NULL;

	if (domain_def_parse((const char *)data, size, DOMAIN_PARSE_INACTIVE, &def, &err) < 0)
		return 0;
	if (domain_def_format(def, 0, &out, &err) < 0)
		abort();
	if (domain_def_parse(out, strlen(out), DOMAIN_PARSE_INACTIVE, &again, &err) < 0) {
		fprintf(stderr, "own output refused: %s\n%s", err.message, out);
		abort();
	}
	if (domain_def_format(again, 0, &out2, &err) < 0 || !streq(out, out2)) {
		fprintf(stderr, "not a fixed point:\n%s---\n%s", out, out2 ? out2 : "");
		abort();
	}
	free(out);
	free(out2);
	domain_def_free(def);
	domain_def_free(again);
	return 0;
}
