/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What /proc says of a process that lxcd needs: its start time, which tells a container's init
 * from a later process that reuses its pid. */
#pragma once

#include <sys/types.h>

/* Field 22 of /proc/PID/stat (clock ticks after boot); 0 when the process is gone. */
unsigned long long lxcd_proc_start_ticks(pid_t pid);
