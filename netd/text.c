/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Generated text, line by line (see text.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "text.h"

void netd_text_line(char **buf, const char *fmt, ...)
{
	_cleanup_free_ char *line = NULL, *old = *buf;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		abort();
	va_end(ap);
	*buf = xasprintf("%s%s\n", old ? old : "", line);
}
