/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The spawner process: see spawner.h. One request at a time over the socketpair from qemud. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "images.h"
#include "spawn-detached.h"
#include "qemud.h"
#include "spawner-priv.h"
#include "spawner-wire.h"

/* Set once in the spawner before it serves. */
static struct suite_ids ids;
static gid_t kvm_gid = (gid_t)-1;

bool qemud_spawner_allowed(const char *path)
{
	const char *extra = getenv("SEPVIRT_QEMU_BINARIES");

	if (streq(path, QEMU_SYSTEM_DEFAULT))
		return true;
	if (!extra)
		return false;
	_cleanup_free_ char *list = xstrdup(extra);
	char *save = NULL;
	for (char *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save))
		if (p[0] == '/' && streq(p, path))
			return true;
	return false;
}

/* In a child: back to default signal handling (qemud ignores SIGPIPE and blocks SIGTERM for its
 * signalfd; an exec'd QEMU must not inherit either). */
static void reset_signals(void)
{
	sigset_t none;

	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* In a forked child only: become the QEMU's uid and gid, in no group but kvm. Leaving uid 0
 * clears every capability (no keep-caps), and no_new_privs holds: there is no way back. */
static int become(uid_t uid)
{
	gid_t groups[1] = { kvm_gid };

	if (ids.session)
		return 0;
	if (!suite_vm_uid(&ids, uid))
		return -EPERM;
	if (setgroups(kvm_gid != (gid_t)-1 ? 1 : 0, groups) < 0 || setresgid(uid, uid, uid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		return -errno;
	if (getuid() != uid || geteuid() != uid || getgid() != uid)
		return -EPERM;
	return 0;
}

int qemud_spawner_check_uid(uid_t uid, char **msg)
{
	if (ids.session || suite_vm_uid(&ids, uid))
		return 0;
	*msg = xasprintf("uid %u is not in the VM range %u-%u: the spawner acts only as a QEMU's own uid", (unsigned)uid,
			 (unsigned)ids.vm_uid_first, (unsigned)ids.vm_uid_last);
	return -EPERM;
}

/* The launched child, between fork and exec. */
static _Noreturn void exec_as(const struct command *cmd, uid_t uid, int report_fd)
{
	int keep = report_fd;
	int e;

	reset_signals();
	e = -become(uid);
	if (!e)
		e = -command_exec_child(cmd, &keep);
	(void)!write(keep, &e, sizeof(e));
	_exit(127);
}

/* Whether a process runs as uid (the owner of /proc/PID is the task's uid): never two QEMUs, or
 * a QEMU and a stranger, under one identity. */
static bool uid_in_use(uid_t uid)
{
	DIR *proc = ids.session ? NULL : opendir("/proc");
	struct dirent *e;
	bool used = false;

	while (proc && !used && (e = readdir(proc))) {
		struct stat st;
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && fstatat(dirfd(proc), e->d_name, &st, 0) == 0)
			used = st.st_uid == uid;
	}
	if (proc)
		closedir(proc);
	return used;
}

/* A short helper: one fork, reaped here, so it is never anybody else's child. */
static int run_to_end(const struct command *cmd, uid_t uid)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int keep = -1;
		reset_signals();
		if (become(uid) == 0)
			command_exec_child(cmd, &keep);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

struct launch_args {
	const struct command *cmd;
	uid_t uid;
};

static void launch_child(void *userdata, int report_fd)
{
	const struct launch_args *a = userdata;

	exec_as(a->cmd, a->uid, report_fd);
}

/* Detached (spawn-detached.h): the command survives qemud and the spawner. */
static int launch(const struct command *cmd, uid_t uid, pid_t *pid_out)
{
	struct launch_args a = { cmd, uid };

	return spawn_detached(launch_child, &a, pid_out);
}

/* Runs fn in a child that has become uid; the child's result (an errno, and an fd passed back
 * over a socketpair for open) is the answer. The kernel checks what that uid may do. */
typedef int (*as_uid_fn)(const Sepvirt__SpawnRequest *req, int in_fd, int *out_fd);

static int as_uid(uid_t uid, as_uid_fn fn, const Sepvirt__SpawnRequest *req, int in_fd, int *out_fd)
{
	int sv[2], status;
	size_t nfds = 0;
	uint8_t byte;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -errno;
	}
	if (pid == 0) {
		int fd = -1, r;
		close(sv[0]);
		r = become(uid);
		if (r == 0)
			r = fn(req, in_fd, &fd);
		if (r == 0 && fd >= 0) {
			uint8_t one = 0;
			_exit(rpc_send_all(sv[1], &one, 1, &fd, 1) < 0 ? EIO : 0);
		}
		_exit(-r);
	}
	close(sv[1]);
	if (out_fd && rpc_recv_some(sv[0], &byte, 1, out_fd, &nfds, 1) == 1 && nfds == 1) {
		/* the fd arrived */
	} else if (out_fd) {
		*out_fd = -1;
	}
	close(sv[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status))
		return -EIO;
	return -WEXITSTATUS(status);
}

static int do_signal(const Sepvirt__SpawnRequest *req, int pidfd, int *unused)
{
	return syscall(SYS_pidfd_send_signal, pidfd, req->signal, NULL, 0) < 0 ? -errno : 0;
}

static int do_open_pty(const Sepvirt__SpawnRequest *req, int unused, int *out)
{
	struct stat st;
	int fd = open(req->pty, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	/* Only a pty slave owned by this uid: the path is QEMU's word. */
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) < 136 || major(st.st_rdev) > 143 ||
	    st.st_uid != getuid()) {
		close(fd);
		return -ENOTTY;
	}
	*out = fd;
	return 0;
}

/* Opens the request's files into their slots of cmd. */
static int open_files(const Sepvirt__SpawnRequest *req, struct command *cmd, char **msg)
{
	for (size_t i = 0; i < req->n_files; i++) {
		const Sepvirt__SpawnFile *f = req->files[i];
		struct sv_error err;
		int fd;

		if (streq(f->path, "/dev/vhost-net") || streq(f->path, "/dev/urandom")) {
			/* vhost-net read-write; urandom (virtio-rng's source) read-only */
			fd = open(f->path, (streq(f->path, "/dev/urandom") ? O_RDONLY : O_RDWR) | O_CLOEXEC);
			if (fd < 0) {
				*msg = xasprintf("cannot open %s: %s", f->path, strerror(errno));
				return -errno;
			}
		} else if ((fd = qemud_image_open(f->path, f->read_only, &err)) < 0) {
			*msg = xstrdup(err.message);
			return fd;
		}
		command_fill_path(cmd, f->index, fd);
	}
	return 0;
}

/* argv, env, received fds in their places and the files opened here -> a command. */
static int build(const Sepvirt__SpawnRequest *req, int *fds, size_t nfds, struct command **out, char **msg)
{
	_cleanup_command_ struct command *cmd = command_new(req->argv[0]);
	size_t total = req->nfds + req->n_files, next = 0;
	size_t i;

	for (i = 1; i < req->n_argv; i++)
		command_add_arg(cmd, req->argv[i]);
	for (i = 0; i < req->n_env; i++) {
		char *eq = strchr(req->env[i], '=');
		if (eq) {
			*eq = '\0';
			command_add_env(cmd, req->env[i], eq + 1);
		}
	}
	for (i = 0; i < req->n_files; i++)
		if (req->files[i]->index >= total) {
			*msg = xasprintf("file '%s' has no place among %zu fds", req->files[i]->path, total);
			return -EINVAL;
		}
	for (i = 0; i < total; i++) {
		bool is_file = false;
		for (size_t k = 0; k < req->n_files; k++)
			is_file |= req->files[k]->index == i;
		if (is_file) {
			command_pass_path(cmd, "", false); /* filled by open_files */
		} else {
			command_pass_fd(cmd, fds[next]);
			fds[next++] = -1;
		}
	}
	if (req->has_output)
		command_set_output(cmd, TAKE_FD(fds[nfds - 1]));
	*out = TAKE_PTR(cmd);
	return open_files(req, *out, msg);
}

static void serve_one(int sock)
{
	_cleanup_message_ Sepvirt__SpawnRequest *req = NULL;
	_cleanup_command_ struct command *cmd = NULL;
	_cleanup_free_ char *msg = NULL;
	int fds[RPC_MAX_FDS], out_fd = -1;
	size_t nfds = 0;
	pid_t pid = -1;
	int r;

	r = qemud_spawner_recv(sock, &sepvirt__spawn_request__descriptor, (ProtobufCMessage **)&req, fds, &nfds);
	if (r < 0) {
		rpc_close_fds(fds, nfds);
		_exit(r == -EPIPE ? 0 : 1); /* qemud is gone (or broke the protocol): so are we */
	}
	r = qemud_spawner_check_uid(req->uid, &msg);
	if (r < 0) {
		/* refused below */
	} else if (req->action == SEPVIRT__SPAWN_ACTION__SPAWN_SIGNAL) {
		if (nfds != 1 || req->signal <= 0 || req->signal >= NSIG) {
			r = -EINVAL;
			msg = xstrdup("malformed signal request");
		} else if ((r = as_uid(req->uid, do_signal, req, fds[0], NULL)) < 0) {
			msg = xasprintf("cannot send signal %d as uid %u: %s", req->signal, (unsigned)req->uid,
					strerror(-r));
		}
	} else if (req->action == SEPVIRT__SPAWN_ACTION__SPAWN_OPEN_PTY) {
		unsigned n;
		char tail;
		if (nfds || sscanf(req->pty, "/dev/pts/%u%c", &n, &tail) != 1) {
			r = -EINVAL;
			msg = xasprintf("'%s' is not a pty slave path", req->pty);
		} else if ((r = as_uid(req->uid, do_open_pty, req, -1, &out_fd)) < 0 || out_fd < 0) {
			r = r < 0 ? r : -EIO;
			msg = xasprintf("cannot open the console '%s' as uid %u: %s", req->pty, (unsigned)req->uid,
					strerror(-r));
		}
	} else if (req->action == SEPVIRT__SPAWN_ACTION__SPAWN_OPEN_IMAGE) {
		/* The same rule as a launch's images: under an image directory, no symlink, a regular file. */
		struct sv_error e;
		if (nfds || req->n_files != 1) {
			r = -EINVAL;
			msg = xstrdup("malformed image request");
		} else if ((r = out_fd = qemud_image_open(req->files[0]->path, req->files[0]->read_only, &e)) < 0) {
			out_fd = -1;
			msg = xstrdup(e.message);
		}
	} else if (req->n_argv == 0 || nfds != req->nfds + (req->has_output ? 1 : 0)) {
		r = -EINVAL;
		msg = xstrdup("malformed launch request");
	} else if (!qemud_spawner_allowed(req->argv[0])) {
		r = -EPERM;
		msg = xasprintf("binary '%s' is not on the spawner's list (%s, $SEPVIRT_QEMU_BINARIES)", req->argv[0],
				QEMU_SYSTEM_DEFAULT);
	} else if (uid_in_use(req->uid)) {
		r = -EBUSY;
		msg = xasprintf("cannot execute '%s': uid %u of the VM range is in use by another process",
				req->argv[0], (unsigned)req->uid);
	} else if ((r = build(req, fds, nfds, &cmd, &msg)) >= 0) {
		r = req->wait ? run_to_end(cmd, req->uid) : launch(cmd, req->uid, &pid);
		if (r < 0)
			msg = xasprintf("cannot execute '%s' as uid %u: %s", req->argv[0], (unsigned)req->uid,
					strerror(-r));
	}
	rpc_close_fds(fds, nfds); /* those build() took are -1 */
	qemud_spawner_answer(sock, r, pid, msg, out_fd);
}

static _Noreturn void spawner_main(int sock, const struct suite_ids *suite, const struct sv_paths *paths)
{
	struct sandbox_identity self = { .uid = 0, .gid = 0, .extra_gid = (gid_t)-1, .session = suite->session };
	struct group *kvm = getgrnam("kvm");
	struct sv_error err;

	ids = *suite;
	kvm_gid = kvm ? kvm->gr_gid : (gid_t)-1;
	qemud_images_init(paths);
	/* Dies with qemud; its children do not (the flag is cleared on fork). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "qemud-spawner");
	/* Only stdio and the request socket: not qemud's listening socket or state fds. */
	if (sock != 3) {
		if (dup2(sock, 3) < 0)
			_exit(1);
		sock = 3;
	}
	syscall(SYS_close_range, 4, ~0U, 0);
	/* Its row: uid 0 with SETUID and SETGID only (bounding set too), no group, and no way to
	 * gain more (no_new_privs). No seccomp filter: QEMU would inherit it; QEMU's own
	 * -sandbox is its filter. */
	if (sandbox_drop_privileges(&qemud_spawner_policy, &self, &err) < 0) {
		fprintf(stderr, "qemud-spawner: %s\n", err.message);
		_exit(1);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(1);
	for (;;)
		serve_one(sock);
}

int qemud_spawner_fork(const struct suite_ids *suite, const struct sv_paths *paths, int *sock, pid_t *pid,
		       struct sv_error *err)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot create the spawner socket");
	*pid = fork();
	if (*pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot fork the spawner");
	}
	if (*pid == 0) {
		close(sv[0]);
		spawner_main(sv[1], suite, paths);
	}
	close(sv[1]);
	*sock = sv[0];
	return 0;
}
