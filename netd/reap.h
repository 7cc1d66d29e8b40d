/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Deleting released taps in batches. Unregistering a network device costs the kernel ~20 ms
 * (RCU grace periods), one device at a time; deleting a whole link group costs that once for the
 * batch. So release takes a managed tap down, moves it to netd's reap group, and a short timer
 * deletes the group with one RTM_DELLINK. */
#pragma once

#include "netd.h"

/* The link group netd's released taps wait in (IFLA_GROUP). Nothing else should use it. */
#define NETD_REAP_GROUP 0x73766e64u /* "svnd" */
#define NETD_REAP_DELAY_MS 250

/* Down and into the reap group; the deletion follows within NETD_REAP_DELAY_MS. */
int netd_reap_mark(struct netd *n, int ifindex);
/* Deletes every device of the reap group now (start-up, shutdown, a name about to be reused). */
int netd_reap_flush(struct netd *n);
bool netd_reap_pending(const struct netd *n);
