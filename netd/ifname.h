/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Interface names and MAC addresses as netd accepts them: checked again here even when
 * the caller is a trusted daemon of the suite. */
#pragma once

#include <stdint.h>

#include "error.h"

/* The template used when a managed interface names no device. */
#define NETD_TAP_TEMPLATE "vnet%d"

/* A device name: 1..15 bytes, no '/', no whitespace, no '%' and not "." or "..".
 * what: "target dev", "bridge" -- named in the error. */
int netd_ifname_check(const char *name, const char *what, struct sv_error *err);
/* aa:bb:cc:dd:ee:ff -> 6 bytes. */
int netd_mac_parse(const char *s, uint8_t mac[6]);
/* The host side of a tap: the guest MAC with the first byte 0xFE (0xFA when it is 0xFE already),
 * so the bridge never picks the guest's own address as its own. */
void netd_mac_host(const uint8_t guest[6], uint8_t host[6]);
/* The definition's MAC (the guest's side) of target dev, and the host side's MAC made from it;
 * an error naming both when mac is not one. */
int netd_mac_pair(const char *mac, const char *dev, uint8_t guest[6], uint8_t host[6], struct sv_error *err);
/* A UUID as 8-4-4-4-12 hex digits. */
bool netd_uuid_valid(const char *s);
/* A domain has at most DOMAIN_MAX_INTERFACES interfaces (checked at define): a request for one
 * past that is refused before anything is created, whoever sends it. */
int netd_iface_index_check(const char *uuid, uint32_t index, struct sv_error *err);
