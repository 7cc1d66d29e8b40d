/* Console pty and its log relay. */
#include "config.h"

#include <cap-ng.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <termios.h>

#include "console.h"

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

/* The relay: master -> log, until the pty hangs up (no slave left). It needs no privilege. */
static _Noreturn void relay(int master, int log, const char *path)
{
	char buf[8192];
	struct stat st;
	off_t size = fstat(log, &st) == 0 ? st.st_size : 0;

	setsid();
	for (int fd = 3; fd < 1024; fd++)
		if (fd != master && fd != log)
			close(fd);
	capng_clear(CAPNG_SELECT_BOTH);
	capng_apply(CAPNG_SELECT_BOTH);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	prctl(PR_SET_NAME, "sepvirt-lxc-con", 0, 0, 0);
	for (;;) {
		ssize_t n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		if (size + n > LXCD_CONSOLE_LOG_MAX) {
			log = rotate(log, path);
			size = 0;
		}
		size += n;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(log, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break; /* a full disk loses output, never blocks the container */
			off += w;
		}
	}
}

int lxcd_console_open(const char *log_path, uid_t uid, gid_t gid, struct lxcd_console *con, struct sv_error *err)
{
	_cleanup_close_ int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	_cleanup_close_ int log = -1, slave = -1;
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
	pid = fork();
	if (pid < 0)
		return sv_error_set_errno(err, SV_FROM_LXC, SV_ERR_SYSTEM, errno, "cannot fork the console relay");
	if (pid == 0) {
		close(slave);
		relay(master, log, log_path);
	}
	con->slave = TAKE_FD(slave);
	return 0;
}
