/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Can each daemon's user reach its directories? A SEPVIRT_ROOT under a directory only root
 * may search lets every daemon start as root, create its directories and then fail once it
 * runs as its own user; the supervisor would restart it again and again. sepvirtd asks first,
 * as each user, and says once what to fix. */
#include "config.h"

#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "identity.h"
#include "sepvirtd-check.h"
#include "util.h"

/* The first directory on the way to (and including) dir that the caller cannot search, with
 * its owner and mode; NULL when every one can be searched. */
static char *first_blocked(const char *dir)
{
	_cleanup_free_ char *copy = xstrdup(dir);
	struct stat st;

	for (char *slash = copy; slash; slash = strchr(slash + 1, '/')) {
		char keep = slash[1];
		/* the prefix up to and including this slash, then the whole path */
		slash[1] = '\0';
		if (access(copy, X_OK) < 0 && errno == EACCES) {
			int ok = stat(copy, &st) == 0;
			if (slash != copy)
				*slash = '\0'; /* named without its trailing slash */
			char *out = ok ? xasprintf("'%s' (owner uid %u gid %u, mode %04o)", copy, (unsigned)st.st_uid,
						    (unsigned)st.st_gid, (unsigned)(st.st_mode & 07777))
				       : xasprintf("'%s'", copy);
			return out;
		}
		slash[1] = keep;
		if (!keep)
			break;
	}
	if (access(copy, X_OK) < 0 && errno == EACCES)
		return xasprintf("'%s'", copy);
	return NULL;
}

/* As uid/gid (and the daemons' group): the first blocked directory of any of dirs, written
 * to fd. The child exits 0 when there is none. */
static pid_t check_as(uid_t uid, gid_t gid, gid_t extra, const char *const *dirs, int fd)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	gid_t groups[1] = { extra };
	if (setgroups(extra == (gid_t)-1 ? 0 : 1, groups) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		_exit(2);
	for (size_t i = 0; dirs[i]; i++) {
		_cleanup_free_ char *blocked = first_blocked(dirs[i]);
		if (blocked) {
			dprintf(fd, "%s, on the way to '%s'", blocked, dirs[i]);
			_exit(1);
		}
	}
	_exit(0);
}

int sepvirtd_check_access(const struct sv_paths *paths, char **msg)
{
	const char *const dirs[] = { paths->run_dir, paths->config_dir, paths->state_dir, paths->log_dir, NULL };
	struct suite_ids ids;
	struct sv_error err;
	struct {
		const char *user;
		uid_t uid;
		gid_t gid;
	} users[3];
	_cleanup_free_ char *text = NULL;

	if (geteuid() != 0 || suite_ids_resolve(&ids, false, &err) < 0)
		return 0;
	users[0].user = suite_proxy_user(), users[0].uid = ids.proxy_uid, users[0].gid = ids.proxy_gid;
	users[1].user = suite_qemu_user(), users[1].uid = ids.qemu_uid, users[1].gid = ids.qemu_gid;
	users[2].user = suite_storage_user(), users[2].uid = ids.storage_uid, users[2].gid = ids.storage_gid;
	for (size_t i = 0; i < ARRAY_SIZE(users); i++) {
		char buf[2048];
		int pfd[2], status = 0;
		ssize_t n = 0, got;
		pid_t pid;

		if (users[i].uid == 0 || pipe2(pfd, O_CLOEXEC) < 0)
			continue;
		pid = check_as(users[i].uid, users[i].gid, ids.daemon_gid, dirs, pfd[1]);
		close(pfd[1]);
		while (pid > 0 && (size_t)n < sizeof(buf) - 1 && (got = read(pfd[0], buf + n, sizeof(buf) - 1 - n)) > 0)
			n += got;
		close(pfd[0]);
		buf[n] = '\0';
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 1)
			continue; /* reachable, or the check itself could not run: the daemon will tell */
		char *line = xasprintf("%s%suser %s (uid %u) needs search (x) access to %s", text ? text : "",
				       text ? "; " : "", users[i].user, (unsigned)users[i].uid, buf);
		free(text);
		text = line;
	}
	if (!text)
		return 0;
	*msg = xasprintf("the daemons' users cannot reach their directories: %s. Give them access (e.g. chmod o+x "
			 "on that directory, or an ACL) or choose a SEPVIRT_ROOT they can reach; not starting the daemons",
			 text);
	return -EACCES;
}
