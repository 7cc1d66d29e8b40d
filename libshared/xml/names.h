/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names users give: objects (domains, networks, pools, volumes) and host interfaces. */
#pragma once

#include "error.h"

/* A name becomes a file name (NAME.xml) under the config dir. */
#define SV_NAME_MAX 251
/* IFNAMSIZ - 1 */
#define SV_IFNAME_MAX 15

/* Not empty, no '/', no leading '.', no control characters, at most SV_NAME_MAX bytes.
 * what is "domain", "network"... for the message. */
int sv_name_validate(const char *what, const char *name, struct sv_error *err);
/* A Linux interface name: not empty, at most 15 bytes, no '/', ':' or blanks, not '.'/'..'. */
int sv_ifname_validate(const char *name, struct sv_error *err);
