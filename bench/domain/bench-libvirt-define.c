/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-libvirt-define: the reference for `bench-domain define`: define + undefine of N small
 * domains, one after the other, through libvirt's daemon (qemu:///system).
 *   bench-libvirt-define [-n COUNT] [-u URI] */
#include <libvirt/libvirt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *uri = "qemu:///system";
	int n = 1000, c;
	char xml[1024];

	while ((c = getopt(argc, argv, "n:u:")) != -1) {
		if (c == 'n')
			n = atoi(optarg);
		else if (c == 'u')
			uri = optarg;
		else
			return 2;
	}
	virConnectPtr conn = virConnectOpen(uri);
	if (!conn)
		return 1;
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		snprintf(xml, sizeof(xml),
			 "<domain type='qemu'><name>svbench%d</name><memory unit='MiB'>64</memory>"
			 "<os><type arch='x86_64'>hvm</type></os></domain>", i);
		virDomainPtr d = virDomainDefineXML(conn, xml);
		if (!d || virDomainUndefine(d) < 0) {
			fprintf(stderr, "define/undefine %d failed\n", i);
			return 1;
		}
		virDomainFree(d);
	}
	double secs = now_s() - t0;
	printf("libvirt %s: %d define+undefine in %.2f s: %.0f pairs/s (%.0f us each)\n", uri, n, secs, n / secs,
	       secs / n * 1e6);
	virConnectClose(conn);
	return 0;
}
