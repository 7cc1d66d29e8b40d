/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One libFuzzer target per XML model (network, pool, volume), the same property as the domain
 * target: whatever parses must format, and the formatted text must parse again to the same text
 * (our own output is never refused, and formatting is a fixed point). Include after defining
 * MODEL (network, pool or volume). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "util.h"

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define DEF struct CAT(MODEL, _def)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	DEF *def = NULL, *again = NULL;
	struct sv_error err = { 0 };
	char *out = NULL, *out2 = NULL;

	if (CAT(MODEL, _def_parse)((const char *)data, size, 0, &def, &err) < 0) {
		if (!err.message[0]) {
			fprintf(stderr, "refused without a message\n");
			abort();
		}
		return 0;
	}
	if (CAT(MODEL, _def_format)(def, 0, &out, &err) < 0) {
		fprintf(stderr, "parsed but cannot format: %s\n", err.message);
		abort();
	}
	if (CAT(MODEL, _def_parse)(out, strlen(out), 0, &again, &err) < 0) {
		fprintf(stderr, "own output refused: %s\n%s", err.message, out);
		abort();
	}
	if (CAT(MODEL, _def_format)(again, 0, &out2, &err) < 0 || !streq(out, out2)) {
		fprintf(stderr, "not a fixed point:\n%s---\n%s", out, out2 ? out2 : "");
		abort();
	}
	free(out);
	free(out2);
	CAT(MODEL, _def_free)(def);
	CAT(MODEL, _def_free)(again);
	return 0;
}
