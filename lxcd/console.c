/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Console pty, its log relay, and the socket through which a client may attach. */
#include "config.h"

#include <cap-ng.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>

#include "console.h"
#include "lxcd.h"

/* NAME.log -> NAME.log.1, and a new NAME.log; on failure the old one goes on (truncated). */
static int rotate(int log, const char *path)
{
	char old[4096];
	int fd;

	snprintf(old, sizeof(old), "%s.1", path);
	if (rename(path, old) == 0 &&
	    (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600)) >= 0) {
		close(log);
		return fd;
	}
	(void)!ftruncate(log, 0);
	return log;
}

static void write_full(int fd, const char *buf, ssize_t n)
{
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(fd, buf + off, (size_t)(n - off));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* a full disk loses output, never blocks the container */
		off += w;
	}
}

/* The relay's confinement: no capability, no_new_privs, writes only in its log's directory
 * (Landlock, where the kernel has it) and its allowlist (sandbox.c). Nothing to log to: a
 * failure ends it, and the container's output then goes nowhere, which lxcd's console shows. */
static void relay_confine(const char *log_path)
{
	_cleanup_free_ char *dir = xstrdup(log_path);
	char *slash = strrchr(dir, '/');
	_cleanup_close_ int dfd = -1;
	struct sv_error err;

	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_apply(CAPNG_SELECT_BOTH) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(1);
	if (slash)
		*slash = '\0';
	dfd = open(slash ? dir : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		_exit(1);
	int r = sandbox_restrict_writes(lxcd_console_policy.daemon,
					&(struct sandbox_write_path){ dfd, dir }, 1, &err);
	if (r < 0 && r != -EOPNOTSUPP)
		_exit(1);
	if (sandbox_load_filter(&lxcd_console_policy, &err) < 0)
		_exit(1);
}

/* The relay: master -> log (and -> the attached client), client -> master, until the pty hangs
 * up (no slave left). One client at a time; a new one takes over (virsh console --force). A
 * client that does not read loses output rather than stalling the container. It needs no
 * privilege. */
static _Noreturn void relay(int master, int log, const char *log_path, int lsock, const char *sock_path)
{
	char buf[8192];
	struct stat st;
	off_t size = fstat(log, &st) == 0 ? st.st_size : 0;
	int client = -1;

	setsid();
	for (int fd = 3; fd < 1024; fd++)
		if (fd != master && fd != log && fd != lsock)
			close(fd);
	prctl(PR_SET_NAME, "sepvirt-lxc-con", 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	relay_confine(log_path);
	for (;;) {
		struct pollfd p[3] = { { .fd = master, .events = POLLIN }, { .fd = lsock, .events = POLLIN },
				       { .fd = client, .events = POLLIN } };
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents) {
			ssize_t n = read(master, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			if (size + n > LXCD_CONSOLE_LOG_MAX) {
				log = rotate(log, log_path);
				size = 0;
			}
			size += n;
			write_full(log, buf, n);
			if (client >= 0 && send(client, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
			    errno != EAGAIN && errno != EINTR) {
				close(client);
				client = -1;
			}
		}
		if (lsock >= 0 && (p[1].revents & POLLIN)) {
			int c = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
			if (c >= 0) {
				if (client >= 0)
					close(client);
				client = c;
			}
		}
		if (client >= 0 && p[2].revents) {
			ssize_t n = read(client, buf, sizeof(buf));
			if (n <= 0) {
				close(client);
				client = -1;
			} else {
				write_full(master, buf, n); /* the container's input */
			}
		}
	}
	if (sock_path)
		unlink(sock_path);
	_exit(0);
}

/* NAME.console beside NAME.log, for clients to attach; -1 (no attaching) when it cannot be. */
static int listen_console(const char *log_path, char **sock_path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t l = strlen(log_path);
	int fd;

	*sock_path = NULL;
	if (l < 4 || strcmp(log_path + l - 4, ".log") != 0 || l - 4 + strlen(".console") >= sizeof(sa.sun_path))
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%.*s.console", (int)(l - 4), log_path);
	unlink(sa.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(sa.sun_path, 0600) < 0 || listen(fd, 2) < 0) {
		close(fd);
		return -1;
	}
	*sock_path = strdup(sa.sun_path);
	return fd;
}

int lxcd_console_open(const char *log_path, uid_t uid, gid_t gid, struct lxcd_console *con, struct sv_error *err)
{
	_cleanup_close_ int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	_cleanup_close_ int log = -1, slave = -1, lsock = -1;
	_cleanup_free_ char *sock_path = NULL;
	struct termios t;
	pid_t pid;

	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, con->path, sizeof(con->path)) != 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot open a console pty");
	slave = open(con->path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot open '%s'", con->path);
	/* The container's root owns its console, as on a host. */
	if (fchown(slave, uid, gid) < 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot chown '%s'", con->path);
	/* A log, not a terminal: no echo, no \n -> \r\n. */
	if (tcgetattr(slave, &t) == 0) {
		t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		t.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(slave, TCSANOW, &t);
	}
	log = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (log < 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot open '%s'", log_path);
	lsock = listen_console(log_path, &sock_path);
	pid = fork();
	if (pid < 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot fork the console relay");
	if (pid == 0) {
		close(slave);
		relay(master, log, log_path, lsock, sock_path);
	}
	con->slave = TAKE_FD(slave);
	return 0;
}

int lxcd_console_connect(const char *log_path, int *fd, struct sv_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t l = strlen(log_path);
	_cleanup_close_ int s = -1;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%.*s.console", (int)(l > 4 ? l - 4 : l), log_path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_OPERATION_FAILED, errno,
					  "cannot reach the console of the container ('%s')", sa.sun_path);
	*fd = TAKE_FD(s);
	return 0;
}
