/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* UUID parse, format and generation (see uuid.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

#include "util.h"
#include "xml/uuid.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sv_uuid_parse(const char *s, unsigned char uuid[SV_UUID_LEN])
{
	unsigned char out[SV_UUID_LEN];
	size_t i = 0;

	if (!s)
		return -EINVAL;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	while (i < SV_UUID_LEN) {
		int hi, lo;

		if (*s == '-' && i > 0) {
			s++;
			continue;
		}
		hi = hexval(s[0]);
		lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0)
			return -EINVAL;
		out[i++] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	memcpy(uuid, out, SV_UUID_LEN);
	return 0;
}

void sv_uuid_format(const unsigned char u[SV_UUID_LEN], char buf[SV_UUID_STRING_LEN])
{
	snprintf(buf, SV_UUID_STRING_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
		 u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

int sv_uuid_generate(unsigned char uuid[SV_UUID_LEN])
{
	if (getrandom(uuid, SV_UUID_LEN, 0) != SV_UUID_LEN)
		return errno ? -errno : -EIO;
	uuid[6] = (uuid[6] & 0x0f) | 0x40; /* version 4 */
	uuid[8] = (uuid[8] & 0x3f) | 0x80; /* RFC 4122 variant */
	return 0;
}
