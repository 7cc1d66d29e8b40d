// SPDX-License-Identifier: LGPL-2.1-or-later
/* What the host's kernel tells about a running QEMU and its taps, read from /proc: counters any
 * process may read, so qemud reads them itself (no privilege, no round trip to netd). */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* User and system CPU time of a process (tid 0) or of one of its threads, in ns. */
int qemud_stats_cpu_times(pid_t pid, pid_t tid, unsigned long long *user_ns, unsigned long long *system_ns);
/* The time a thread waited on a run queue, in ns (schedstat's second field). */
int qemud_stats_run_delay(pid_t pid, pid_t tid, unsigned long long *ns);
/* VmRSS of a process, in KiB. */
int qemud_stats_rss_kib(pid_t pid, unsigned long long *kib);

/* A network device's counters, as /proc/net/dev has them; -ENODEV when it has no such device. */
struct qemud_if_counters {
	unsigned long long rx_bytes, rx_packets, rx_errs, rx_drop;
	unsigned long long tx_bytes, tx_packets, tx_errs, tx_drop;
};
int qemud_stats_if_counters(const char *dev, struct qemud_if_counters *c);
