/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-container: start and destroy of one busybox container, N cycles, through the public
 * API (client -> proxyd -> lxcd -> spawner). "start" is the time of the start call, which
 * returns once the container's init has exec'd; "destroy" returns once init (and with it the
 * whole pid namespace) is gone and the cgroup removed. Prints p50/p90/max of each.
 * Usage: bench-container NAME [N]   (NAME already defined on lxc:///system) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sepvirt/sepvirt.h"

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	printf("%-8s p50 %6.2f ms  p90 %6.2f ms  max %6.2f ms  (n=%d)\n", what, v[n / 2] / 1e6,
	       v[n * 9 / 10] / 1e6, v[n - 1] / 1e6, n);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	int n = argc > 2 ? atoi(argv[2]) : 100;
	uint64_t *start, *destroy;
	sepvirt_conn *conn;

	if (!name || n <= 0) {
		fprintf(stderr, "usage: bench-container NAME [CYCLES]\n");
		return 2;
	}
	conn = sepvirt_connect("lxc:///system", 0);
	if (!conn) {
		fprintf(stderr, "connect: %s\n", sepvirt_last_error()->message);
		return 1;
	}
	start = calloc((size_t)n, sizeof(*start));
	destroy = calloc((size_t)n, sizeof(*destroy));
	for (int i = 0; i < n; i++) {
		uint64_t t0 = now_ns(), t1, t2;
		if (sepvirt_domain_start(conn, name) < 0) {
			fprintf(stderr, "start %d: %s\n", i, sepvirt_last_error()->message);
			return 1;
		}
		t1 = now_ns();
		if (sepvirt_domain_destroy(conn, name) < 0) {
			fprintf(stderr, "destroy %d: %s\n", i, sepvirt_last_error()->message);
			return 1;
		}
		t2 = now_ns();
		start[i] = t1 - t0;
		destroy[i] = t2 - t1;
	}
	report("start", start, n);
	report("destroy", destroy, n);
	sepvirt_close(conn);
	free(start);
	free(destroy);
	return 0;
}
