/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>

#include "identity.h"
#include "util.h"

static const char *env_or(const char *var, const char *def)
{
	const char *v = getenv(var);
	return v && v[0] ? v : def;
}

const char *suite_proxy_user(void) { return env_or("SEPVIRT_PROXY_USER", SEPVIRT_PROXY_USER_DEFAULT); }
const char *suite_qemu_user(void) { return env_or("SEPVIRT_QEMU_USER", SEPVIRT_QEMU_USER_DEFAULT); }
const char *suite_storage_user(void) { return env_or("SEPVIRT_STORAGE_USER", SEPVIRT_STORAGE_USER_DEFAULT); }
const char *suite_daemon_group(void) { return env_or("SEPVIRT_DAEMON_GROUP", SEPVIRT_DAEMON_GROUP_DEFAULT); }
const char *suite_admin_group(void) { return env_or("SEPVIRT_ADMIN_GROUP", SEPVIRT_ADMIN_GROUP_DEFAULT); }

static int user_ids(const char *name, const char *var, uid_t *uid, gid_t *gid, struct sv_error *err)
{
	struct passwd *pw = getpwnam(name);

	if (!pw)
		return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, ENOENT,
				    "user '%s' does not exist: create it with 'useradd --system --user-group %s' "
				    "(make install does) or set %s", name, name, var);
	if (pw->pw_uid == 0)
		return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, EINVAL,
				    "user '%s' (%s) is root: a daemon's user must be unprivileged", name, var);
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int suite_vm_range_parse(const char *text, uid_t *first, uid_t *last, struct sv_error *err)
{
	unsigned long a, b;
	char tail;

	if (sscanf(text, "%lu-%lu%c", &a, &b, &tail) != 2 || a == 0 || b < a || b >= 0xffffffffUL)
		return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_INVALID_ARG, EINVAL,
				    "SEPVIRT_VM_UIDS '%s' is not a range FIRST-LAST of uids above 0", text);
	*first = (uid_t)a;
	*last = (uid_t)b;
	return 0;
}

int suite_ids_resolve(struct suite_ids *ids, bool session, struct sv_error *err)
{
	const char *range = env_or("SEPVIRT_VM_UIDS", SEPVIRT_VM_UIDS_DEFAULT);
	struct group *gr;
	int r;

	memset(ids, 0, sizeof(*ids));
	ids->session = session;
	ids->admin_gid = (gid_t)-1;
	if (session) {
		/* One user runs everything: every role is its own uid, and QEMU runs as it too. */
		ids->proxy_uid = ids->qemu_uid = ids->storage_uid = geteuid();
		ids->proxy_gid = ids->qemu_gid = ids->storage_gid = ids->daemon_gid = getegid();
		ids->vm_uid_first = ids->vm_uid_last = geteuid();
		return 0;
	}
	if ((r = user_ids(suite_proxy_user(), "SEPVIRT_PROXY_USER", &ids->proxy_uid, &ids->proxy_gid, err)) < 0 ||
	    (r = user_ids(suite_qemu_user(), "SEPVIRT_QEMU_USER", &ids->qemu_uid, &ids->qemu_gid, err)) < 0 ||
	    (r = user_ids(suite_storage_user(), "SEPVIRT_STORAGE_USER", &ids->storage_uid, &ids->storage_gid, err)) < 0)
		return r;
	if (ids->proxy_uid == ids->qemu_uid || ids->proxy_uid == ids->storage_uid || ids->qemu_uid == ids->storage_uid)
		return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_INVALID_ARG, EINVAL,
				    "users '%s', '%s' and '%s' must be three different uids: each daemon has its own",
				    suite_proxy_user(), suite_qemu_user(), suite_storage_user());
	gr = getgrnam(suite_daemon_group());
	if (!gr)
		return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, ENOENT,
				    "group '%s' does not exist: create it with 'groupadd --system %s' (make install does) "
				    "or set SEPVIRT_DAEMON_GROUP", suite_daemon_group(), suite_daemon_group());
	ids->daemon_gid = gr->gr_gid;
	gr = getgrnam(suite_admin_group());
	if (gr && gr->gr_gid != 0)
		ids->admin_gid = gr->gr_gid;
	r = suite_vm_range_parse(range, &ids->vm_uid_first, &ids->vm_uid_last, err);
	if (r < 0)
		return r;
	if (suite_vm_uid(ids, ids->proxy_uid) || suite_vm_uid(ids, ids->qemu_uid) || suite_vm_uid(ids, ids->storage_uid) ||
	    suite_vm_uid(ids, ids->daemon_gid) || (ids->admin_gid != (gid_t)-1 && suite_vm_uid(ids, ids->admin_gid)))
		return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_INVALID_ARG, EINVAL,
				    "SEPVIRT_VM_UIDS '%s' holds the uid or gid of a daemon: QEMUs must share no id with them",
				    range);
	return 0;
}

bool suite_vm_uid(const struct suite_ids *ids, uid_t uid)
{
	return uid >= ids->vm_uid_first && uid <= ids->vm_uid_last;
}

unsigned suite_roles_of(const struct suite_ids *ids, uid_t uid)
{
	unsigned roles = 0;

	if (uid == 0)
		roles |= ROLE_ROOT;
	if (ids->session && uid == geteuid())
		return roles | ROLE_ANY;
	if (uid == ids->proxy_uid)
		roles |= ROLE_PROXY;
	if (uid == ids->qemu_uid)
		roles |= ROLE_QEMUD;
	if (uid == ids->storage_uid)
		roles |= ROLE_STORAGED;
	return roles;
}

const char *suite_roles_name(unsigned roles, char *buf, size_t len)
{
	static const char *const names[] = { "root", "sepvirt-proxyd", "sepvirt-qemud", "sepvirt-storaged" };
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(roles & (1u << i)))
			continue;
		int n = snprintf(buf + off, len - off, "%s%s", off ? " or " : "", names[i]);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	if (!buf[0])
		snprintf(buf, len, "nobody");
	return buf;
}
