/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemud's calls to sepvirt-storaged: the only way a volume disk is opened (neither qemud nor
 * QEMU needs any access to a pool directory). Answered from the loop on one connection kept to
 * storaged (caller.h), with the deadline of calls to other daemons. */
#pragma once

#include "argv.h"
#include "qemud.h"

/* The answer to open_volume: r >= 0 with vol filled (the callee takes what it keeps out of it;
 * what is left is closed after the callback), or r < 0 with err: storaged's own errors (unknown
 * pool or volume...) unchanged. */
typedef void (*qemud_volume_fn)(void *opaque, int r, struct qemud_argv_volume *vol, const struct sv_error *err);
/* Opens the volume of disk d (type='volume'), read-only when the disk is: layer 0 is the volume
 * and, for a qcow2 disk, its backing chain follows. < 0 when storaged cannot be reached (fn is
 * not called then). */
int qemud_call_open_volume(const struct domain_disk *d, qemud_volume_fn fn, void *opaque, struct sv_error *err);
/* Closes what is left of vol's fds and frees it. */
void qemud_argv_volume_clear(struct qemud_argv_volume *vol);
/* Closes the connection kept to storaged (calls still waiting fail). */
void qemud_storaged_close(void);
