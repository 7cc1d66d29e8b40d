/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The owner and mode policy of storaged (see policy.h). Without it, an XML <permissions>
 * made storaged a root primitive: a setuid, world-writable volume owned by root. */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>

#include "log.h"
#include "policy.h"

#define MODE_REFUSED (S_ISUID | S_ISGID | S_ISVTX | S_IWOTH)

static struct {
	uid_t uid;
	gid_t gid;
	uid_t *uids; /* what SEPVIRT_STORAGE_OWNERS adds */
	size_t nuids;
	gid_t *gids;
	size_t ngids;
} policy;

static int env_error(struct sv_error *err, const char *entry, const char *why)
{
	return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL, STORAGED_OWNERS_ENV ": '%s' %s", entry,
			    why);
}

/* One entry: a uid or a user name; a user's primary group becomes an allowed group. */
static int add_owner(const char *entry, struct sv_error *err)
{
	struct passwd *pw;
	char *end;
	unsigned long v;
	uid_t uid;

	errno = 0;
	v = strtoul(entry, &end, 10);
	if (entry[0] >= '0' && entry[0] <= '9' && !*end) {
		if (errno || v >= (uid_t)-1 || (uid_t)v != v)
			return env_error(err, entry, "is not a valid uid");
		uid = (uid_t)v;
		pw = getpwuid(uid);
	} else {
		pw = getpwnam(entry);
		if (!pw)
			return env_error(err, entry, "is not a uid nor the name of a user");
		uid = pw->pw_uid;
	}
	if (uid == 0)
		return env_error(err, entry, "is uid 0: root never owns a volume or pool");
	policy.uids = xrealloc(policy.uids, (policy.nuids + 1) * sizeof(*policy.uids));
	policy.uids[policy.nuids++] = uid;
	if (pw && pw->pw_gid != 0) {
		policy.gids = xrealloc(policy.gids, (policy.ngids + 1) * sizeof(*policy.gids));
		policy.gids[policy.ngids++] = pw->pw_gid;
	}
	return 0;
}

int storaged_policy_init(uid_t own_uid, gid_t own_gid, const char *owners, struct sv_error *err)
{
	_cleanup_free_ char *copy = xstrdup(owners ? owners : "");
	char *save = NULL;
	int r;

	storaged_policy_fini();
	policy.uid = own_uid;
	policy.gid = own_gid;
	for (char *e = strtok_r(copy, ", \t", &save); e; e = strtok_r(NULL, ", \t", &save))
		if ((r = add_owner(e, err)) < 0)
			return r;
	if (policy.nuids)
		log_info("volumes and pools may be owned by uid %u and the %zu user(s) " STORAGED_OWNERS_ENV " lists",
			 (unsigned)own_uid, policy.nuids);
	return 0;
}

void storaged_policy_fini(void)
{
	free(policy.uids);
	free(policy.gids);
	memset(&policy, 0, sizeof(policy));
}

uid_t storaged_policy_uid(void) { return policy.uid; }
gid_t storaged_policy_gid(void) { return policy.gid; }

int storaged_policy_check_mode(const char *subject, unsigned mode, struct sv_error *err)
{
	if (!(mode & MODE_REFUSED) && mode <= 07777)
		return 0;
	return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_PERMISSION, EPERM,
			    "%s: mode '%04o' is not allowed: setuid, setgid, sticky and world-writable bits are refused",
			    subject, mode);
}

/* uid_t and gid_t are both unsigned int on Linux */
static bool listed(const unsigned *ids, size_t n, unsigned id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

int storaged_policy_check_owner(const char *subject, long long uid, long long gid, struct sv_error *err)
{
	if (uid == 0 || gid == 0)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_PERMISSION, EPERM,
				    "%s: %s '0' is not allowed: sepvirt-storaged never gives a file to %s 0", subject,
				    uid == 0 ? "owner" : "group", uid == 0 ? "uid" : "gid");
	if (uid > 0 && uid != policy.uid && !listed(policy.uids, policy.nuids, (unsigned)uid))
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_PERMISSION, EPERM,
				    "%s: owner '%lld' is not allowed: only sepvirt-storaged's own uid %u and the users "
				    STORAGED_OWNERS_ENV " lists may own volumes and pools", subject, uid, (unsigned)policy.uid);
	if (gid > 0 && gid != policy.gid && !listed(policy.gids, policy.ngids, (unsigned)gid))
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_PERMISSION, EPERM,
				    "%s: group '%lld' is not allowed: only sepvirt-storaged's own gid %u and the primary "
				    "groups of the users " STORAGED_OWNERS_ENV " lists may be groups of volumes and pools",
				    subject, gid, (unsigned)policy.gid);
	return 0;
}

int storaged_policy_check_perms(const char *subject, const struct storage_perms *perms, unsigned need,
				unsigned dflt, struct sv_error *err)
{
	unsigned mode = perms->has_mode ? perms->mode : dflt;
	uid_t uid = perms->uid >= 0 ? (uid_t)perms->uid : policy.uid;
	gid_t gid = perms->gid >= 0 ? (gid_t)perms->gid : policy.gid;
	unsigned shift = uid == policy.uid ? 6 : gid == policy.gid ? 3 : 0;
	int r;

	if ((r = storaged_policy_check_mode(subject, mode, err)) < 0 ||
	    (r = storaged_policy_check_owner(subject, perms->uid, perms->gid, err)) < 0)
		return r;
	if ((mode & (need << shift)) == need << shift)
		return 0;
	return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_CONFIG_UNSUPPORTED, EACCES,
			    "unsupported configuration: permissions (mode 0%o, owner %lld, group %lld) of %s "
			    "would lock sepvirt-storaged (uid %u, gid %u) out of it", mode, (long long)uid, (long long)gid,
			    subject, (unsigned)policy.uid, (unsigned)policy.gid);
}
