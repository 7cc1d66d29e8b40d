/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small caller of sepvirt-netd for the integration tests and the benchmark: it plays qemud
 * (open, release; holding the tap fds as QEMU would) or a client (list; open through proxyd to
 * prove it is refused). Errors go to stderr unchanged; the exit status is 1 on an RPC error. */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>

#include "client.h"
#include "paths.h"

static const char *sock_path(const char *name)
{
	static char buf[4096];
	struct sv_paths p;
	struct sv_error err;

	if (paths_init(&p, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		exit(99);
	}
	snprintf(buf, sizeof(buf), "%s/%s.sock", p.run_dir, name);
	paths_free(&p);
	return buf;
}

static int call(struct rpc_client *c, uint32_t proc, const ProtobufCMessage *req,
		const ProtobufCMessageDescriptor *rd, ProtobufCMessage **rep, int *fds, size_t *nfds)
{
	struct sv_error err;

	sv_error_clear(&err);
	if (rpc_client_call(c, SEPVIRT__PROGRAM__PROGRAM_NET, proc, req, NULL, 0, rd, rep, fds, nfds, &err) < 0) {
		fprintf(stderr, "error: %s\n", err.message);
		return -1;
	}
	return 0;
}

/* The fd must be a tap fd attached to ifname: TUNGETIFF tells. */
static int check_fd(int fd, const char *ifname, unsigned i)
{
	struct ifreq ifr = { 0 };

	if (ioctl(fd, TUNGETIFF, &ifr) < 0) {
		fprintf(stderr, "fd %u: TUNGETIFF failed: %s\n", i, strerror(errno));
		return -1;
	}
	printf("fd%u=%s flags=0x%x\n", i, ifr.ifr_name, (unsigned)ifr.ifr_flags & 0xffff);
	if (strcmp(ifr.ifr_name, ifname) != 0) {
		fprintf(stderr, "fd %u: TUNGETIFF gives '%s', expected '%s'\n", i, ifr.ifr_name, ifname);
		return -1;
	}
	return 0;
}

static void on_term(int s) { _exit(0); }

static int cmd_open(struct rpc_client *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, 'd' }, { "unmanaged", no_argument, NULL, 'u' },
		{ "mac", required_argument, NULL, 'm' }, { "mtu", required_argument, NULL, 't' },
		{ "vnet-hdr", no_argument, NULL, 'v' }, { "queues", required_argument, NULL, 'q' },
		{ "bridge", required_argument, NULL, 'b' }, { "name", required_argument, NULL, 'n' },
		{ "hold", no_argument, NULL, 'H' }, { 0 },
	};
	Sepvirt__NetOpenTapRequest req = SEPVIRT__NET_OPEN_TAP_REQUEST__INIT;
	_cleanup_message_ ProtobufCMessage *rep = NULL;
	int fds[RPC_MAX_FDS];
	size_t nfds = 0;
	bool hold = false;
	int o, rc = 0;

	req.managed = true;
	req.domain_name = (char *)"test";
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd': req.dev = optarg; break;
		case 'u': req.managed = false; break;
		case 'm': req.mac = optarg; break;
		case 't': req.mtu = (uint32_t)atoi(optarg); break;
		case 'v': req.vnet_hdr = true; break;
		case 'q': req.queues = (uint32_t)atoi(optarg); break;
		case 'b': req.bridge = optarg; break;
		case 'n': req.domain_name = optarg; break;
		case 'H': hold = true; break;
		default: return 99;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: open UUID INDEX [--dev D] [--unmanaged] [--mac M] [--mtu N] [--vnet-hdr] "
				"[--queues N] [--bridge B] [--name N] [--hold]\n");
		return 99;
	}
	req.domain_uuid = argv[optind];
	req.iface_index = (uint32_t)atoi(argv[optind + 1]);
	if (call(c, SEPVIRT__PROCEDURE__PROC_NET_OPEN_TAP, &req.base, &sepvirt__net_open_tap_reply__descriptor,
		 &rep, fds, &nfds) < 0)
		return 1;
	const char *ifname = ((Sepvirt__NetOpenTapReply *)rep)->ifname;
	printf("ifname=%s\nnfds=%zu\n", ifname, nfds);
	for (size_t i = 0; i < nfds; i++)
		if (check_fd(fds[i], ifname, (unsigned)i) < 0)
			rc = 2;
	if (nfds != (req.queues > 1 ? req.queues : 1)) {
		fprintf(stderr, "expected %u fds, got %zu\n", req.queues > 1 ? req.queues : 1, nfds);
		rc = 2;
	}
	fflush(stdout);
	if (hold && rc == 0) {
		/* Hold the fds like QEMU would until told to stop. */
		signal(SIGTERM, on_term);
		printf("holding\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	rpc_close_fds(fds, nfds);
	return rc;
}

static int cmd_list(struct rpc_client *c, int argc, char **argv)
{
	Sepvirt__NetListTapsRequest req = SEPVIRT__NET_LIST_TAPS_REQUEST__INIT;
	_cleanup_message_ ProtobufCMessage *rep = NULL;

	if (argc > 1)
		req.domain_uuid = argv[1];
	if (call(c, SEPVIRT__PROCEDURE__PROC_NET_LIST_TAPS, &req.base, &sepvirt__net_list_taps_reply__descriptor,
		 &rep, NULL, NULL) < 0)
		return 1;
	Sepvirt__NetListTapsReply *r = (Sepvirt__NetListTapsReply *)rep;
	for (size_t i = 0; i < r->n_taps; i++)
		printf("%s %u %s %s %s %s\n", r->taps[i]->domain_uuid, r->taps[i]->iface_index, r->taps[i]->ifname,
		       r->taps[i]->managed ? "managed" : "unmanaged", r->taps[i]->kind, r->taps[i]->domain_name);
	return 0;
}

static int cmd_release(struct rpc_client *c, int argc, char **argv)
{
	Sepvirt__NetReleaseTapsRequest req = SEPVIRT__NET_RELEASE_TAPS_REQUEST__INIT;
	_cleanup_message_ ProtobufCMessage *rep = NULL;

	if (argc < 2)
		return 99;
	req.domain_uuid = argv[1];
	if (argc > 2)
		req.ifname = argv[2];
	if (call(c, SEPVIRT__PROCEDURE__PROC_NET_RELEASE_TAPS, &req.base,
		 &sepvirt__net_release_taps_reply__descriptor, &rep, NULL, NULL) < 0)
		return 1;
	printf("released=%u\n", ((Sepvirt__NetReleaseTapsReply *)rep)->released);
	return 0;
}

static int cmd_ping(struct rpc_client *c, uint32_t program)
{
	Sepvirt__PingRequest req = SEPVIRT__PING_REQUEST__INIT;
	_cleanup_message_ ProtobufCMessage *rep = NULL;
	struct sv_error err;

	if (rpc_client_call(c, program, SEPVIRT__PROCEDURE__PROC_PING, &req.base, NULL, 0,
			    &sepvirt__ping_reply__descriptor, &rep, NULL, NULL, &err) < 0) {
		fprintf(stderr, "error: %s\n", err.message);
		return 1;
	}
	Sepvirt__PingReply *r = (Sepvirt__PingReply *)rep;
	printf("%s %d %s %u\n", r->daemon, r->pid, r->cap_eff, r->seccomp);
	return 0;
}

/* bench N: create and release N managed taps, one domain each, holding each tap's fd like a
 * running QEMU until all are released; prints microseconds per tap as the caller sees them.
 * (Closing the last fd of a tap that still exists unregisters it synchronously, ~20 ms in the
 * kernel: in real life that is paid by QEMU's exit; here after netd released the taps.) */
static int cmd_bench(struct rpc_client *c, int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	_cleanup_free_ int *held = xcalloc((size_t)n, sizeof(int));
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	struct timespec t0, t1, a, b;
	double open_us = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		Sepvirt__NetOpenTapRequest req = SEPVIRT__NET_OPEN_TAP_REQUEST__INIT;
		Sepvirt__NetReleaseTapsRequest rel = SEPVIRT__NET_RELEASE_TAPS_REQUEST__INIT;
		_cleanup_message_ ProtobufCMessage *rep = NULL, *rep2 = NULL;
		char uuid[37], mac[18];
		int fds[RPC_MAX_FDS];
		size_t nfds = 0;

		snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-%012d", i);
		snprintf(mac, sizeof(mac), "52:54:00:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
		req.domain_uuid = uuid;
		req.managed = true;
		req.mac = mac;
		req.domain_name = (char *)"bench";
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (call(c, SEPVIRT__PROCEDURE__PROC_NET_OPEN_TAP, &req.base, &sepvirt__net_open_tap_reply__descriptor,
			 &rep, fds, &nfds) < 0)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &b);
		open_us += (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
		rel.domain_uuid = uuid;
		if (call(c, SEPVIRT__PROCEDURE__PROC_NET_RELEASE_TAPS, &rel.base,
			 &sepvirt__net_release_taps_reply__descriptor, &rep2, NULL, NULL) < 0)
			return 1;
		held[i] = fds[0];
		rpc_close_fds(fds + 1, nfds - 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rpc_close_fds(held, (size_t)n);
	double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / n;
	printf("netd: %d taps, %.1f us per tap (create+configure+release), of which open %.1f us\n", n, us,
	       open_us / n);
	return 0;
}

int main(int argc, char **argv)
{
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	const char *sock = "netd";
	uint32_t program = SEPVIRT__PROGRAM__PROGRAM_NET;
	struct sv_error err;

	if (argc > 2 && streq(argv[1], "--proxy")) {
		sock = "proxyd";
		argv++, argc--;
	} else if (argc > 2 && streq(argv[1], "--sock")) {
		sock = argv[2];
		argv += 2, argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: netd-client [--proxy | --sock NAME] open|list|release|ping|bench ...\n");
		return 99;
	}
	if (rpc_client_connect(sock_path(sock), &c, &err) < 0) {
		fprintf(stderr, "error: %s\n", err.message);
		return 1;
	}
	if (streq(argv[1], "open"))
		return cmd_open(c, argc - 1, argv + 1);
	if (streq(argv[1], "list"))
		return cmd_list(c, argc - 1, argv + 1);
	if (streq(argv[1], "release"))
		return cmd_release(c, argc - 1, argv + 1);
	if (streq(argv[1], "ping")) {
		/* ping [PROGRAM-NUMBER]: to the socket's own daemon by default */
		if (argc > 2)
			program = (uint32_t)atoi(argv[2]);
		return cmd_ping(c, program);
	}
	if (streq(argv[1], "bench"))
		return cmd_bench(c, argc - 1, argv + 1);
	fprintf(stderr, "unknown command '%s'\n", argv[1]);
	return 99;
}
