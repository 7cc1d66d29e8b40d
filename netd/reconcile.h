/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Start-up clean-up of what belongs to domains that no longer run. */
#pragma once

#include "netd.h"

/* Drops records whose device is gone, deletes managed leftovers nobody holds, forgets
 * unmanaged ones (never touching them), and saves the result. */
int netd_reconcile(struct netd *n, struct sv_error *err);
/* Forgets (journal included) every device recorded that no longer exists under its name and
 * ifindex: deleted behind netd's back (`ip link del`). Returns how many. LIST_TAPS calls it, so
 * a list never shows a device that is gone. */
int netd_forget_vanished(struct netd *n);
