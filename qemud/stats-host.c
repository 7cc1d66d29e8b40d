// SPDX-License-Identifier: LGPL-2.1-or-later
/* /proc and /sys readers for the domain statistics (stats-host.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic-file.h"
#include "stats-host.h"
#include "util.h"

static char *proc_path(pid_t pid, pid_t tid, const char *file)
{
	return tid ? xasprintf("/proc/%d/task/%d/%s", (int)pid, (int)tid, file)
		   : xasprintf("/proc/%d/%s", (int)pid, file);
}

int qemud_stats_cpu_times(pid_t pid, pid_t tid, unsigned long long *user_ns, unsigned long long *system_ns)
{
	_cleanup_free_ char *path = proc_path(pid, tid, "stat"), *text = NULL;
	unsigned long long utime, stime;
	long tick = sysconf(_SC_CLK_TCK);
	unsigned long long ns = 1000000000ULL / (unsigned long long)(tick > 0 ? tick : 100);
	int r = file_read_all(path, &text, NULL, NULL);
	char *p;

	if (r < 0)
		return r;
	p = strrchr(text, ')'); /* the command name may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
		return -EINVAL;
	*user_ns = utime * ns;
	*system_ns = stime * ns;
	return 0;
}

int qemud_stats_run_delay(pid_t pid, pid_t tid, unsigned long long *ns)
{
	_cleanup_free_ char *path = proc_path(pid, tid, "schedstat"), *text = NULL;
	int r = file_read_all(path, &text, NULL, NULL);

	if (r < 0)
		return r;
	return sscanf(text, "%*u %llu", ns) == 1 ? 0 : -EINVAL;
}

int qemud_stats_rss_kib(pid_t pid, unsigned long long *kib)
{
	_cleanup_free_ char *path = proc_path(pid, 0, "status"), *text = NULL;
	int r = file_read_all(path, &text, NULL, NULL);
	const char *p;

	if (r < 0)
		return r;
	p = strstr(text, "\nVmRSS:");
	return p && sscanf(p + 7, "%llu", kib) == 1 ? 0 : -EINVAL;
}

/* /proc/net/dev, not /sys/class/net: /proc/net is the reader's network namespace (the one
 * netd made the tap in), sysfs that of whoever mounted it. libvirt reads the same file. */
int qemud_stats_if_counters(const char *dev, struct qemud_if_counters *c)
{
	_cleanup_free_ char *text = NULL;
	size_t n = strlen(dev ? dev : "");
	int r;

	if (!n)
		return -EINVAL;
	r = file_read_all("/proc/net/dev", &text, NULL, NULL);
	if (r < 0)
		return r;
	for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char *p = line + strspn(line, " ");
		if (strncmp(p, dev, n) != 0 || p[n] != ':')
			continue;
		if (sscanf(p + n + 1, "%llu %llu %llu %llu %*u %*u %*u %*u %llu %llu %llu %llu", &c->rx_bytes,
			   &c->rx_packets, &c->rx_errs, &c->rx_drop, &c->tx_bytes, &c->tx_packets, &c->tx_errs,
			   &c->tx_drop) != 8)
			return -EINVAL;
		return 0;
	}
	return -ENODEV;
}
