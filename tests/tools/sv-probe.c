/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sv-probe: speaks the wire protocol directly, for tests that need what sepvirsh never sends:
 * bad frames, forged identities, driver-only procedures, many calls in flight.
 *   sv-probe ping SOCKET PROGRAM              one PING, prints "daemon uid=U ro=R"
 *   sv-probe call SOCKET PROGRAM PROC          empty-bodied call; prints the error, exit 1 on error
 *   sv-probe forge SOCKET PROGRAM UID          PING with a forged caller uid; prints the uid seen
 *   sv-probe garbage|oversize|zero|truncated SOCKET    send a bad frame, print what comes back
 *   sv-probe pipeline SOCKET PROGRAM N          N pings written at once, replies matched by serial
 *   sv-probe send-fd SOCKET                     a frame that announces 2 fds but carries 1
 *   sv-probe hold SOCKET N [SECONDS]            N idle connections, then "open=K refused=M" and the
 *                                               first refusal; held SECONDS (default: until killed)
 *   sv-probe announce SOCKET N [SECONDS]        the same, each sending a header that announces the
 *                                               largest frame and nothing more
 *   sv-probe slow-reader SOCKET                 PING calls without end, never reading a reply: prints
 *                                               "dropped after N calls" once the connection is closed
 *   sv-probe starts SOCKET NAME...              DOMAIN_START of each (qemu program), all written at
 *                                               once on connections of their own, while another lists
 *                                               the domains every 5 ms: prints "ms=T peak=P", P the
 *                                               most of them seen starting (paused) at the same time
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "client.h"
#include "frame.h"

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror(path);
		exit(2);
	}
	return fd;
}

/* Reads frames until EOF or 2 s of silence; prints each error message and "closed" on EOF. */
static int drain(int fd)
{
	uint8_t buf[65536];
	size_t len = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 2000) <= 0) {
			printf("open\n");
			return 0;
		}
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);
		if (n <= 0) {
			printf("closed\n");
			return 0;
		}
		len += n;
		while (len >= 4) {
			uint32_t l = rpc_frame_read_len(buf);
			if (len < 4 + l)
				break;
			rpc_envelope *e = NULL;
			struct sv_error err;
			if (rpc_frame_unpack(buf + 4, l, &e, &err) == 0) {
				if (e->error)
					printf("error: %s\n", e->error->message);
				else
					printf("reply serial %llu\n", (unsigned long long)e->serial);
				rpc_envelope_free(e);
			}
			memmove(buf, buf + 4 + l, len - 4 - l);
			len -= 4 + l;
		}
	}
}

static int send_raw(int fd, const void *b, size_t n)
{
	return rpc_send_all(fd, b, n, NULL, 0);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* One connection, retried while the listener's backlog is full (for up to 10 s). */
static int connect_patiently(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	long long deadline = now_ms() + 10000;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0) {
			perror("socket");
			exit(2);
		}
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		int e = errno;
		close(fd);
		if (e != EAGAIN || now_ms() > deadline) {
			fprintf(stderr, "connect %s: %s\n", path, strerror(e));
			exit(2);
		}
		usleep(1000);
	}
}

/* The error message of the first frame in buf, if it is an error. */
static bool frame_error(const uint8_t *buf, size_t len, char *msg, size_t msglen)
{
	rpc_envelope *e = NULL;
	struct sv_error err;
	bool ok = false;

	if (len < 4 || len < 4 + rpc_frame_read_len(buf) || rpc_frame_unpack(buf + 4, rpc_frame_read_len(buf), &e, &err) < 0)
		return false;
	if (e->error && e->error->message) {
		snprintf(msg, msglen, "%s", e->error->message);
		ok = true;
	}
	rpc_envelope_free(e);
	return ok;
}

/* hold / announce: n connections kept open; the refused ones (an error frame or EOF) counted. */
static int hold(const char *path, int n, int seconds, bool announce)
{
	_cleanup_free_ int *fds = xcalloc(n, sizeof(int));
	_cleanup_free_ bool *gone = xcalloc(n, sizeof(bool));
	char first[SV_ERROR_MSG_MAX] = "";
	struct rlimit rl;
	int refused = 0;

	/* more sockets than the usual 1,024 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (int i = 0; i < n; i++) {
		fds[i] = connect_patiently(path);
		if (announce) {
			uint8_t hdr[4] = { RPC_FRAME_MAX >> 24, (RPC_FRAME_MAX >> 16) & 0xff, (RPC_FRAME_MAX >> 8) & 0xff,
					   RPC_FRAME_MAX & 0xff };
			if (send(fds[i], hdr, sizeof(hdr), MSG_NOSIGNAL) != sizeof(hdr))
				gone[i] = true;
		}
	}
	/* Refusals come at once; give the server a moment to get through its backlog. */
	for (int round = 0; round < 20; round++) {
		usleep(100000);
		for (int i = 0; i < n; i++) {
			uint8_t buf[4096];
			ssize_t got;
			if (gone[i])
				continue;
			got = recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT);
			if (got < 0 && errno == EAGAIN)
				continue;
			if (got > 0 && !first[0])
				frame_error(buf, (size_t)got, first, sizeof(first));
			gone[i] = true;
			refused++;
			close(fds[i]);
		}
	}
	printf("open=%d refused=%d\n", n - refused, refused);
	if (first[0])
		printf("error: %s\n", first);
	printf("held\n");
	fflush(stdout);
	if (seconds > 0)
		sleep(seconds);
	else
		for (;;)
			pause();
	return 0;
}

/* PING calls to proxyd without end, replies never read: proxyd must drop the connection. */
static int slow_reader(const char *path)
{
	int fd = connect_patiently(path), small = 4096;
	rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
	_cleanup_free_ uint8_t *frame = NULL;
	long long deadline = now_ms() + 60000;
	unsigned long long calls = 0;
	struct sv_error err;
	size_t len, off = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	env.program = SEPVIRT__PROGRAM__PROGRAM_PROXY;
	env.procedure = SEPVIRT__PROCEDURE__PROC_PING;
	env.serial = 1;
	if (rpc_frame_pack(&env, &frame, &len, &err) < 0)
		return 2;
	while (now_ms() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		ssize_t n;
		if (poll(&p, 1, 1000) < 0)
			return 2;
		if (p.revents & (POLLERR | POLLHUP))
			break;
		if (!(p.revents & POLLOUT))
			continue;
		n = send(fd, frame + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n < 0)
			break; /* EPIPE, ECONNRESET: dropped */
		off += (size_t)n;
		if (off == len) {
			off = 0;
			calls++;
		}
	}
	if (now_ms() >= deadline) {
		printf("not dropped after %llu calls\n", calls);
		return 1;
	}
	printf("dropped after %llu calls\n", calls);
	return 0;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int starts(const char *path, int n, char **names)
{
	const uint32_t prog = SEPVIRT__PROGRAM__PROGRAM_QEMU;
	struct rpc_client **c = xcalloc((size_t)n + 1, sizeof(*c)), *lister = NULL;
	uint64_t *serial = xcalloc((size_t)n + 1, sizeof(*serial));
	bool *done = xcalloc((size_t)n + 1, sizeof(*done));
	Sepvirt__DomainListRequest lreq = SEPVIRT__DOMAIN_LIST_REQUEST__INIT;
	struct sv_error err;
	int left = n, peak = 0, failed = 0;
	int64_t t0;

	lreq.all = true;
	if (rpc_client_connect(path, &lister, &err) < 0)
		goto fail;
	for (int i = 0; i < n; i++)
		if (rpc_client_connect(path, &c[i], &err) < 0)
			goto fail;
	t0 = mono_ms();
	for (int i = 0; i < n; i++) {
		Sepvirt__DomainRef ref = SEPVIRT__DOMAIN_REF__INIT;
		ref.domain = names[i];
		if (rpc_client_send(c[i], prog, SEPVIRT__PROCEDURE__PROC_DOMAIN_START, &ref.base, NULL, 0, &serial[i],
				    &err) < 0)
			goto fail;
	}
	while (left > 0) {
		_cleanup_message_ Sepvirt__DomainListReply *rep = NULL;
		int starting = 0;
		if (rpc_client_call(lister, prog, SEPVIRT__PROCEDURE__PROC_DOMAIN_LIST, &lreq.base, NULL, 0,
				    &sepvirt__domain_list_reply__descriptor, (ProtobufCMessage **)&rep, NULL, NULL,
				    &err) < 0)
			goto fail;
		for (size_t k = 0; k < rep->n_domains; k++)
			for (int i = 0; i < n; i++)
				starting += streq(rep->domains[k]->name, names[i]) && rep->domains[k]->state == 3;
		if (starting > peak)
			peak = starting;
		for (int i = 0; i < n; i++) {
			struct pollfd p = { .fd = rpc_client_fd(c[i]), .events = POLLIN };
			if (done[i] || poll(&p, 1, 0) <= 0)
				continue;
			done[i] = true;
			left--;
			if (rpc_client_recv(c[i], serial[i], NULL, NULL, NULL, NULL, &err) < 0) {
				fprintf(stderr, "start %s: %s\n", names[i], err.message);
				failed = 1;
			}
		}
		usleep(5000);
	}
	printf("ms=%lld peak=%d\n", (long long)(mono_ms() - t0), peak);
	goto out;
fail:
	fprintf(stderr, "error: %s\n", err.message);
	failed = 1;
out:
	for (int i = 0; i < n; i++)
		rpc_client_free(c[i]);
	rpc_client_free(lister);
	free(c);
	free(serial);
	free(done);
	return failed;
}

int main(int argc, char **argv)
{
	struct sv_error err;

	if (argc < 3) {
		fprintf(stderr, "usage: see the comment at the top of sv-probe.c\n");
		return 2;
	}
	const char *mode = argv[1], *path = argv[2];

	if (streq(mode, "starts"))
		return starts(path, argc - 3, argv + 3);

	if (streq(mode, "ping") || streq(mode, "call") || streq(mode, "forge")) {
		_cleanup_rpc_client_ struct rpc_client *c = NULL;
		uint32_t program = argc > 3 ? (uint32_t)atoi(argv[3]) : 1;
		if (rpc_client_connect(path, &c, &err) < 0) {
			fprintf(stderr, "error: %s\n", err.message);
			return 1;
		}
		if (streq(mode, "call")) {
			uint32_t proc = argc > 4 ? (uint32_t)atoi(argv[4]) : 1;
			if (rpc_client_call(c, program, proc, NULL, NULL, 0, NULL, NULL, NULL, NULL, &err) < 0) {
				printf("error: %s\n", err.message);
				return 1;
			}
			printf("ok\n");
			return 0;
		}
		if (streq(mode, "forge")) {
			/* Hand-built envelope claiming another caller. */
			int fd = rpc_client_fd(c);
			rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
			Sepvirt__Identity forged = SEPVIRT__IDENTITY__INIT;
			_cleanup_free_ uint8_t *buf = NULL;
			size_t len;
			forged.uid = argc > 4 ? (uint32_t)atoi(argv[4]) : 0;
			env.program = program;
			env.procedure = SEPVIRT__PROCEDURE__PROC_PING;
			env.serial = 7;
			env.caller = &forged;
			rpc_frame_pack(&env, &buf, &len, &err);
			send_raw(fd, buf, len);
			uint8_t in[65536];
			size_t got = 0;
			while (got < 4 || got < 4 + rpc_frame_read_len(in)) {
				ssize_t n = read(fd, in + got, sizeof(in) - got);
				if (n <= 0)
					return 1;
				got += n;
			}
			rpc_envelope *e = NULL;
			if (rpc_frame_unpack(in + 4, rpc_frame_read_len(in), &e, &err) < 0 || !e->body.len)
				return 1;
			Sepvirt__PingReply *p = sepvirt__ping_reply__unpack(NULL, e->body.len, e->body.data);
			if (!p || !p->caller)
				return 1;
			printf("seen uid=%u\n", p->caller->uid);
			sepvirt__ping_reply__free_unpacked(p, NULL);
			rpc_envelope_free(e);
			return 0;
		}
		Sepvirt__PingReply *rep = NULL;
		if (rpc_client_call(c, program, SEPVIRT__PROCEDURE__PROC_PING, NULL, NULL, 0,
				    &sepvirt__ping_reply__descriptor, (ProtobufCMessage **)&rep, NULL, NULL, &err) < 0) {
			printf("error: %s\n", err.message);
			return 1;
		}
		printf("%s uid=%u ro=%d\n", rep->daemon, rep->caller ? rep->caller->uid : 9999,
		       rep->caller ? rep->caller->read_only : -1);
		sepvirt__ping_reply__free_unpacked(rep, NULL);
		return 0;
	}
	if (streq(mode, "hold") || streq(mode, "announce"))
		return hold(path, argc > 3 ? atoi(argv[3]) : 1, argc > 4 ? atoi(argv[4]) : 0, streq(mode, "announce"));
	if (streq(mode, "slow-reader"))
		return slow_reader(path);
	if (streq(mode, "pipeline")) {
		int fd = connect_to(path);
		uint32_t program = (uint32_t)atoi(argv[3]);
		int n = atoi(argv[4]);
		size_t total = 0, cap = 0;
		_cleanup_free_ uint8_t *all = NULL;
		for (int i = 1; i <= n; i++) {
			rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
			_cleanup_free_ uint8_t *b = NULL;
			size_t len;
			env.program = program;
			env.procedure = SEPVIRT__PROCEDURE__PROC_PING;
			env.serial = 1000 + i;
			rpc_frame_pack(&env, &b, &len, &err);
			if (total + len > cap) {
				cap = (total + len) * 2;
				all = xrealloc(all, cap);
			}
			memcpy(all + total, b, len);
			total += len;
		}
		send_raw(fd, all, total); /* every call is in flight before the first reply is read */
		_cleanup_free_ bool *seen = xcalloc(n + 1, sizeof(bool));
		uint8_t *in = xmalloc(1 << 20);
		size_t got = 0;
		int replies = 0;
		while (replies < n) {
			ssize_t r = read(fd, in + got, (1 << 20) - got);
			if (r <= 0)
				break;
			got += r;
			while (got >= 4 && got >= 4 + rpc_frame_read_len(in)) {
				uint32_t l = rpc_frame_read_len(in);
				rpc_envelope *e = NULL;
				if (rpc_frame_unpack(in + 4, l, &e, &err) == 0) {
					long idx = (long)e->serial - 1000;
					if (idx >= 1 && idx <= n && !seen[idx] && e->status == SEPVIRT__STATUS__STATUS_OK) {
						seen[idx] = true;
						replies++;
					}
					rpc_envelope_free(e);
				}
				memmove(in, in + 4 + l, got - 4 - l);
				got -= 4 + l;
			}
		}
		free(in);
		printf("%d of %d replies matched\n", replies, n);
		return replies == n ? 0 : 1;
	}
	int fd = connect_to(path);
	if (streq(mode, "garbage")) {
		uint8_t b[4 + 16] = { 0, 0, 0, 16 };
		memset(b + 4, 0xff, 16); /* not a protobuf message */
		send_raw(fd, b, sizeof(b));
	} else if (streq(mode, "oversize")) {
		uint8_t b[4] = { 0x7f, 0xff, 0xff, 0xff };
		send_raw(fd, b, sizeof(b));
	} else if (streq(mode, "zero")) {
		uint8_t b[4] = { 0, 0, 0, 0 };
		send_raw(fd, b, sizeof(b));
	} else if (streq(mode, "truncated")) {
		uint8_t b[4 + 3] = { 0, 0, 1, 0, 1, 2, 3 }; /* announces 256 bytes, sends 3, hangs up */
		send_raw(fd, b, sizeof(b));
		shutdown(fd, SHUT_WR);
	} else if (streq(mode, "send-fd")) {
		rpc_envelope env = SEPVIRT__ENVELOPE__INIT;
		_cleanup_free_ uint8_t *b = NULL;
		size_t len;
		int one = STDIN_FILENO;
		env.program = 1;
		env.procedure = SEPVIRT__PROCEDURE__PROC_PING;
		env.serial = 1;
		env.nfds = 2;
		rpc_frame_pack(&env, &b, &len, &err);
		rpc_send_all(fd, b, len, &one, 1);
	} else {
		fprintf(stderr, "unknown mode '%s'\n", mode);
		return 2;
	}
	return drain(fd);
}
