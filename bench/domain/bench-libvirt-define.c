/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-libvirt-define: the reference for `bench-domain define`: define + undefine of N small
 * domains, one after the other on each of CLIENTS connections at once (each its own process),
 * through libvirt's daemon (qemu:///system); with -b, the COUNT defines, then the COUNT
 * undefines, each phase timed (bench-domain bulk).
 *   bench-libvirt-define [-n COUNT] [-c CLIENTS] [-b] [-u URI] */
#include <libvirt/libvirt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

enum phase { PAIRS, DEFINES, UNDEFINES };
static const char *const phase_names[] = { "define+undefine", "define", "undefine" };

/* Domains first .. first + n - 1 on a connection of its own: defined and undefined in turn
 * (PAIRS), or only one of the two. */
static int run_phase(const char *uri, enum phase ph, int first, int n)
{
	virConnectPtr conn = virConnectOpen(uri);
	char xml[1024], name[64];

	if (!conn)
		return 1;
	for (int i = first; i < first + n; i++) {
		virDomainPtr d;

		snprintf(name, sizeof(name), "svbench%d", i);
		snprintf(xml, sizeof(xml),
			 "<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>"
			 "<os><type arch='x86_64'>hvm</type></os></domain>", name);
		d = ph == UNDEFINES ? virDomainLookupByName(conn, name) : virDomainDefineXML(conn, xml);
		if (!d || (ph != DEFINES && virDomainUndefine(d) < 0)) {
			fprintf(stderr, "%s %d failed\n", phase_names[ph], i);
			return 1;
		}
		virDomainFree(d);
	}
	virConnectClose(conn);
	return 0;
}

/* clients processes share the n domains of one phase. */
static int bench_phase(const char *uri, enum phase ph, int n, int clients)
{
	int per = n / clients, failed = 0;
	double t0 = now_s(), secs;

	for (int k = 0; k < clients; k++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(run_phase(uri, ph, k * per, per));
	}
	for (int k = 0; k < clients; k++) {
		int status;
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
	}
	if (failed)
		return 1;
	n = per * clients;
	secs = now_s() - t0;
	printf("libvirt %s: %s, %d client%s: %d domains in %.2f s: %.0f %s/s (%.0f us each)\n", uri, phase_names[ph],
	       clients, clients > 1 ? "s" : "", n, secs, n / secs, ph == PAIRS ? "pairs" : "domains", secs / n * 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	const char *uri = "qemu:///system";
	int n = 1000, clients = 1, c;
	int bulk = 0;

	while ((c = getopt(argc, argv, "n:u:c:b")) != -1) {
		if (c == 'n')
			n = atoi(optarg);
		else if (c == 'u')
			uri = optarg;
		else if (c == 'c')
			clients = atoi(optarg) > 0 ? atoi(optarg) : 1;
		else if (c == 'b')
			bulk = 1;
		else
			return 2;
	}
	if (!bulk)
		return bench_phase(uri, PAIRS, n, clients);
	return bench_phase(uri, DEFINES, n, clients) || bench_phase(uri, UNDEFINES, n, clients);
}
