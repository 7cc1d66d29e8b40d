/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "images.h"
#include "util.h"

static char *dirs; /* "DIR1:DIR2" */

void qemud_images_init(const struct sv_paths *paths)
{
	const char *env = getenv("SEPVIRT_IMAGE_DIRS");

	free(dirs);
	if (env && env[0])
		dirs = xstrdup(env);
	else if (paths->root || paths->session)
		dirs = xasprintf("%s/images", paths->state_dir);
	else
		dirs = xasprintf("%s/images:/var/lib/libvirt/images", paths->state_dir);
}

void qemud_images_fini(void)
{
	free(dirs);
	dirs = NULL;
}

const char *qemud_images_dirs(void) { return dirs ? dirs : ""; }

/* Whether path lies strictly inside one of the directories (by name). */
static bool inside_dirs(const char *path)
{
	_cleanup_free_ char *list = xstrdup(qemud_images_dirs());
	char *save = NULL;

	for (char *d = strtok_r(list, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		size_t n = strlen(d);
		while (n > 1 && d[n - 1] == '/')
			n--;
		if (d[0] == '/' && strncmp(path, d, n) == 0 && path[n] == '/' && path[n + 1])
			return true;
	}
	return false;
}

static bool has_dot_component(const char *path)
{
	for (const char *p = path; (p = strchr(p, '/')); p++)
		if ((p[1] == '.' && (p[2] == '/' || !p[2])) || (p[1] == '.' && p[2] == '.' && (p[3] == '/' || !p[3])))
			return true;
	return false;
}

int qemud_image_path_check(const char *disk, const char *path, struct sv_error *err)
{
	if (path[0] != '/' || has_dot_component(path) || !inside_dirs(path))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EACCES,
				    "disk '%s': image '%s' is not inside an image directory (%s; set SEPVIRT_IMAGE_DIRS, "
				    "or use a storage pool volume)", disk, path, qemud_images_dirs());
	return 0;
}

int qemud_image_open(const char *path, bool read_only, struct sv_error *err)
{
	struct open_how how = {
		.flags = (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	char real[PATH_MAX];
	struct stat st;
	int fd;

	if (path[0] != '/' || has_dot_component(path) || !realpath(path, real))
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, path[0] == '/' ? errno : EINVAL,
					  "cannot open image '%s'", path);
	/* Checked after resolution: a symlink inside a directory pointing out of it is refused. */
	if (!inside_dirs(real))
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EACCES,
				    "image '%s' (resolved to '%s') is not inside an image directory (%s)", path, real,
				    qemud_images_dirs());
	/* No symlink may be swapped in between realpath and the open. */
	fd = (int)syscall(SYS_openat2, AT_FDCWD, real, &how, sizeof(how));
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_QEMU, SV_ERR_SYSTEM, errno, "cannot open image '%s'%s", path,
					  errno == EACCES ? " (the spawner opens images as uid 0 without CAP_DAC_OVERRIDE: "
							    "root must own the image)" : "");
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sv_error_set(err, SV_FROM_QEMU, SV_ERR_INVALID_ARG, EINVAL, "image '%s' is not a regular file", path);
	}
	return fd;
}
