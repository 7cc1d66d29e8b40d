/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The privilege tables themselves, and forked children proving that a denied syscall really
 * fails (EPERM) or kills (SIGSYS). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test-skip.h"
#include <fcntl.h>
#include <linux/capability.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "sandbox.h"

extern const struct sandbox_policy proxyd_sandbox_policy, qemud_sandbox_policy, lxcd_sandbox_policy,
	netd_sandbox_policy, storaged_sandbox_policy, qemud_spawner_policy, lxcd_console_policy, netd_spawner_policy;
extern const struct sandbox_syscall lxcd_container_denied[];
extern const size_t lxcd_container_ndenied;
extern int lxcd_sandbox_restrict_writes(int config_dirfd, int state_dirfd, const int *cgroup_fds,
					char *const *cgroup_paths, size_t ncgroups, struct sv_error *err);
extern int netd_sandbox_restrict_writes(int state_dirfd, int net_dirfd, int tun_fd, struct sv_error *err);
extern void netd_sandbox_bind_fds(int tun_dirfd, int state_dirfd, int net_dirfd);

/* A skipped test makes the whole binary report SKIP (77) unless another one failed (test-skip.h). */
#define skip_because(...) test_skip(__VA_ARGS__)

static const struct sandbox_policy *const policies[] = {
	&proxyd_sandbox_policy, &qemud_sandbox_policy, &lxcd_sandbox_policy,
	&netd_sandbox_policy, &storaged_sandbox_policy, &lxcd_console_policy,
};

static bool same_rule(const struct sandbox_syscall *a, const struct sandbox_syscall *b)
{
	return streq(a->name, b->name) && a->nargs == b->nargs &&
	       memcmp(a->args, b->args, sizeof(a->args[0]) * a->nargs) == 0;
}

/* Every entry of a policy, groups first, then its own. */
static size_t collect(const struct sandbox_policy *p, const struct sandbox_syscall **out, size_t max)
{
	size_t n = 0;
	for (size_t g = 0; p->groups && p->groups[g]; g++)
		for (size_t i = 0; i < p->groups[g]->ncalls && n < max; i++)
			out[n++] = &p->groups[g]->calls[i];
	for (size_t i = 0; i < p->nsyscalls && n < max; i++)
		out[n++] = &p->syscalls[i];
	return n;
}

static void test_every_entry_has_a_reason_and_resolves(void **state)
{
	for (size_t k = 0; k < ARRAY_SIZE(policies); k++) {
		const struct sandbox_syscall *all[512];
		size_t n = collect(policies[k], all, ARRAY_SIZE(all));
		for (size_t i = 0; i < n; i++) {
			if (!all[i]->reason || strlen(all[i]->reason) < 8)
				fail_msg("%s: '%s' has no reason", policies[k]->daemon, all[i]->name);
			if (seccomp_syscall_resolve_name(all[i]->name) == __NR_SCMP_ERROR)
				fail_msg("%s: unknown syscall '%s'", policies[k]->daemon, all[i]->name);
		}
		for (size_t i = 0; i < policies[k]->ncaps; i++)
			if (!policies[k]->caps[i].reason || strlen(policies[k]->caps[i].reason) < 8)
				fail_msg("%s: capability %d has no reason", policies[k]->daemon, policies[k]->caps[i].cap);
	}
}

static void test_no_duplicates_and_nothing_both_allowed_and_killed(void **state)
{
	for (size_t k = 0; k < ARRAY_SIZE(policies); k++) {
		const struct sandbox_policy *p = policies[k];
		const struct sandbox_syscall *all[512];
		size_t n = collect(p, all, ARRAY_SIZE(all));
		for (size_t i = 0; i < n; i++) {
			for (size_t j = i + 1; j < n; j++)
				if (same_rule(all[i], all[j]))
					fail_msg("%s: '%s' is listed twice", p->daemon, all[i]->name);
			for (size_t j = 0; p->killed && j < p->killed->ncalls; j++)
				if (streq(all[i]->name, p->killed->calls[j].name))
					fail_msg("%s: '%s' is both allowed and killed", p->daemon, all[i]->name);
		}
		for (size_t i = 0; i < p->ncaps; i++)
			for (size_t j = i + 1; j < p->ncaps; j++)
				assert_int_not_equal(p->caps[i].cap, p->caps[j].cap);
	}
}

static bool has_cap(const struct sandbox_policy *p, int cap)
{
	for (size_t i = 0; i < p->ncaps; i++)
		if (p->caps[i].cap == cap)
			return true;
	return false;
}

static bool allows(const struct sandbox_policy *p, const char *name)
{
	const struct sandbox_syscall *all[512];
	size_t n = collect(p, all, ARRAY_SIZE(all));
	for (size_t i = 0; i < n; i++)
		if (streq(all[i]->name, name))
			return true;
	return false;
}

static void test_privilege_table_rows(void **state)
{
	for (size_t k = 0; k < ARRAY_SIZE(policies); k++) {
		const struct sandbox_policy *p = policies[k];
		bool is_netd = p == &netd_sandbox_policy;
		assert_int_equal(has_cap(p, CAP_NET_ADMIN), is_netd);
		assert_false(allows(p, "execve"));
		assert_false(allows(p, "execveat"));
		assert_non_null(p->killed);
	}
	assert_int_equal(netd_sandbox_policy.ncaps, 1);
	assert_int_equal(proxyd_sandbox_policy.ncaps, 0);
	assert_int_equal(qemud_sandbox_policy.ncaps, 0);
	/* Each unprivileged daemon has a user of its own; only netd and lxcd stay root. */
	assert_int_equal(proxyd_sandbox_policy.role, ROLE_PROXY);
	assert_int_equal(qemud_sandbox_policy.role, ROLE_QEMUD);
	assert_int_equal(storaged_sandbox_policy.role, ROLE_STORAGED);
	assert_int_equal(netd_sandbox_policy.role, ROLE_ROOT);
	assert_int_equal(lxcd_sandbox_policy.role, ROLE_ROOT);
	/* qemud's spawner: root with exactly SETUID and SETGID, nothing else. */
	assert_int_equal(qemud_spawner_policy.role, ROLE_ROOT);
	assert_int_equal(qemud_spawner_policy.ncaps, 2);
	assert_true(has_cap(&qemud_spawner_policy, CAP_SETUID));
	assert_true(has_cap(&qemud_spawner_policy, CAP_SETGID));
	/* netd's spawner runs dnsmasq only: what dnsmasq keeps (NET_ADMIN, NET_BIND_SERVICE, NET_RAW),
	 * its switch to its own user, KILL to stop it; part of netd's row, so NET_ADMIN stays in netd. */
	assert_int_equal(netd_spawner_policy.role, ROLE_ROOT);
	assert_int_equal(netd_spawner_policy.ncaps, 6);
	for (int c = 0; c <= CAP_LAST_CAP; c++)
		assert_int_equal(has_cap(&netd_spawner_policy, c),
				 c == CAP_SETUID || c == CAP_SETGID || c == CAP_NET_ADMIN || c == CAP_NET_BIND_SERVICE ||
					 c == CAP_NET_RAW || c == CAP_KILL);
	/* proxyd never opens files at all. */
	assert_false(allows(&proxyd_sandbox_policy, "openat"));
	assert_false(allows(&proxyd_sandbox_policy, "unlink"));
	/* The uid 0 daemons never change modes: Landlock does not cover chmod, and uid 0 owns /etc. */
	assert_false(allows(&lxcd_sandbox_policy, "fchmod"));
	assert_false(allows(&netd_sandbox_policy, "fchmod"));
}

/* Runs fn in a child under policy's filter; returns the child's wait status. */
static int in_confined_child(const struct sandbox_policy *p, int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct sv_error err;
		if (sandbox_load_filter(p, &err) < 0) {
			fprintf(stderr, "%s\n", err.message);
			_exit(100);
		}
		_exit(fn());
	}
	waitpid(pid, &status, 0);
	return status;
}

static int try_write_open(void)
{
	int fd = open("/tmp/sv-sandbox-test-should-not-exist", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	return fd < 0 && errno == EPERM ? 0 : 1;
}

static int try_mount(void)
{
	return mount("none", "/tmp", "tmpfs", 0, NULL) < 0 && errno == EPERM ? 0 : 1;
}

static int try_inet_socket(void)
{
	return socket(AF_INET, SOCK_STREAM, 0) < 0 && errno == EPERM ? 0 : 1;
}

static int try_unix_socket(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	return fd >= 0 ? 0 : 1;
}

static int try_exec(void)
{
	char *argv[] = { "/bin/true", NULL };
	execv("/bin/true", argv);
	return 42; /* reached only if exec failed without killing us */
}

static int try_read_open(void)
{
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	int wfd = open("/proc/self/status", O_RDWR | O_CLOEXEC);
	return fd >= 0 && wfd < 0 && errno == EPERM ? 0 : 1;
}

static void test_denied_syscalls_fail_with_eperm(void **state)
{
	int st;

	st = in_confined_child(&proxyd_sandbox_policy, try_write_open);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = in_confined_child(&proxyd_sandbox_policy, try_mount);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = in_confined_child(&proxyd_sandbox_policy, try_inet_socket);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = in_confined_child(&proxyd_sandbox_policy, try_unix_socket);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* qemud reads files but cannot open one read-write through the read-only rule... it has the
	 * write group, so check the read-only rule on a daemon without it: */
	static const struct sandbox_group *const ro_groups[] = { &sandbox_group_base, &sandbox_group_read_files, NULL };
	const struct sandbox_policy ro = { .daemon = "ro-test", .groups = ro_groups, .killed = &sandbox_killed_default };
	st = in_confined_child(&ro, try_read_open);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0): 0, or why it failed. */
static int keyctl_errno(void)
{
	return syscall(SYS_keyctl, 0, -3, 0) < 0 ? errno : 0;
}

/* A container's default filter: the denied calls fail with EPERM, the rest work (the same
 * process could make the call before). */
static void test_container_denylist(void **state)
{
	assert_int_not_equal(keyctl_errno(), EPERM);
	pid_t pid = fork();
	if (pid == 0) {
		struct sv_error err;
		if (sandbox_load_denylist("container", lxcd_container_denied, lxcd_container_ndenied, &err) < 0) {
			fprintf(stderr, "%s\n", err.message);
			_exit(100);
		}
		if (keyctl_errno() != EPERM)
			_exit(1);
		if (syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0) >= 0 || errno != EPERM)
			_exit(2);
		if (getpid() <= 0 || try_unix_socket() != 0)
			_exit(3);
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	for (size_t i = 0; i < lxcd_container_ndenied; i++)
		assert_non_null(lxcd_container_denied[i].reason);
}

static void test_exec_kills_the_process(void **state)
{
	for (size_t k = 0; k < ARRAY_SIZE(policies); k++) {
		int st = in_confined_child(policies[k], try_exec);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSYS)
			fail_msg("%s: exec did not kill the child (status 0x%x)", policies[k]->daemon, st);
	}
}

/* As root: the full drop leaves qemud's row: its own user, CapEff 0, no_new_privs, Seccomp 2. */
static int check_qemud_row(void)
{
	struct sv_error err;
	struct suite_ids ids;
	char buf[4096];
	FILE *f;
	bool capeff0 = false, seccomp2 = false, nnp = false;

	if (suite_ids_resolve(&ids, false, &err) < 0 || sandbox_enter(&qemud_sandbox_policy, &ids, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return 10;
	}
	f = fopen("/proc/self/status", "re");
	if (!f)
		return 11;
	while (fgets(buf, sizeof(buf), f)) {
		if (startswith(buf, "CapEff:\t0000000000000000"))
			capeff0 = true;
		if (startswith(buf, "Seccomp:\t2"))
			seccomp2 = true;
		if (startswith(buf, "NoNewPrivs:\t1"))
			nnp = true;
	}
	fclose(f);
	if (geteuid() == 0 || !capeff0 || !seccomp2 || !nnp)
		return 12;
	return 0;
}

static void test_full_drop_to_qemud_row(void **state)
{
	int status;
	pid_t pid;

	const char *src = getenv("abs_top_srcdir");
	_cleanup_free_ char *create = xasprintf("%s/scripts/create-users.sh", src ? src : ".");

	if (geteuid() != 0)
		skip_because("not root: the full drop is not tried\n");
	/* The daemons' users, as make install and the tests create them. */
	assert_int_equal(system(create), 0);
	pid = fork();
	if (pid == 0)
		_exit(check_qemud_row());
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Issue 11: lxcd and netd run as uid 0, and their seccomp filters let openat through (netd's
 * pinned to directory fds, which an absolute path ignores). Landlock is what keeps their writes
 * in their own directories: a child under the daemon's Landlock rules and seccomp filter tries
 * to write, create, truncate, remove and rename a root-owned file in another directory. */
static char t_own[64], t_other[64];

static char *other_path(const char *name)
{
	return xasprintf("%s/%s", t_other, name);
}

/* 0, or the number of the step that went wrong. dirfd is the daemon's own directory. */
static int try_writes(int dirfd, bool can_mkdir)
{
	_cleanup_free_ char *victim = other_path("victim"), *moved = other_path("moved");
	_cleanup_free_ char *created = other_path("created"), *dir = other_path("dir");
	int fd;

	/* outside: every kind of write fails with EACCES, whatever the dirfd */
	if (openat(dirfd, victim, O_WRONLY | O_CLOEXEC) >= 0 || errno != EACCES)
		return 1;
	if (openat(dirfd, victim, O_WRONLY | O_TRUNC | O_CLOEXEC) >= 0 || errno != EACCES)
		return 2;
	if (openat(dirfd, created, O_WRONLY | O_CREAT | O_CLOEXEC, 0600) >= 0 || errno != EACCES)
		return 3;
	if (unlinkat(dirfd, victim, 0) == 0 || errno != EACCES)
		return 4;
	if (renameat(dirfd, victim, dirfd, moved) == 0 || errno != EACCES)
		return 5;
	/* out of there into its own directory: refused as well (EXDEV: a move Landlock refuses) */
	if (renameat(dirfd, victim, dirfd, "stolen") == 0 || (errno != EACCES && errno != EXDEV))
		return 6;
	if (can_mkdir && (mkdirat(dirfd, dir, 0700) == 0 || errno != EACCES))
		return 7;
	/* reads are left alone */
	fd = openat(dirfd, victim, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 8;
	close(fd);
	/* inside: the atomic write of a state file works */
	fd = openat(dirfd, "state.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return 9;
	if (write(fd, "ok\n", 3) != 3)
		return 10;
	close(fd);
	if (renameat(dirfd, "state.tmp", dirfd, "state") < 0)
		return 11;
	if (unlinkat(dirfd, "state", 0) < 0)
		return 12;
	return 0;
}

static int lxcd_writes_child(void)
{
	struct sv_error err;
	int own = open(t_own, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (own < 0 || lxcd_sandbox_restrict_writes(own, own, NULL, NULL, 0, &err) < 0 ||
	    sandbox_load_filter(&lxcd_sandbox_policy, &err) < 0) {
		fprintf(stderr, "%s\n", own < 0 ? strerror(errno) : err.message);
		return 100;
	}
	return try_writes(own, true);
}

static int netd_writes_child(void)
{
	struct sv_error err;
	_cleanup_free_ char *victim = other_path("victim");
	int own = open(t_own, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int tun_dir = open("/dev/net", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int tun = tun_dir >= 0 ? openat(tun_dir, "tun", O_PATH | O_CLOEXEC) : -1;
	int r, fd;

	/* its own directory stands for both of netd's: the state and the network definitions */
	netd_sandbox_bind_fds(tun_dir, own, own);
	if (own < 0 || netd_sandbox_restrict_writes(own, own, tun, &err) < 0 ||
	    sandbox_load_filter(&netd_sandbox_policy, &err) < 0) {
		fprintf(stderr, "%s\n", own < 0 ? strerror(errno) : err.message);
		return 100;
	}
	r = try_writes(own, false);
	if (r)
		return r;
	if (tun >= 0) {
		/* the rule on the one device: opening it read-write still works */
		fd = openat(tun_dir, "tun", O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return 20;
		close(fd);
		/* the exact flags and dirfd of the tun rule, but an absolute path elsewhere */
		if (openat(tun_dir, victim, O_RDWR | O_CLOEXEC) >= 0 || errno != EACCES)
			return 21;
	}
	return 0;
}

static void empty_dir(const char *path)
{
	_cleanup_closedir_ DIR *d = opendir(path);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (!streq(e->d_name, ".") && !streq(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
}

static void landlock_case(int (*child)(void), const char *who)
{
	_cleanup_free_ char *victim = NULL, *created = NULL, *stolen = NULL;
	int st, fd;
	char buf[16] = "";
	bool intact;
	pid_t pid;

	if (sandbox_landlock_abi() < 1)
		skip_because("no Landlock in this kernel: %s's write limit is not tried\n", who);
	snprintf(t_own, sizeof(t_own), "/tmp/sv-landlock-own.XXXXXX");
	snprintf(t_other, sizeof(t_other), "/tmp/sv-landlock-other.XXXXXX");
	assert_non_null(mkdtemp(t_own));
	assert_non_null(mkdtemp(t_other));
	victim = other_path("victim");
	created = other_path("created");
	stolen = xasprintf("%s/stolen", t_own);
	/* owned by whoever runs the test: root under `make check` as root, like /etc's files */
	fd = open(victim, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "secret\n", 7), 7);
	close(fd);
	pid = fork();
	if (pid == 0)
		_exit(child());
	assert_int_equal(waitpid(pid, &st, 0), pid);
	fd = open(victim, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)!read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	intact = streq(buf, "secret\n") && access(created, F_OK) < 0 && access(stolen, F_OK) < 0;
	empty_dir(t_other);
	empty_dir(t_own);
	rmdir(t_other);
	rmdir(t_own);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("%s: the confined child failed at step %d (status 0x%x)", who,
			 WIFEXITED(st) ? WEXITSTATUS(st) : -1, st);
	if (!intact)
		fail_msg("%s: the file outside its directory was changed", who);
}

static void test_lxcd_writes_only_in_its_directories(void **state)
{
	landlock_case(lxcd_writes_child, "lxcd");
}

static void test_netd_writes_only_in_its_directories(void **state)
{
	landlock_case(netd_writes_child, "netd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_entry_has_a_reason_and_resolves),
		cmocka_unit_test(test_no_duplicates_and_nothing_both_allowed_and_killed),
		cmocka_unit_test(test_privilege_table_rows),
		cmocka_unit_test(test_denied_syscalls_fail_with_eperm),
		cmocka_unit_test(test_exec_kills_the_process),
		cmocka_unit_test(test_container_denylist),
		cmocka_unit_test(test_full_drop_to_qemud_row),
		cmocka_unit_test(test_lxcd_writes_only_in_its_directories),
		cmocka_unit_test(test_netd_writes_only_in_its_directories),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
