/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The open-tap request, checked and carried out: managed (create) or unmanaged (attach). */
#pragma once

#include "netd.h"

struct netd_open_result {
	char ifname[IFNAMSIZ];
	int fds[16];
	unsigned nfds;
};

/* Validates everything in req again (names, MAC, queues, who holds the name), opens the tap,
 * configures it when managed, and records it. On error nothing is left open or recorded. */
int netd_open_tap(const Sepvirt__NetOpenTapRequest *req, struct netd_open_result *res, struct sv_error *err);
