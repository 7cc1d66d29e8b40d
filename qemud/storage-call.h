/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemud's calls to sepvirt-storaged: the only way a volume disk is opened (neither qemud nor
 * QEMU needs any access to a pool directory). */
#pragma once

#include "argv.h"
#include "qemud.h"

/* Opens the volume of disk d (type='volume'), read-only when the disk is: vol gets layer 0
 * (the volume) and, for a qcow2 disk, its backing chain. Errors from storaged (unknown pool
 * or volume...) come back unchanged. */
int qemud_call_open_volume(const struct domain_disk *d, struct qemud_argv_volume *vol, struct sv_error *err);
/* Closes what is left of vol's fds and frees it. */
void qemud_argv_volume_clear(struct qemud_argv_volume *vol);
/* Closes the connection kept to storaged. */
void qemud_storaged_close(void);
