/* Start-up clean-up of what belongs to domains that no longer run. */
#pragma once

#include "netd.h"

/* Drops records whose device is gone, deletes managed leftovers nobody holds, forgets
 * unmanaged ones (never touching them), and saves the result. */
int netd_reconcile(struct netd *n, struct sv_error *err);
