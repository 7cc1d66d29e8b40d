/* bench-hop: the floor under bench-rpc on this machine: two processes bouncing 32 bytes over a
 * socketpair, no framing, no protobuf, no event loop. One bench-rpc call makes two such hops
 * (client -> proxyd -> driver and back), so it cannot beat half of this figure by much. */
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	int sv[2], n = 50000;
	char b[64] = { 0 };
	struct timespec a, c;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	if (fork() == 0) {
		close(sv[0]);
		while (read(sv[1], b, sizeof(b)) > 0)
			if (write(sv[1], b, 32) != 32)
				break;
		_exit(0);
	}
	close(sv[1]);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++)
		if (write(sv[0], b, 32) != 32 || read(sv[0], b, sizeof(b)) <= 0)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &c);
	double s = (c.tv_sec - a.tv_sec) + (c.tv_nsec - a.tv_nsec) / 1e9;
	printf("bare socketpair hop: %.0f round trips/s, %.1f us each\n", n / s, s / n * 1e6);
	return 0;
}
