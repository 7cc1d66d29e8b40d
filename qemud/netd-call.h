/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemud's calls to sepvirt-netd: the only way it gets a tap (qemud never creates or
 * configures network devices). Every call is answered from the loop on one connection kept to
 * netd (caller.h), with the deadline of calls to other daemons. */
#pragma once

#include "qemud.h"

/* The answer to open_tap: r >= 0 with the tap's name (malloc'd) and fd, both the callee's. */
typedef void (*qemud_tap_fn)(void *opaque, int r, char *ifname, int fd, const struct sv_error *err);
/* Asks for the tap of interface index of the domain. < 0 when netd cannot be reached (fn is not
 * called then). */
int qemud_call_open_tap(const struct domain_def *def, size_t index, qemud_tap_fn fn, void *opaque,
			struct sv_error *err);
/* Asks netd to release every device it holds for the domain (managed taps are deleted,
 * unmanaged ones only closed); a failure is logged. On the same connection as the opens, so
 * netd does it after any open it has not answered yet. */
void qemud_call_release_taps(const char *uuid);
/* The same for one tap (a hot-unplugged interface's). */
void qemud_call_release_tap(const char *uuid, const char *ifname);
/* Releases the taps netd holds for domains that do not run (at start-up, after re-attach). */
void qemud_call_release_stale_taps(bool (*running)(const char *uuid));
/* Closes the connection kept to netd (calls still waiting fail). */
void qemud_netd_close(void);
