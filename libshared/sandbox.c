/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <cap-ng.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>

#include "log.h"
#include "sandbox.h"

static uid_t role_uid(const struct suite_ids *ids, enum suite_role role, gid_t *gid)
{
	switch (role) {
	case ROLE_PROXY:
		*gid = ids->proxy_gid;
		return ids->proxy_uid;
	case ROLE_QEMUD:
		*gid = ids->qemu_gid;
		return ids->qemu_uid;
	case ROLE_STORAGED:
		*gid = ids->storage_gid;
		return ids->storage_uid;
	default:
		*gid = 0;
		return 0;
	}
}

int sandbox_resolve(const struct sandbox_policy *p, const struct suite_ids *ids, struct sandbox_identity *id,
		    struct sv_error *err)
{
	memset(id, 0, sizeof(*id));
	id->uid = geteuid();
	id->gid = getegid();
	id->extra_gid = (gid_t)-1;
	id->session = geteuid() != 0;
	if (id->session)
		return 0;
	/* The driver sockets' group: how the daemons reach each other's sockets, and nobody else
	 * (a QEMU is never in it). */
	id->extra_gid = ids->daemon_gid;
	if (p->role == ROLE_ROOT)
		return 0;
	id->uid = role_uid(ids, p->role, &id->gid);
	if (id->uid == 0)
		return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_INTERNAL, EINVAL, "%s: no user for its role", p->daemon);
	id->switch_user = true;
	return 0;
}

int sandbox_drop_privileges(const struct sandbox_policy *p, const struct sandbox_identity *id, struct sv_error *err)
{
	pid_t parent = getppid();
	int pdeath = 0;
	int r;

	if (id->session) {
		/* An ordinary user: there is nothing to switch to, and its sets are empty already;
		 * clear them anyway so a file capability on the binary gives nothing. */
		capng_clear(CAPNG_SELECT_CAPS);
		if (capng_apply(CAPNG_SELECT_CAPS) < 0)
			return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, EPERM,
					    "%s: cannot clear capabilities", p->daemon);
		return 0;
	}
	if (prctl(PR_GET_PDEATHSIG, &pdeath, 0, 0, 0) < 0)
		pdeath = 0;
	capng_clear(CAPNG_SELECT_BOTH);
	for (size_t i = 0; i < p->ncaps; i++)
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET, p->caps[i].cap);
	if (id->switch_user) {
		gid_t groups[1] = { id->extra_gid };
		/* Supplementary groups first: only the driver sockets' group. */
		if (setgroups(id->extra_gid != (gid_t)-1 ? 1 : 0, groups) < 0)
			return sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, errno,
						  "%s: setgroups failed", p->daemon);
		/* Bounding set first, while CAP_SETPCAP is still ours: only the declared caps stay. */
		r = capng_apply(CAPNG_SELECT_BOUNDS);
		if (r < 0)
			return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, EPERM,
					    "%s: cannot narrow the bounding set (capng_apply %d)", p->daemon, r);
		r = capng_change_id(id->uid, id->gid, CAPNG_NO_FLAG);
		if (r < 0)
			return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, EPERM,
					    "%s: cannot switch to uid %u gid %u (capng_change_id %d)",
					    p->daemon, (unsigned)id->uid, (unsigned)id->gid, r);
	} else {
		gid_t groups[1] = { id->extra_gid };
		if (setgroups(id->extra_gid != (gid_t)-1 ? 1 : 0, groups) < 0)
			return sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, errno,
						  "%s: setgroups failed", p->daemon);
		r = capng_apply(CAPNG_SELECT_BOTH);
		if (r < 0)
			return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, EPERM,
					    "%s: cannot apply capability set (capng_apply %d)", p->daemon, r);
	}
	/* Nothing may come back through ambient capabilities either. */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	/* A uid switch clears the parent-death signal the supervisor asked for: arm it again, so a
	 * daemon never outlives sepvirtd as an orphan beside the next one's copy. */
	if (pdeath > 0)
		prctl(PR_SET_PDEATHSIG, pdeath, 0, 0, 0);
	if (pdeath > 0 && getppid() != parent)
		raise(pdeath); /* the supervisor died while the signal was off */
#ifdef SEPVIRT_SANITIZERS
	/* The uid switch made the process non-dumpable, so LeakSanitizer's tracer could not read
	 * /proc/self/task at exit. Only in sanitizer builds. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
	return 0;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t action, const struct sandbox_syscall *s,
		    const char *daemon, struct sv_error *err)
{
	int nr = seccomp_syscall_resolve_name(s->name);
	int r;

	if (nr == __NR_SCMP_ERROR)
		return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_INTERNAL, EINVAL,
				    "%s: unknown syscall '%s' in the allowlist", daemon, s->name);
	r = seccomp_rule_add_array(ctx, action, nr, s->nargs, s->args);
	if (r < 0 && r != -EEXIST)
		return sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_INTERNAL, r,
					  "%s: cannot add seccomp rule for '%s'", daemon, s->name);
	return 0;
}

static bool sanitizer_needs(const char *name)
{
#ifdef SEPVIRT_SANITIZERS
	for (size_t i = 0; i < sandbox_group_sanitizer.ncalls; i++)
		if (streq(sandbox_group_sanitizer.calls[i].name, name))
			return true;
#endif
	return false;
}

int sandbox_load_filter(const struct sandbox_policy *p, struct sv_error *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int r = 0;

	if (!ctx)
		return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_INTERNAL, ENOMEM, "%s: seccomp_init failed", p->daemon);
	for (size_t i = 0; r == 0 && p->killed && i < p->killed->ncalls; i++)
		if (!sanitizer_needs(p->killed->calls[i].name))
			r = add_rule(ctx, SCMP_ACT_KILL_PROCESS, &p->killed->calls[i], p->daemon, err);
	for (size_t g = 0; r == 0 && p->groups && p->groups[g]; g++)
		for (size_t i = 0; r == 0 && i < p->groups[g]->ncalls; i++)
			r = add_rule(ctx, SCMP_ACT_ALLOW, &p->groups[g]->calls[i], p->daemon, err);
	for (size_t i = 0; r == 0 && i < p->nsyscalls; i++)
		r = add_rule(ctx, SCMP_ACT_ALLOW, &p->syscalls[i], p->daemon, err);
#ifdef SEPVIRT_SANITIZERS
	for (size_t i = 0; r == 0 && i < sandbox_group_sanitizer.ncalls; i++)
		r = add_rule(ctx, SCMP_ACT_ALLOW, &sandbox_group_sanitizer.calls[i], p->daemon, err);
#endif
	if (r == 0) {
		/* no_new_privs first: the filter may then be loaded without CAP_SYS_ADMIN, and no
		 * exec'd child could ever regain privileges. */
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			r = sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, errno,
					       "%s: PR_SET_NO_NEW_PRIVS failed", p->daemon);
	}
	if (r == 0) {
		r = seccomp_load(ctx);
		if (r < 0)
			r = sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, r,
					       "%s: cannot load the seccomp filter", p->daemon);
	}
	seccomp_release(ctx);
	return r;
}

int sandbox_load_denylist(const char *who, const struct sandbox_syscall *calls, size_t n, struct sv_error *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r = 0;

	if (!ctx)
		return sv_error_set(err, SV_FROM_SANDBOX, SV_ERR_INTERNAL, ENOMEM, "%s: seccomp_init failed", who);
#if defined(__x86_64__)
	/* -EEXIST (already there) and -EINVAL (a kernel without x32) are both fine. */
	seccomp_arch_add(ctx, SCMP_ARCH_X86);
	seccomp_arch_add(ctx, SCMP_ARCH_X32);
#endif
	for (size_t i = 0; r == 0 && i < n; i++) {
		int nr = seccomp_syscall_resolve_name(calls[i].name);
		if (nr == __NR_SCMP_ERROR)
			continue;
		r = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EPERM), nr, calls[i].nargs, calls[i].args);
		if (r == -EEXIST)
			r = 0;
		if (r < 0)
			r = sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_INTERNAL, r,
					       "%s: cannot add seccomp rule for '%s'", who, calls[i].name);
	}
	if (r == 0 && (r = seccomp_load(ctx)) < 0)
		r = sv_error_set_errno(err, SV_FROM_SANDBOX, SV_ERR_SYSTEM, r, "%s: cannot load the seccomp filter", who);
	seccomp_release(ctx);
	return r;
}

int sandbox_enter(const struct sandbox_policy *p, const struct suite_ids *ids, struct sv_error *err)
{
	struct sandbox_identity id;
	int r = sandbox_resolve(p, ids, &id, err);

	if (r < 0)
		return r;
	r = sandbox_drop_privileges(p, &id, err);
	if (r < 0)
		return r;
	return sandbox_load_filter(p, err);
}
