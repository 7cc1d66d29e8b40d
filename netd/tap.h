/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Taps: create (managed) or attach to (unmanaged) with TUNSETIFF on /dev/net/tun. */
#pragma once

#include <net/if.h>

#include "error.h"

#define NETD_MAX_QUEUES 16 /* one fd per queue, all in one reply frame (RPC_MAX_FDS) */

struct netd_tap_spec {
	const char *name;  /* a device name, or a template with %d (create only) */
	bool create;       /* managed: the device must not exist yet (IFF_TUN_EXCL) */
	bool vnet_hdr;
	unsigned queues;   /* >= 1; > 1 opens a multiqueue tap, one fd per queue */
};

/* Opens spec->queues fds; the name the kernel gave (template resolved) goes to ifname.
 * The tap is never made persistent: it disappears with the last fd.
 * Returns 0, or -errno with nothing left open. */
int netd_tap_open(int tun_dirfd, const struct netd_tap_spec *spec, char ifname[IFNAMSIZ], int *fds);
