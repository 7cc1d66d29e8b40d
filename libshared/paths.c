/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdio.h>
#include <sys/stat.h>

#include "paths.h"

static char *xdg_dir(const char *var, const char *fallback_under_home)
{
	const char *v = getenv(var);
	const char *home = getenv("HOME");

	if (v && v[0] == '/')
		return xasprintf("%s/sepvirt", v);
	if (fallback_under_home && home && home[0] == '/')
		return xasprintf("%s/%s/sepvirt", home, fallback_under_home);
	return xasprintf("/tmp/sepvirt-%u", (unsigned)getuid());
}

int paths_init(struct sv_paths *p, struct sv_error *err)
{
	return paths_init_mode(p, geteuid() != 0, err);
}

int paths_init_mode(struct sv_paths *p, bool session, struct sv_error *err)
{
	const char *root = getenv("SEPVIRT_ROOT");

	memset(p, 0, sizeof(*p));
	p->session = session;
	if (root && root[0]) {
		if (root[0] != '/')
			return sv_error_set(err, SV_FROM_NONE, SV_ERR_INVALID_ARG, EINVAL,
					    "SEPVIRT_ROOT '%s' is not an absolute path", root);
		p->root = xstrdup(root);
		p->run_dir = xasprintf("%s/run", root);
		p->config_dir = xasprintf("%s/etc", root);
		p->state_dir = xasprintf("%s/lib", root);
		p->log_dir = xasprintf("%s/log", root);
	} else if (!p->session) {
		p->run_dir = xstrdup("/run/sepvirt");
		p->config_dir = xstrdup("/etc/sepvirt");
		p->state_dir = xstrdup("/var/lib/sepvirt");
		p->log_dir = xstrdup("/var/log/sepvirt");
	} else {
		_cleanup_free_ char *data = xdg_dir("XDG_DATA_HOME", ".local/share");
		p->run_dir = xdg_dir("XDG_RUNTIME_DIR", NULL);
		p->config_dir = xasprintf("%s/etc", data);
		p->state_dir = xasprintf("%s/lib", data);
		p->log_dir = xasprintf("%s/log", data);
	}
	return 0;
}

void paths_free(struct sv_paths *p)
{
	free(p->root);
	free(p->run_dir);
	free(p->config_dir);
	free(p->state_dir);
	free(p->log_dir);
	memset(p, 0, sizeof(*p));
}

char *paths_socket(const struct sv_paths *p, const char *name)
{
	return xasprintf("%s/%s.sock", p->run_dir, name);
}

int paths_mkdir_p(const char *path, mode_t mode)
{
	_cleanup_free_ char *buf = xstrdup(path);

	for (char *s = buf + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(buf, mode) < 0 && errno != EEXIST)
				return -errno;
			*s = c;
			if (!c)
				break;
		}
	}
	return 0;
}

int paths_make_private_dir(const char *path, uid_t uid, gid_t gid, mode_t mode, struct sv_error *err)
{
	int r = paths_mkdir_p(path, 0755);

	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, r, "cannot create directory '%s'", path);
	if (geteuid() == 0 && chown(path, uid, gid) < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot chown '%s'", path);
	if (chmod(path, mode) < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot chmod '%s'", path);
	return 0;
}
