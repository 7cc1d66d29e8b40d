/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Scaled integers (see units.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <strings.h>

#include "util.h"
#include "xml/units.h"
#include "xml/xml-util.h"

int sv_units_scale(const char *unit, unsigned long long default_scale, unsigned long long *scale)
{
	static const char order[] = "kmgtpe";
	const char *p;
	unsigned long long base, s = 1;

	if (!unit || !*unit) {
		*scale = default_scale;
		return 0;
	}
	if (!strcasecmp(unit, "b") || !strcasecmp(unit, "byte") || !strcasecmp(unit, "bytes")) {
		*scale = 1;
		return 0;
	}
	if (!unit[1] || !strcasecmp(unit + 1, "iB"))
		base = 1024;
	else if ((unit[1] == 'b' || unit[1] == 'B') && !unit[2])
		base = 1000;
	else
		return -EINVAL;
	p = strchr(order, unit[0] | 0x20);
	if (!p || !unit[0])
		return -EINVAL;
	for (const char *q = order; q <= p; q++)
		s *= base;
	*scale = s;
	return 0;
}

int sv_units_parse(const char *number, const char *unit, unsigned long long default_scale,
		   unsigned long long max, unsigned long long *bytes, struct sv_error *err)
{
	unsigned long long v, scale;
	int r;

	if (sv_units_scale(unit, default_scale, &scale) < 0)
		return xml_err(err, "unknown suffix '%s'", unit);
	r = xml_parse_ull(number, ULLONG_MAX, &v);
	if (r == -ERANGE || (r == 0 && v > max / scale))
		return xml_err(err, "value too large: '%s' %s", number, unit ? unit : "");
	if (r < 0)
		return xml_err(err, "invalid number '%s'", number ? number : "");
	*bytes = v * scale;
	return 0;
}

int sv_units_parse_kib(const char *number, const char *unit, unsigned long long *kib,
		       struct sv_error *err)
{
	unsigned long long bytes;
	/* libvirt caps memory at LLONG_MAX bytes */
	int r = sv_units_parse(number, unit, 1024, LLONG_MAX, &bytes, err);

	if (r < 0)
		return r;
	*kib = bytes / 1024 + (bytes % 1024 != 0);
	return 0;
}
