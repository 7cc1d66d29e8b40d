/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "identity.h"
#include "log.h"
#include "settings.h"
#include "util.h"

#define MAX_LINE 4096

static int check_name(const char *v, const char **why)
{
	for (const char *p = v; *p; p++)
		if (*p == ':' || *p == ',' || *p == '/' || *p == ' ' || *p == '\t') {
			*why = "is not a user or group name";
			return -1;
		}
	return 0;
}

static int check_uint(const char *v, const char **why)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (v[0] == '-' || errno || *end || n > 0x7fffffffULL) {
		*why = "is not a number from 0 to 2147483647";
		return -1;
	}
	return 0;
}

static int check_range(const char *v, const char **why)
{
	uid_t a, b;

	if (suite_vm_range_parse(v, &a, &b, NULL) < 0) {
		*why = "is not a range FIRST-LAST of uids above 0";
		return -1;
	}
	return 0;
}

/* DIR:DIR... of absolute paths. */
static int check_paths(const char *v, const char **why)
{
	_cleanup_free_ char *list = xstrdup(v);
	char *save = NULL;

	for (char *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save))
		if (p[0] != '/') {
			*why = "is not a list of absolute paths separated by ':'";
			return -1;
		}
	return 0;
}

static int check_level(const char *v, const char **why)
{
	enum log_level l;

	if (log_level_parse(v, &l) < 0) {
		*why = "is not one of error, warning, info, debug";
		return -1;
	}
	return 0;
}

static int check_output(const char *v, const char **why)
{
	enum log_output o;

	if (log_output_parse(v, &o) < 0) {
		*why = "is not one of file, stderr, syslog";
		return -1;
	}
	return 0;
}

static int check_owners(const char *v, const char **why)
{
	for (const char *p = v; *p; p++)
		if (*p == ' ' || *p == ':' || *p == '/') {
			*why = "is not a comma-separated list of users or uids";
			return -1;
		}
	return 0;
}

const struct settings_key settings_keys[] = {
	{ "log_level", "SEPVIRT_LOG_LEVEL", check_level },
	{ "log_output", "SEPVIRT_LOG_OUTPUT", check_output },
	{ "proxy_user", "SEPVIRT_PROXY_USER", check_name },
	{ "qemu_user", "SEPVIRT_QEMU_USER", check_name },
	{ "storage_user", "SEPVIRT_STORAGE_USER", check_name },
	{ "daemon_group", "SEPVIRT_DAEMON_GROUP", check_name },
	{ "admin_group", "SEPVIRT_ADMIN_GROUP", check_name },
	{ "vm_uids", "SEPVIRT_VM_UIDS", check_range },
	{ "image_dirs", "SEPVIRT_IMAGE_DIRS", check_paths },
	{ "qemu_binaries", "SEPVIRT_QEMU_BINARIES", check_paths },
	{ "storage_owners", "SEPVIRT_STORAGE_OWNERS", check_owners },
	{ "max_clients", "SEPVIRT_MAX_CLIENTS", check_uint },
	{ "max_clients_per_uid", "SEPVIRT_MAX_CLIENTS_PER_UID", check_uint },
	{ "qmp_timeout_ms", "SEPVIRT_QMP_TIMEOUT_MS", check_uint },
	{ "agent_timeout_ms", "SEPVIRT_AGENT_TIMEOUT_MS", check_uint },
	{ "daemon_call_timeout_ms", "SEPVIRT_DAEMON_CALL_TIMEOUT_MS", check_uint },
	{ "lxc_shutdown_timeout_ms", "SEPVIRT_LXC_SHUTDOWN_TIMEOUT_MS", check_uint },
	{ "call_timeout_ms", "SEPVIRT_CALL_TIMEOUT_MS", check_uint },
	{ "client_spin_us", "SEPVIRT_CLIENT_SPIN_US", check_uint },
	{ NULL, NULL, NULL },
};

static const struct settings_key *find_key(const char *key)
{
	for (const struct settings_key *k = settings_keys; k->key; k++)
		if (streq(k->key, key))
			return k;
	return NULL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* The file decides who the daemons run as: only its owner (root, or the session's user) may
 * write it. */
static int check_file(int fd, const char *path, struct sv_error *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot stat '%s'", path);
	if (!S_ISREG(st.st_mode))
		return sv_error_set(err, SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED, EINVAL, "'%s' is not a regular file", path);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return sv_error_set(err, SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED, EPERM,
				    "'%s' is owned by uid %u: only root (or the session's own user) may own it", path,
				    (unsigned)st.st_uid);
	if (st.st_mode & 022)
		return sv_error_set(err, SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED, EPERM,
				    "'%s' may be written by others (mode %04o): it decides who the daemons run as",
				    path, (unsigned)(st.st_mode & 07777));
	return 0;
}

/* Calls take(key, value) for each valid line; the first bad one is the error. */
static int parse_file(const char *path, void (*take)(const struct settings_key *k, const char *value, void *ud),
		      void *ud, struct sv_error *err)
{
	_cleanup_fclose_ FILE *f = NULL;
	char line[MAX_LINE];
	bool seen[ARRAY_SIZE(settings_keys)] = { false };
	unsigned lineno = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), r;

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot read '%s'", path);
	r = check_file(fd, path, err);
	if (r < 0) {
		close(fd);
		return r;
	}
	f = fdopen(fd, "re");
	if (!f) {
		close(fd);
		return sv_error_set_errno(err, SV_FROM_NONE, SV_ERR_SYSTEM, errno, "cannot read '%s'", path);
	}
	while (fgets(line, sizeof(line), f)) {
		const struct settings_key *k;
		const char *why = NULL;
		char *s, *eq, *key, *value;

		lineno++;
		if (!strchr(line, '\n') && !feof(f))
			return sv_error_set(err, SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED, EINVAL,
					    "%s line %u: longer than %d characters", path, lineno, MAX_LINE - 2);
		s = trim(line);
		if (!s[0] || s[0] == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq)
			return sv_error_set(err, SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED, EINVAL,
					    "%s line %u: '%s' is not 'key = value'", path, lineno, s);
		*eq = '\0';
		key = trim(s);
		value = trim(eq + 1);
		if (value[0] == '"' && value[1] && value[strlen(value) - 1] == '"') {
			value[strlen(value) - 1] = '\0';
			value++;
		}
		k = find_key(key);
		if (!k)
			return sv_error_set(err, SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED, EINVAL,
					    "%s line %u: unknown key '%s' (sepvirt.conf(5) lists the keys)", path, lineno, key);
		if (seen[k - settings_keys])
			return sv_error_set(err, SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED, EINVAL,
					    "%s line %u: key '%s' is set twice", path, lineno, key);
		seen[k - settings_keys] = true;
		if (!value[0] || k->check(value, &why) < 0)
			return sv_error_set(err, SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED, EINVAL,
					    "%s line %u: %s '%s' %s", path, lineno, key, value, why ? why : "is empty");
		take(k, value, ud);
	}
	return 0;
}

static void set_env(const struct settings_key *k, const char *value, void *ud)
{
	/* The environment overrides the file. */
	if (!getenv(k->env))
		setenv(k->env, value, 0);
}

int settings_load_file(const char *path, struct sv_error *err)
{
	return parse_file(path, set_env, NULL, err);
}

struct lookup {
	const char *key;
	char *buf;
	size_t len;
	bool found;
};

static void take_one(const struct settings_key *k, const char *value, void *ud)
{
	struct lookup *l = ud;

	if (streq(k->key, l->key)) {
		snprintf(l->buf, l->len, "%s", value);
		l->found = true;
	}
}

bool settings_lookup(const char *config_dir, const char *key, char *buf, size_t len)
{
	_cleanup_free_ char *path = xasprintf("%s/sepvirt.conf", config_dir);
	struct lookup l = { .key = key, .buf = buf, .len = len };
	const struct settings_key *k = find_key(key);
	const char *env = k ? getenv(k->env) : NULL;

	if (env) {
		snprintf(buf, len, "%s", env);
		return true;
	}
	/* A client takes what a good file says; a bad one is the daemons' to report. */
	return parse_file(path, take_one, &l, NULL) == 0 && l.found;
}

int settings_load(const char *config_dir, struct sv_error *err)
{
	_cleanup_free_ char *path = xasprintf("%s/sepvirt.conf", config_dir);

	return settings_load_file(path, err);
}
