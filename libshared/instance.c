/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "instance.h"
#include "util.h"

char *instance_lock_path(const char *run_dir, const char *name)
{
	return xasprintf("%s/%s.pid", run_dir, name);
}

/* F_GETLK: who holds a lock that would conflict with ours (-1 when the file is free). */
static pid_t lock_owner(int fd)
{
	struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	if (fcntl(fd, F_GETLK, &q) < 0 || q.l_type == F_UNLCK)
		return -1;
	return q.l_pid > 0 ? q.l_pid : 0; /* 0: a holder in another pid namespace */
}

int instance_lock(const char *path, pid_t *holder)
{
	/* A few rounds: the file may be released, or unlinked by its last holder, in between. */
	for (int round = 0; round < 8; round++) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		_cleanup_close_ int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
		struct stat have, now;
		char text[24];
		int len;

		if (fd < 0)
			return -errno;
		if (fcntl(fd, F_SETLK, &fl) < 0) {
			if (errno != EAGAIN && errno != EACCES)
				return -errno;
			pid_t pid = lock_owner(fd);
			if (pid < 0)
				continue; /* released since: try again */
			*holder = pid;
			return -EAGAIN;
		}
		/* Locked, but perhaps an inode its last holder unlinked on the way out: the lock
		 * that counts is the one on the file path names now. */
		if (fstat(fd, &have) < 0 || stat(path, &now) < 0 || have.st_dev != now.st_dev || have.st_ino != now.st_ino)
			continue;
		len = snprintf(text, sizeof(text), "%d\n", (int)getpid());
		if (ftruncate(fd, 0) < 0 || pwrite(fd, text, (size_t)len, 0) != len)
			return -errno;
		return TAKE_FD(fd);
	}
	*holder = 0;
	return -EAGAIN;
}

pid_t instance_holder(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	pid_t pid;

	if (fd < 0)
		return 0;
	pid = lock_owner(fd);
	return pid > 0 ? pid : 0;
}

int instance_claim(const char *run_dir, const char *name, struct sv_error *err)
{
	_cleanup_free_ char *path = instance_lock_path(run_dir, name);
	pid_t holder = 0;
	int fd = instance_lock(path, &holder);

	if (fd == -EAGAIN)
		return sv_error_set(err, SV_FROM_NONE, SV_ERR_OPERATION_INVALID, EAGAIN,
				    "%s is already running (pid %d): not starting a second copy (lock '%s')",
				    name, (int)holder, path);
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, -fd, "cannot lock '%s'", path);
	return fd;
}

bool instance_socket_live(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return false;
	strcpy(sa.sun_path, path);
	/* EAGAIN: its backlog is full, which is a live listener too. */
	return connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 || errno == EAGAIN;
}
