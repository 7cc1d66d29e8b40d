/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-domain: sepvirt-qemud through sepvirt-proxyd.
 *   bench-domain define [-s SOCKET] [-n 1000] [-c CLIENTS]
 *       define + undefine of N small domains, one after the other on each of CLIENTS
 *       connections at once (N in all): pairs/s.
 *   bench-domain bulk [-s SOCKET] [-n 10000] [-c CLIENTS]
 *       N defines, then the N undefines, each phase timed: domains/s.
 *   bench-domain list [-s SOCKET] [-n 1000]
 *       N DOMAIN_LIST calls (all domains) one after the other: p50, p99, max latency.
 *   bench-domain start [-s SOCKET] [-r 5] XML SERIAL
 *       time from the start call to the first byte of SERIAL (the guest's serial file),
 *       against the same for the bare QEMU command line qemud builds for XML (no -S, run
 *       directly): medians of R runs and the difference, qemud's overhead.
 * Run by hand against a running suite (bench/domain/run.sh starts one). */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "atomic-file.h"
#include "client.h"
#include "../../qemud/argv.h"

#define PROC(x) SEPVIRT__PROCEDURE__PROC_##x
#define QEMU_PROG SEPVIRT__PROGRAM__PROGRAM_QEMU

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

static int call_ref(struct rpc_client *c, uint32_t proc, const char *dom, struct sv_error *err)
{
	Sepvirt__DomainRef ref = SEPVIRT__DOMAIN_REF__INIT;
	ref.domain = (char *)dom;
	return rpc_client_call(c, QEMU_PROG, proc, &ref.base, NULL, 0, NULL, NULL, NULL, NULL, err);
}

enum phase { PAIRS, DEFINES, UNDEFINES };
static const char *const phase_names[] = { "define+undefine", "define", "undefine" };

/* Domains first .. first + n - 1: defined and undefined in turn (PAIRS), or only one of the two. */
static int run_phase(struct rpc_client *c, enum phase ph, int first, int n)
{
	struct sv_error err;

	for (int i = first; i < first + n; i++) {
		Sepvirt__DomainDefineRequest req = SEPVIRT__DOMAIN_DEFINE_REQUEST__INIT;
		_cleanup_free_ char *name = xasprintf("bench-%d", i);
		_cleanup_free_ char *xml = xasprintf("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>"
						     "<vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>",
						     name);
		req.xml = xml;
		if ((ph != UNDEFINES && rpc_client_call(c, QEMU_PROG, PROC(DOMAIN_DEFINE), &req.base, NULL, 0, NULL, NULL,
							 NULL, NULL, &err) < 0) ||
		    (ph != DEFINES && call_ref(c, PROC(DOMAIN_UNDEFINE), name, &err) < 0)) {
			fprintf(stderr, "domain %d: %s\n", i, err.message);
			return 1;
		}
	}
	return 0;
}

/* clients processes, each with its own connection, share the n domains of one phase. */
static int bench_phase(const char *sock, struct rpc_client *c, enum phase ph, int n, int clients)
{
	uint64_t t0 = now_ns();
	int per = n / clients, failed = 0;

	if (clients <= 1) {
		failed = run_phase(c, ph, 0, n);
	} else {
		for (int k = 0; k < clients; k++) {
			pid_t pid = fork();
			if (pid == 0) {
				struct rpc_client *own = NULL;
				struct sv_error err;
				if (rpc_client_connect(sock, &own, &err) < 0) {
					fprintf(stderr, "%s\n", err.message);
					_exit(1);
				}
				_exit(run_phase(own, ph, k * per, per));
			}
		}
		for (int k = 0; k < clients; k++) {
			int status;
			if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
				failed = 1;
		}
		n = per * clients;
	}
	if (failed)
		return 1;
	double s = (now_ns() - t0) / 1e9;
	printf("%s, %d client%s: %d domains in %.3f s: %.0f %s/s (%.1f us each)\n", phase_names[ph], clients,
	       clients > 1 ? "s" : "", n, s, n / s, ph == PAIRS ? "pairs" : "domains", s * 1e6 / n);
	return 0;
}

static int bench_list(struct rpc_client *c, int n)
{
	_cleanup_free_ uint64_t *lat = xcalloc(n, sizeof(*lat));
	Sepvirt__DomainListRequest req = SEPVIRT__DOMAIN_LIST_REQUEST__INIT;
	struct sv_error err;

	req.all = true;
	for (int i = 0; i < n; i++) {
		uint64_t t = now_ns();
		if (rpc_client_call(c, QEMU_PROG, PROC(DOMAIN_LIST), &req.base, NULL, 0, NULL, NULL, NULL, NULL, &err) < 0) {
			fprintf(stderr, "list: %s\n", err.message);
			return 1;
		}
		lat[i] = now_ns() - t;
	}
	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("list: %d calls: p50 %.1f us, p99 %.1f us, max %.1f us\n", n, lat[n / 2] / 1e3,
	       lat[(size_t)n * 99 / 100] / 1e3, lat[n - 1] / 1e3);
	return 0;
}

/* Polls until path has at least one byte; returns the time it did, 0 on timeout (60 s). */
static uint64_t wait_first_byte(const char *path)
{
	uint64_t deadline = now_ns() + 60ull * 1000000000ull;
	struct stat st;

	while (now_ns() < deadline) {
		if (stat(path, &st) == 0 && st.st_size > 0)
			return now_ns();
		struct timespec ts = { 0, 100000 };
		nanosleep(&ts, NULL);
	}
	return 0;
}

static int listen_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0)
		return -1;
	return fd;
}

/* The command line qemud builds, run directly: no -S, nobody on the monitor. */
static uint64_t bare_once(const struct domain_def *def, const char *serial)
{
	struct qemud_argv_fds fds = { .qmp_listen = listen_unix("/tmp/bench-domain.monitor") };
	_cleanup_command_ struct command *cmd = NULL, *bare = NULL;
	struct sv_error err;
	uint64_t t0, t1;
	pid_t pid;

	if (def->ninterfaces) {
		fprintf(stderr, "the bare run takes a domain without interfaces\n");
		return 0;
	}
	if (qemud_argv_build(def, def->emulator ? def->emulator : QEMU_SYSTEM_DEFAULT, &fds, &cmd, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return 0;
	}
	char *const *argv = command_argv(cmd);
	size_t nfds;
	const int *cfds = command_fds(cmd, &nfds);
	bare = command_new(argv[0]);
	for (size_t i = 1; argv[i]; i++)
		if (!streq(argv[i], "-S"))
			command_add_arg(bare, argv[i]);
	for (size_t i = 0; i < nfds; i++)
		command_pass_fd(bare, dup(cfds[i]));
	unlink(serial);
	t0 = now_ns();
	pid = fork();
	if (pid == 0) {
		int keep = -1;
		command_exec_child(bare, &keep);
		_exit(127);
	}
	t1 = wait_first_byte(serial);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return t1 ? t1 - t0 : 0;
}

static int bench_start(struct rpc_client *c, int runs, const char *xml_path, const char *serial)
{
	Sepvirt__DomainDefineRequest req = SEPVIRT__DOMAIN_DEFINE_REQUEST__INIT;
	_cleanup_message_ Sepvirt__DomainSummary *sum = NULL;
	_cleanup_free_ char *xml = NULL;
	_cleanup_free_ uint64_t *viad = xcalloc(runs, sizeof(uint64_t)), *bare = xcalloc(runs, sizeof(uint64_t));
	struct domain_def *def = NULL;
	struct sv_error err;
	size_t len;

	if (file_read_all(xml_path, &xml, &len, &err) < 0 || domain_def_parse(xml, len, 0, &def, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	req.xml = xml;
	if (rpc_client_call(c, QEMU_PROG, PROC(DOMAIN_DEFINE), &req.base, NULL, 0, &sepvirt__domain_summary__descriptor,
			    (ProtobufCMessage **)&sum, NULL, NULL, &err) < 0) {
		fprintf(stderr, "define: %s\n", err.message);
		return 1;
	}
	for (int i = 0; i < runs; i++) {
		unlink(serial);
		uint64_t t0 = now_ns();
		if (call_ref(c, PROC(DOMAIN_START), def->name, &err) < 0) {
			fprintf(stderr, "start: %s\n", err.message);
			return 1;
		}
		uint64_t t1 = wait_first_byte(serial);
		call_ref(c, PROC(DOMAIN_DESTROY), def->name, &err);
		viad[i] = t1 ? t1 - t0 : 0;
		bare[i] = bare_once(def, serial);
		printf("run %d: via qemud %.1f ms, bare QEMU %.1f ms\n", i + 1, viad[i] / 1e6, bare[i] / 1e6);
	}
	call_ref(c, PROC(DOMAIN_UNDEFINE), def->name, &err);
	domain_def_free(def);
	qsort(viad, runs, sizeof(uint64_t), cmp_u64);
	qsort(bare, runs, sizeof(uint64_t), cmp_u64);
	printf("start -> first serial byte, median of %d: via qemud %.1f ms, bare QEMU %.1f ms, overhead %.1f ms\n",
	       runs, viad[runs / 2] / 1e6, bare[runs / 2] / 1e6, ((double)viad[runs / 2] - (double)bare[runs / 2]) / 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	_cleanup_rpc_client_ struct rpc_client *c = NULL;
	_cleanup_free_ char *sock = NULL;
	struct sv_error err;
	int n = 1000, runs = 5, clients = 1, opt;
	const char *mode;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-domain define|bulk|list|start [-s SOCKET] [-n N] [-c CLIENTS] [-r RUNS] [XML SERIAL]\n");
		return 2;
	}
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "s:n:r:c:")) != -1) {
		if (opt == 's')
			sock = xstrdup(optarg);
		else if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'c')
			clients = atoi(optarg) > 0 ? atoi(optarg) : 1;
		else if (opt == 'r')
			runs = atoi(optarg) > 0 ? atoi(optarg) : 1;
		else
			return 2;
	}
	if (!sock) {
		const char *root = getenv("SEPVIRT_ROOT");
		sock = root ? xasprintf("%s/run/proxyd.sock", root) : xstrdup("/run/sepvirt/proxyd.sock");
	}
	if (rpc_client_connect(sock, &c, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	if (streq(mode, "define"))
		return bench_phase(sock, c, PAIRS, n, clients);
	/* N defines, then the N undefines, each timed: what undefine costs with N domains defined. */
	if (streq(mode, "bulk"))
		return bench_phase(sock, c, DEFINES, n, clients) || bench_phase(sock, c, UNDEFINES, n, clients);
	if (streq(mode, "list"))
		return bench_list(c, n);
	if (streq(mode, "start") && optind + 2 == argc)
		return bench_start(c, runs, argv[optind], argv[optind + 1]);
	fprintf(stderr, "usage: bench-domain define|bulk|list|start [-s SOCKET] [-n N] [-c CLIENTS] [-r RUNS] [XML SERIAL]\n");
	return 2;
}
