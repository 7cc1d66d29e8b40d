/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Ethernet MAC addresses of guest interfaces. */
#pragma once

#include <stdbool.h>

#define SV_MAC_LEN 6
#define SV_MAC_STRING_LEN 18 /* with the NUL */

/* "52:54:00:12:34:56" (one or two hex digits per byte, either case). -EINVAL otherwise. */
int sv_mac_parse(const char *s, unsigned char mac[SV_MAC_LEN]);
/* Lowercase, two digits per byte. */
void sv_mac_format(const unsigned char mac[SV_MAC_LEN], char buf[SV_MAC_STRING_LEN]);
/* 52:54:00 (QEMU's prefix) and three random bytes; -errno without randomness. */
int sv_mac_generate(unsigned char mac[SV_MAC_LEN]);
static inline bool sv_mac_is_multicast(const unsigned char mac[SV_MAC_LEN])
{
	return mac[0] & 1;
}
/* The host side of a managed tap: the guest MAC with the first byte 0xFE, or 0xFA when
 * the guest's first byte is already 0xFE (so host and guest never share an address). */
void sv_mac_host_side(const unsigned char guest[SV_MAC_LEN], unsigned char host[SV_MAC_LEN]);
