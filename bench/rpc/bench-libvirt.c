/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-libvirt: the reference for bench-rpc. N concurrent clients, each making M read-only
 * calls (virConnectNumOfDomains, or with -l virConnectListAllDomains) over a read-only socket:
 * libvirt's daemon's, or sepvirt-proxyd's libvirt-sock-ro (-u with ?socket=).
 *   bench-libvirt [-u URI] [-m CALLS] [-n 1,4,32] [-l] */
#include <getopt.h>
#include <libvirt/libvirt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int list_all; /* -l */

static int one_call(virConnectPtr c)
{
	virDomainPtr *doms = NULL;
	int n;

	if (!list_all)
		return virConnectNumOfDomains(c);
	n = virConnectListAllDomains(c, &doms, 0);
	for (int i = 0; i < n; i++)
		virDomainFree(doms[i]);
	free(doms);
	return n;
}

static int client(const char *uri, int m, int fd)
{
	virConnectPtr c = virConnectOpenReadOnly(uri);
	uint64_t *lat = calloc(m, sizeof(uint64_t));

	if (!c || !lat)
		return 1;
	for (int i = 0; i < m; i++) {
		uint64_t t0 = now_ns();
		if (one_call(c) < 0)
			return 1;
		lat[i] = now_ns() - t0;
	}
	virConnectClose(c);
	size_t len = m * sizeof(uint64_t);
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, (char *)lat + off, len - off);
		if (n <= 0)
			return 1;
		off += n;
	}
	free(lat);
	return 0;
}

int main(int argc, char **argv)
{
	const char *uri = "qemu:///system";
	char ns[64] = "1,4,32";
	int m = 5000, c;

	while ((c = getopt(argc, argv, "u:m:n:l")) != -1) {
		if (c == 'l')
			list_all = 1;
		else if (c == 'u')
			uri = optarg;
		else if (c == 'm')
			m = atoi(optarg);
		else if (c == 'n')
			snprintf(ns, sizeof(ns), "%s", optarg);
		else
			return 2;
	}
	printf("bench-libvirt: %s through %s (read-only), %d calls per client\n",
	       list_all ? "virConnectListAllDomains" : "virConnectNumOfDomains", uri, m);
	for (char *save = NULL, *tok = strtok_r(ns, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int n = atoi(tok), per = n > 1 ? (m * 2) / n : m, p[2], failed = 0;
		if (per < 500)
			per = 500;
		size_t total = (size_t)n * per, got = 0, want = total * sizeof(uint64_t);
		uint64_t *all = calloc(total, sizeof(uint64_t)), t0 = now_ns();
		if (pipe(p) < 0)
			return 1;
		for (int i = 0; i < n; i++)
			if (fork() == 0) {
				close(p[0]);
				_exit(client(uri, per, p[1]));
			}
		close(p[1]);
		while (got < want) {
			ssize_t r = read(p[0], (char *)all + got, want - got);
			if (r <= 0)
				break;
			got += r;
		}
		for (int i = 0; i < n; i++) {
			int st;
			wait(&st);
			failed |= !WIFEXITED(st) || WEXITSTATUS(st);
		}
		close(p[0]);
		if (failed || got < want) {
			fprintf(stderr, "N=%d: a client failed\n", n);
			return 1;
		}
		double secs = (now_ns() - t0) / 1e9;
		qsort(all, total, sizeof(uint64_t), cmp_u64);
		printf("N=%-3d calls=%-7zu %10.0f calls/s   p50 %7.1f us   p99 %7.1f us\n", n, total, total / secs,
		       all[total / 2] / 1e3, all[(size_t)(total * 0.99)] / 1e3);
		free(all);
	}
	return 0;
}
