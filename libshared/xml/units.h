/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Scaled integers with libvirt's unit names (virScaleInteger): b/byte/bytes; KB, MB, GB,
 * TB, PB, EB (powers of 1000); k/KiB, M/MiB, G/GiB, T/TiB, P/PiB, E/EiB (powers of 1024),
 * case-insensitive. */
#pragma once

#include "error.h"

/* number * unit in bytes, refused above max. An absent or empty unit means
 * default_scale (1024 for memory, 1 for storage sizes). */
int sv_units_parse(const char *number, const char *unit, unsigned long long default_scale,
		   unsigned long long max, unsigned long long *bytes, struct sv_error *err);
/* The multiplier of a unit name, or -EINVAL. */
int sv_units_scale(const char *unit, unsigned long long default_scale, unsigned long long *scale);
/* Memory as libvirt keeps it: KiB, rounded up. */
int sv_units_parse_kib(const char *number, const char *unit, unsigned long long *kib,
		       struct sv_error *err);
