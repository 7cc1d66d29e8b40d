/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-rpc: N concurrent clients, each making M read-only calls (PING to sepvirt-qemud)
 * through sepvirt-proxyd. Prints calls/s and p50/p99 latency for each N.
 *   bench-rpc [-s SOCKET] [-m CALLS] [-n 1,4,32] [-p PROGRAM]
 * Run by hand against a running suite (bench/rpc/run.sh starts one). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>

#include "client.h"

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

/* One client: M calls; writes its latencies (ns) to fd. */
static int client(const char *sock, uint32_t program, int m, int fd)
{
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	uint64_t *lat = xcalloc(m, sizeof(uint64_t));
	struct sv_error err;

	if (rpc_client_connect(sock, &c, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	rpc_client_set_spin(c, rpc_client_default_spin_us()); /* as libsepvirt's connections do */
	for (int i = 0; i < m; i++) {
		uint64_t t0 = now_ns();
		if (rpc_client_call(c, program, SEPVIRT__PROCEDURE__PROC_PING, NULL, NULL, 0, NULL, NULL, NULL, NULL,
				    &err) < 0) {
			fprintf(stderr, "call %d: %s\n", i, err.message);
			return 1;
		}
		lat[i] = now_ns() - t0;
	}
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

static int run(const char *sock, uint32_t program, int nclients, int m)
{
	uint64_t *all = xcalloc((size_t)nclients * m, sizeof(uint64_t));
	int p[2];
	pid_t *pids = xcalloc(nclients, sizeof(pid_t));
	uint64_t t0, t1;
	size_t got = 0, want = (size_t)nclients * m * sizeof(uint64_t);
	int failed = 0;

	if (pipe(p) < 0)
		return 1;
	t0 = now_ns();
	for (int i = 0; i < nclients; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(p[0]);
			_exit(client(sock, program, m, p[1]));
		}
	}
	close(p[1]);
	while (got < want) {
		ssize_t n = read(p[0], (char *)all + got, want - got);
		if (n <= 0)
			break;
		got += n;
	}
	for (int i = 0; i < nclients; i++) {
		int st;
		waitpid(pids[i], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			failed = 1;
	}
	t1 = now_ns();
	close(p[0]);
	if (failed || got < want) {
		fprintf(stderr, "N=%d: a client failed\n", nclients);
		return 1;
	}
	size_t total = (size_t)nclients * m;
	qsort(all, total, sizeof(uint64_t), cmp_u64);
	printf("N=%-3d calls=%-7zu %10.0f calls/s   p50 %7.1f us   p99 %7.1f us\n", nclients, total,
	       total / ((t1 - t0) / 1e9), all[total / 2] / 1e3, all[(size_t)(total * 0.99)] / 1e3);
	free(all);
	free(pids);
	return 0;
}

int main(int argc, char **argv)
{
	const char *sock = NULL, *ns = "1,4,32";
	uint32_t program = SEPVIRT__PROGRAM__PROGRAM_QEMU;
	int m = 20000, c, r = 0;
	char *root = getenv("SEPVIRT_ROOT");
	_cleanup_free_ char *def = root ? xasprintf("%s/run/proxyd-ro.sock", root) : xstrdup("/run/sepvirt/proxyd-ro.sock");

	while ((c = getopt(argc, argv, "s:m:n:p:")) != -1) {
		switch (c) {
		case 's': sock = optarg; break;
		case 'm': m = atoi(optarg); break;
		case 'n': ns = optarg; break;
		case 'p': program = (uint32_t)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: bench-rpc [-s SOCKET] [-m CALLS] [-n 1,4,32] [-p PROGRAM]\n");
			return 2;
		}
	}
	if (!sock)
		sock = def;
	printf("bench-rpc: PING through %s to program %u, %d calls per client, clients poll %d us "
	       "before sleeping (SEPVIRT_CLIENT_SPIN_US)\n", sock, program, m, rpc_client_default_spin_us());
	_cleanup_free_ char *list = xstrdup(ns);
	for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int n = atoi(tok);
		/* keep the total roughly constant so N=32 does not take 32 times longer */
		int per = n > 1 ? (m * 2) / n : m;
		if (per < 1000)
			per = 1000;
		r |= run(sock, program, n, per);
	}
	return r;
}
