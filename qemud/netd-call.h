/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemud's calls to sepvirt-netd: the only way it gets a tap (qemud never creates or
 * configures network devices). */
#pragma once

#include "qemud.h"

/* Opens the tap of interface index of the domain; *ifname (malloc'd) and *fd on success. */
int qemud_call_open_tap(const struct domain_def *def, size_t index, char **ifname, int *fd,
			struct sv_error *err);
/* Releases every device netd holds for the domain (managed taps are deleted, unmanaged
 * ones only closed). */
int qemud_call_release_taps(const char *uuid, struct sv_error *err);
/* Releases the taps netd holds for domains that do not run (at start-up, after re-attach). */
void qemud_call_release_stale_taps(bool (*running)(const char *uuid));
/* Closes the connection kept to netd. */
void qemud_netd_close(void);
