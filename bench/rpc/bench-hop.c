/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-hop: the floor under bench-rpc on this machine: two processes bouncing 32 bytes over a
 * socketpair, no framing, no protobuf, no event loop. Run twice: as the scheduler places the two
 * processes (each wakes the other on the other, idle CPU), then both pinned to CPU 0 (a wake-up
 * is a plain context switch). The gap is the price of waking an idle CPU, which a blocking
 * client pays on every reply (see bench/README.md). */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int hop(const char *what, int pin)
{
	int sv[2], n = 50000;
	char b[64] = { 0 };
	struct timespec a, c;
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		if (pin)
			sched_setaffinity(0, sizeof(one), &one);
		while (read(sv[1], b, sizeof(b)) > 0)
			if (write(sv[1], b, 32) != 32)
				break;
		_exit(0);
	}
	close(sv[1]);
	cpu_set_t saved;
	sched_getaffinity(0, sizeof(saved), &saved);
	if (pin)
		sched_setaffinity(0, sizeof(one), &one);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++)
		if (write(sv[0], b, 32) != 32 || read(sv[0], b, sizeof(b)) <= 0)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &c);
	sched_setaffinity(0, sizeof(saved), &saved);
	close(sv[0]);
	waitpid(pid, NULL, 0);
	double s = (c.tv_sec - a.tv_sec) + (c.tv_nsec - a.tv_nsec) / 1e9;
	printf("bare socketpair hop, %s: %.0f round trips/s, %.1f us each\n", what, n / s, s / n * 1e6);
	return 0;
}

int main(void)
{
	return hop("processes where the scheduler puts them", 0) | hop("both on CPU 0", 1);
}
