/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Container set-up: clone into new namespaces, id maps, cgroup, mounts, pivot_root, exec.
 * Facts from user_namespaces(7), pivot_root(2), mount_namespaces(7). */
#include "config.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "atomic-file.h"
#include "cgroup.h"
#include "console.h"
#include "container.h"
#include "lxcd.h"
#include "proc-stat.h"

#define CLONE_FLAGS (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET)
#define STACK_SIZE (256 * 1024)

struct child {
	const struct lxcd_launch *req;
	int sync_r, status_w, go_r, console;
	const char *console_path;
};

/* In the child: report why set-up failed, then leave. */
static _Noreturn void child_fail(const struct child *c, int errnum, const char *fmt, ...) _printf_(3, 4);
static _Noreturn void child_fail(const struct child *c, int errnum, const char *fmt, ...)
{
	char msg[1024];
	int n;
	va_list ap;

	va_start(ap, fmt);
	n = vsnprintf(msg + 1, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	msg[0] = 'E';
	if (n > 0 && errnum)
		snprintf(msg + 1 + n, sizeof(msg) - 1 - (size_t)n, ": %s", strerror(errnum));
	(void)!write(c->status_w, msg, strlen(msg));
	_exit(127);
}

static char *in_root(const char *root, const char *path)
{
	return xasprintf("%s%s", root, path);
}

/* mkdir -p of a path inside the new root; symlinks are not followed out of it because this
 * runs after the root is bind-mounted and before pivot_root, with paths checked for "..". */
static void mkdirs(const struct child *c, const char *path)
{
	_cleanup_free_ char *p = xstrdup(path);

	for (char *s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char save = *s;
			*s = '\0';
			if (mkdir(p, 0755) < 0 && errno != EEXIST)
				child_fail(c, errno, "cannot create '%s'", p);
			*s = save;
			if (!save)
				break;
		}
	}
}

static void do_mount(const struct child *c, const char *src, const char *dst, const char *type,
		     unsigned long flags, const char *data)
{
	if (mount(src, dst, type, flags, data) < 0)
		child_fail(c, errno, "cannot mount '%s' on '%s'", src ? src : type ? type : "(remount)", dst);
}

static void bind_file(const struct child *c, const char *src, const char *dst)
{
	int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		child_fail(c, errno, "cannot create '%s'", dst);
	close(fd);
	do_mount(c, src, dst, NULL, MS_BIND, NULL);
}

/* The root and the filesystems of the definition, proc, sys and a minimal /dev. */
static void setup_mounts(const struct child *c, const char *root)
{
	static const char *const devs[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" }, { "pts/ptmx", "ptmx" },
	};
	const struct lxcd_launch *req = c->req;
	_cleanup_free_ char *proc = in_root(root, "/proc"), *sys = in_root(root, "/sys");
	_cleanup_free_ char *dev = in_root(root, "/dev"), *pts = in_root(root, "/dev/pts");
	_cleanup_free_ char *shm = in_root(root, "/dev/shm"), *console = in_root(root, "/dev/console");

	/* Nothing done here may propagate back to the host. */
	do_mount(c, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	/* pivot_root needs the new root to be a mount point. */
	do_mount(c, root, root, NULL, MS_BIND | MS_REC, NULL);
	for (size_t i = 0; i < req->nmounts; i++) {
		_cleanup_free_ char *dst = in_root(root, req->mounts[i].dst);
		mkdirs(c, dst);
		do_mount(c, req->mounts[i].src, dst, NULL, MS_BIND | MS_REC, NULL);
		if (req->mounts[i].readonly)
			do_mount(c, NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
	}
	mkdirs(c, proc);
	do_mount(c, "proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mkdirs(c, sys);
	do_mount(c, "sysfs", sys, "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL);
	mkdirs(c, dev);
	do_mount(c, "tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC | MS_STRICTATIME, "mode=755,size=65536k");
	for (size_t i = 0; i < ARRAY_SIZE(devs); i++) {
		_cleanup_free_ char *host = xasprintf("/dev/%s", devs[i]);
		_cleanup_free_ char *node = xasprintf("%s/%s", dev, devs[i]);
		bind_file(c, host, node);
	}
	mkdirs(c, pts);
	do_mount(c, "devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
	mkdirs(c, shm);
	do_mount(c, "tmpfs", shm, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	bind_file(c, c->console_path, console);
	for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
		_cleanup_free_ char *l = xasprintf("%s/%s", dev, links[i][1]);
		if (symlink(links[i][0], l) < 0)
			child_fail(c, errno, "cannot create '%s'", l);
	}
}

static void enter_root(const struct child *c, const char *root)
{
	if (chdir(root) < 0)
		child_fail(c, errno, "cannot enter '%s'", root);
	/* pivot_root(".", "."): the old root is stacked under the new one, then detached. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		child_fail(c, errno, "pivot_root into '%s' failed", root);
	if (umount2(".", MNT_DETACH) < 0)
		child_fail(c, errno, "cannot detach the host's root");
	if (chdir("/") < 0)
		child_fail(c, errno, "chdir /");
}

static int child_main(void *arg)
{
	const struct child *c = arg;
	const struct lxcd_launch *req = c->req;
	sigset_t none;
	char b;

	/* The spawner's dispositions (SIGPIPE ignored) must not reach init. */
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	/* Wait for the id maps. */
	if (read(c->sync_r, &b, 1) != 1)
		_exit(127);
	close(c->sync_r);
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0 || setgroups(0, NULL) < 0)
		child_fail(c, errno, "cannot become root of the user namespace");
	/* Its own cgroup namespace, rooted where it stands now: the spawner moved it into the
	 * container's cgroups before waking it, so it sees those as "/" and none of the host's. */
	if (unshare(CLONE_NEWCGROUP) < 0)
		child_fail(c, errno, "cannot create the container's cgroup namespace");
	setup_mounts(c, req->rootfs);
	enter_root(c, req->rootfs);
	if (sethostname(req->name, strlen(req->name)) < 0)
		child_fail(c, errno, "cannot set the hostname");
	/* The bounding set of a new user namespace is full (user_namespaces(7)): narrow it here,
	 * so init and everything it starts can never hold these, even inside the container. */
	for (size_t i = 0; i < lxcd_container_ndropped; i++)
		if (prctl(PR_CAPBSET_DROP, lxcd_container_dropped[i].cap, 0, 0, 0) < 0)
			child_fail(c, errno, "cannot drop capability %d from the bounding set", lxcd_container_dropped[i].cap);
	if (setsid() < 0 || dup2(c->console, 0) < 0 || dup2(c->console, 1) < 0 || dup2(c->console, 2) < 0)
		child_fail(c, errno, "cannot attach the console");
	ioctl(0, TIOCSCTTY, 0);
	/* init is looked up in the new root: it cannot be a host binary. */
	if (access(req->argv[0], X_OK) < 0)
		child_fail(c, errno, "init '%s' is not an executable inside the container", req->argv[0]);
	/* Last, so the set-up above is not subject to it; init and all it starts are. */
	struct sv_error err;
	if (sandbox_load_denylist("container", lxcd_container_denied, lxcd_container_ndenied, &err) < 0)
		child_fail(c, EPERM, "cannot load the container's seccomp filter: %s", err.message);
	if (write(c->status_w, "R", 1) != 1)
		_exit(127);
	if (read(c->go_r, &b, 1) != 1 || b != 'G')
		_exit(127);
	execve(req->argv[0], (char *const *)req->argv, (char *const *)req->env);
	child_fail(c, errno, "cannot execute init '%s'", req->argv[0]);
}

static int write_map(pid_t pid, const char *file, const struct domain_idmap *m, size_t n, struct sv_error *err)
{
	char path[64], text[32 * 40] = "";
	size_t len = 0;
	_cleanup_close_ int fd = -1;

	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%u %u %u\n", m[i].start, m[i].target, m[i].count);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot write '%s'", path);
	return 0;
}

static _Noreturn void reply_error(int fd, const struct sv_error *err)
{
	_cleanup_free_ char *msg = xasprintf("error %d %s", err->code, err->message);
	(void)!send(fd, msg, strlen(msg), MSG_NOSIGNAL);
	_exit(1);
}

static int send_ok(int fd, pid_t pid, unsigned long long ticks, const int fds[3])
{
	char text[64], cbuf[CMSG_SPACE(3 * sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = text };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	iov.iov_len = (size_t)snprintf(text, sizeof(text), "ok %d %llu", (int)pid, ticks);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(3 * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, 3 * sizeof(int));
	return sendmsg(fd, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* Reads the child's first word: 'R' (ready) or "E<why>"; EOF when it died. */
static int wait_ready(int status_r, pid_t pid, struct sv_error *err)
{
	char msg[1024];
	ssize_t n = read(status_r, msg, sizeof(msg) - 1);

	if (n == 1 && msg[0] == 'R')
		return 0;
	if (n > 1 && msg[0] == 'E') {
		msg[n] = '\0';
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, EINVAL, "container set-up failed: %s", msg + 1);
	}
	return sv_error_set(err, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, ECHILD,
			    "container set-up failed: process %d ended before it was ready", (int)pid);
}

_Noreturn void lxcd_container_launch(const struct lxcd_launch *req, int reply_fd)
{
	int sync_p[2], status_p[2], go_p[2], pidfd = -1;
	struct lxcd_cgroup cg;
	struct lxcd_cg_limits lim = { .memory_bytes = req->memory_bytes, .vcpus = req->vcpus };
	struct lxcd_console con;
	struct child c = { .req = req };
	struct sv_error err;
	struct stat st;
	char *stack;
	pid_t pid;

	prctl(PR_SET_NAME, "sepvirt-lxc-init", 0, 0, 0);
	/* The root must be a real directory, not a symlink that could point anywhere later. */
	if (lstat(req->rootfs, &st) < 0 || !S_ISDIR(st.st_mode)) {
		sv_error_set(&err, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, ENOTDIR,
			     "root filesystem '%s' is not a directory", req->rootfs);
		reply_error(reply_fd, &err);
	}
	if (lxcd_console_open(req->log_path, req->uidmap[0].target, req->gidmap[0].target, &con, &err) < 0 ||
	    lxcd_cgroup_locate(req->name, &cg, &err) < 0 || lxcd_cgroup_create(&cg, &lim, &err) < 0)
		reply_error(reply_fd, &err);
	if (pipe2(sync_p, O_CLOEXEC) < 0 || pipe2(status_p, O_CLOEXEC) < 0 || pipe2(go_p, O_CLOEXEC) < 0) {
		sv_error_set_errno(&err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "pipe2");
		reply_error(reply_fd, &err);
	}
	c.sync_r = sync_p[0];
	c.status_w = status_p[1];
	c.go_r = go_p[0];
	c.console = con.slave;
	c.console_path = con.path;
	stack = xmalloc(STACK_SIZE);
	pid = clone(child_main, stack + STACK_SIZE, CLONE_FLAGS | CLONE_PIDFD | SIGCHLD, &c, &pidfd);
	if (pid < 0) {
		sv_error_set_errno(&err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot create the container's namespaces");
		lxcd_cgroup_remove(&cg);
		reply_error(reply_fd, &err);
	}
	close(sync_p[0]);
	close(status_p[1]);
	close(go_p[0]);
	close(con.slave);
	/* The root user of the map owns the container; only then may the child go on. */
	if (lxcd_cgroup_attach(&cg, pid, &err) < 0 ||
	    write_map(pid, "uid_map", req->uidmap, req->nuidmap, &err) < 0 ||
	    write_map(pid, "gid_map", req->gidmap, req->ngidmap, &err) < 0 ||
	    (write(sync_p[1], "1", 1) != 1 &&
	     sv_error_set_errno(&err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot wake the container") < 0) ||
	    wait_ready(status_p[0], pid, &err) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		lxcd_cgroup_remove(&cg);
		reply_error(reply_fd, &err);
	}
	if (send_ok(reply_fd, pid, lxcd_proc_start_ticks(pid), (int[3]){ pidfd, go_p[1], status_p[0] }) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		lxcd_cgroup_remove(&cg);
		_exit(1);
	}
	_exit(0);
}
