/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Landlock (Documentation/userspace-api/landlock.rst): after sandbox_restrict_writes() the
 * process may change the filesystem only beneath the directories (and on the files) it
 * named, whatever its uid and whatever path it passes: an absolute path, which openat()
 * resolves without its dirfd, is refused like any other. Reads are not touched.
 * Raw syscalls: glibc has no wrappers. */
#include "config.h"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "sandbox.h"

/* Newer than some installed headers (ABI 3). */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

/* Every right that changes the filesystem (ABI 1). Not handled, so left as they are:
 * execute, read file, read directory, ioctl on devices. Not covered by Landlock at all:
 * chmod, chown, utimes, xattrs (the seccomp tables leave those out). */
#define WRITES_ABI1 (LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | \
		     LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | \
		     LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | \
		     LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | \
		     LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM)
/* The rights that mean something on a file that is not a directory. */
#define FILE_RIGHTS (LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE)

int sandbox_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return abi < 0 ? -errno : (int)abi;
}

static uint64_t handled_writes(int abi)
{
	uint64_t h = WRITES_ABI1;

	if (abi >= 2)
		h |= LANDLOCK_ACCESS_FS_REFER; /* moving a file between two allowed directories */
	if (abi >= 3)
		h |= LANDLOCK_ACCESS_FS_TRUNCATE; /* truncate(2) and O_TRUNC */
	return h;
}

int sandbox_restrict_writes(const char *who, const struct sandbox_write_path *allow, size_t n, struct sv_error *err)
{
	int abi = sandbox_landlock_abi();
	struct landlock_ruleset_attr attr;
	_cleanup_close_ int ruleset = -1;

	if (abi == -ENOSYS || abi == -EOPNOTSUPP)
		return sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, EOPNOTSUPP,
					  "%s: Landlock is not available (not built in or not enabled at boot)", who);
	if (abi < 1)
		return sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, -abi, "%s: cannot query Landlock", who);
	attr.handled_access_fs = handled_writes(abi);
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (ruleset < 0)
		return sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, errno,
					  "%s: cannot create a Landlock ruleset", who);
	for (size_t i = 0; i < n; i++) {
		struct landlock_path_beneath_attr rule = { .parent_fd = allow[i].fd };
		struct stat st;

		if (fstat(allow[i].fd, &st) < 0)
			return sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, errno,
						  "%s: cannot stat '%s'", who, allow[i].path);
		/* A directory: every write beneath it; a file (a device): writing to it only. */
		rule.allowed_access = attr.handled_access_fs & (S_ISDIR(st.st_mode) ? ~0ULL : FILE_RIGHTS);
		if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) < 0)
			return sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, errno,
						  "%s: cannot allow writes under '%s'", who, allow[i].path);
	}
	/* Landlock requires no_new_privs (or CAP_SYS_ADMIN); every caller sets it for its seccomp
	 * filter anyway, right after. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, errno,
					  "%s: PR_SET_NO_NEW_PRIVS failed", who);
	if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
		return sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, errno,
					  "%s: cannot enter the Landlock domain", who);
	return 0;
}
