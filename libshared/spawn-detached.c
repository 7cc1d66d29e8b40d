/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Starting a process that outlives its spawner (see spawn-detached.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn-detached.h"

int spawn_detached(spawn_child_fn child, void *userdata, pid_t *pid_out)
{
	int pfd[2];
	pid_t mid, pid = -1;
	int child_errno = 0;
	ssize_t n;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	mid = fork();
	if (mid < 0) {
		int e = errno;
		close(pfd[0]);
		close(pfd[1]);
		return -e;
	}
	if (mid == 0) {
		close(pfd[0]);
		setsid();
		pid_t c = fork();
		if (c == 0) {
			child(userdata, pfd[1]);
			_exit(127);
		}
		(void)!write(pfd[1], &c, sizeof(c));
		_exit(c < 0 ? 1 : 0);
	}
	close(pfd[1]);
	waitpid(mid, NULL, 0);
	n = read(pfd[0], &pid, sizeof(pid));
	if (n == (ssize_t)sizeof(pid) && pid > 0) {
		/* EOF when exec succeeded (the pipe is close-on-exec); an errno when it failed. */
		n = read(pfd[0], &child_errno, sizeof(child_errno));
		if (n != (ssize_t)sizeof(child_errno))
			child_errno = 0;
	}
	close(pfd[0]);
	if (pid <= 0)
		return -EAGAIN;
	if (child_errno)
		return -child_errno;
	*pid_out = pid;
	return 0;
}
