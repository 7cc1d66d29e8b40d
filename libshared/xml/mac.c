/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MAC address parse, format and generation (see mac.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

#include "util.h"
#include "xml/mac.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int sv_mac_parse(const char *s, unsigned char mac[SV_MAC_LEN])
{
	unsigned char out[SV_MAC_LEN];

	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < SV_MAC_LEN; i++) {
		int v = hexval(*s);

		if (v < 0)
			return -EINVAL;
		s++;
		if (hexval(*s) >= 0)
			v = v << 4 | hexval(*s++);
		out[i] = (unsigned char)v;
		if (i + 1 < SV_MAC_LEN && *s++ != ':')
			return -EINVAL;
	}
	if (*s)
		return -EINVAL;
	memcpy(mac, out, SV_MAC_LEN);
	return 0;
}

void sv_mac_format(const unsigned char m[SV_MAC_LEN], char buf[SV_MAC_STRING_LEN])
{
	snprintf(buf, SV_MAC_STRING_LEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
}

int sv_mac_generate(unsigned char mac[SV_MAC_LEN])
{
	mac[0] = 0x52;
	mac[1] = 0x54;
	mac[2] = 0x00;
	if (getrandom(mac + 3, 3, 0) != 3)
		return errno ? -errno : -EIO;
	return 0;
}

void sv_mac_host_side(const unsigned char guest[SV_MAC_LEN], unsigned char host[SV_MAC_LEN])
{
	memcpy(host, guest, SV_MAC_LEN);
	host[0] = guest[0] == 0xFE ? 0xFA : 0xFE;
}
