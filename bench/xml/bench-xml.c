/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain XML parse + format round trips per second on one core.
 * Usage: bench-xml [FILE] [SECONDS]; FILE defaults to tests/xml/domain/typical-kvm.xml. */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "util.h"
#include "xml/domain-def.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *top = getenv("abs_top_srcdir");
	_cleanup_free_ char *deflt = xasprintf("%s/tests/xml/domain/typical-kvm.xml", top ? top : ".");
	const char *path = argc > 1 ? argv[1] : deflt;
	double seconds = argc > 2 ? atof(argv[2]) : 3.0, start, elapsed;
	static char xml[1 << 20];
	unsigned long n = 0;
	size_t len;
	FILE *f = fopen(path, "re");

	if (!f) {
		fprintf(stderr, "bench-xml: cannot open %s\n", path);
		return 1;
	}
	len = fread(xml, 1, sizeof(xml), f);
	fclose(f);
	start = now();
	do {
		for (int i = 0; i < 1000; i++, n++) {
			struct domain_def *def = NULL;
			struct sv_error err = { 0 };
			char *out = NULL;

			if (domain_def_parse(xml, len, DOMAIN_PARSE_INACTIVE, &def, &err) < 0 ||
			    domain_def_format(def, 0, &out, &err) < 0) {
				fprintf(stderr, "bench-xml: %s\n", err.message);
				return 1;
			}
			free(out);
			domain_def_free(def);
		}
		elapsed = now() - start;
	} while (elapsed < seconds);
	printf("%s: %lu round trips in %.2f s: %.0f parse+format/s\n", path, n, elapsed,
	       (double)n / elapsed);
	return 0;
}
