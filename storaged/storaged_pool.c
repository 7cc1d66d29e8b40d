/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pool objects: definitions, markers, lookup and the pool's directory. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "atomic-file.h"
#include "identity.h"
#include "log.h"
#include "policy.h"
#include "storaged_pool.h"
#include "storaged_volume.h"
#include "xml/uuid.h"

#define POOL_DIR_MODE 0711 /* a pool directory without <mode> */

struct storaged storaged;

int storaged_err_no_pool(struct sv_error *err, const char *pool)
{
	return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_NO_POOL, ENOENT,
			    "Storage pool not found: no storage pool with matching name '%s'", pool);
}

int storaged_err_inactive(struct sv_error *err, const char *pool)
{
	return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_INVALID, EINVAL,
			    "Requested operation is not valid: storage pool '%s' is not active", pool);
}

static char *def_path(const char *name) { return xasprintf("%s/%s.xml", storaged.config_dir, name); }
static char *autostart_path(const char *name) { return xasprintf("%s/%s", storaged.autostart_dir, name); }
static char *active_path(const char *name) { return xasprintf("%s/%s.active", storaged.state_dir, name); }

static int marker_set(const char *path, bool on, struct sv_error *err)
{
	return on ? atomic_file_write(path, "", 0, 0600, err) : atomic_file_remove(path, err);
}

static bool marker_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

struct storaged_pool *storaged_pool_find(const char *key)
{
	unsigned char uuid[SV_UUID_LEN];
	bool is_uuid = sv_uuid_parse(key, uuid) == 0;

	for (size_t i = 0; i < storaged.npools; i++) {
		struct storaged_pool *p = storaged.pools[i];
		if (streq(p->def->name, key) || (is_uuid && !memcmp(p->def->uuid, uuid, SV_UUID_LEN)))
			return p;
	}
	return NULL;
}

int storaged_pool_get(const char *key, bool must_be_active, struct storaged_pool **out, struct sv_error *err)
{
	struct storaged_pool *p;

	if (!key || !*key)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, EINVAL, "no storage pool given");
	p = storaged_pool_find(key);
	if (!p)
		return storaged_err_no_pool(err, key);
	if (must_be_active && !p->active)
		return storaged_err_inactive(err, p->def->name);
	*out = p;
	return 0;
}

struct storaged_pool *storaged_pool_by_file(const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');

	if (path[0] != '/' || !slash || !slash[1])
		return NULL;
	for (size_t i = 0; i < storaged.npools; i++) {
		struct storaged_pool *p = storaged.pools[i];
		size_t l = strlen(p->def->target_path);
		/* the file itself must sit in the pool's directory, not below it */
		if (p->active && (size_t)(slash - path) == l && !strncmp(path, p->def->target_path, l)) {
			*name = slash + 1;
			return p;
		}
	}
	return NULL;
}

static void pool_free(struct storaged_pool *p)
{
	if (!p)
		return;
	if (p->dir_fd >= 0)
		close(p->dir_fd);
	pool_def_free(p->def);
	free(p);
}

static struct storaged_pool *pool_add(struct pool_def *def)
{
	struct storaged_pool *p = xcalloc(1, sizeof(*p));

	p->def = def;
	p->dir_fd = -1;
	storaged.pools = xrealloc(storaged.pools, (storaged.npools + 1) * sizeof(*storaged.pools));
	storaged.pools[storaged.npools++] = p;
	return p;
}

static void pool_remove(struct storaged_pool *p)
{
	for (size_t i = 0; i < storaged.npools; i++)
		if (storaged.pools[i] == p) {
			memmove(&storaged.pools[i], &storaged.pools[i + 1],
				(storaged.npools - i - 1) * sizeof(*storaged.pools));
			storaged.npools--;
			break;
		}
	pool_free(p);
}

/* Who storaged is, for a message telling an administrator what to grant. */
static char *who_am_i(void)
{
	uid_t uid = storaged_policy_uid();

	if (storaged.ctx && !storaged.ctx->id.session)
		return xasprintf("user %s (uid %u, gid %u)", suite_storage_user(), (unsigned)uid,
				 (unsigned)storaged_policy_gid());
	return xasprintf("uid %u (gid %u)", (unsigned)uid, (unsigned)storaged_policy_gid());
}

static char *dir_facts(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0)
		return xstrdup("");
	return xasprintf(" (owned by uid %u gid %u, mode %04o)", (unsigned)st.st_uid, (unsigned)st.st_gid,
			 (unsigned)(st.st_mode & 07777));
}

/* Why storaged cannot reach or create path: the first directory on the way it may not search,
 * else the parent it may not write into. NULL when access(2) finds nothing missing. */
static char *access_hint(const char *path, bool create)
{
	_cleanup_free_ char *copy = xstrdup(path), *who = who_am_i();
	char *slash;

	for (slash = strchr(copy + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (access(copy, X_OK) < 0 && errno == EACCES) {
			_cleanup_free_ char *facts = dir_facts(copy);
			return xasprintf("%s needs search (x) access to '%s'%s", who, copy, facts);
		}
		*slash = '/';
	}
	slash = strrchr(copy, '/');
	if (!create || !slash)
		return NULL;
	if (slash == copy)
		slash[1] = '\0'; /* the parent is / */
	else
		*slash = '\0';
	if (access(copy, W_OK | X_OK) < 0 && errno == EACCES) {
		_cleanup_free_ char *facts = dir_facts(copy);
		return xasprintf("%s needs write and search (wx) access to '%s'%s to create '%s' in it", who, copy,
				 facts, path);
	}
	return NULL;
}

/* A permission error that says which user needs which access to what (issue 17). */
static int err_access(struct sv_error *err, int errnum, const char *what, const struct pool_def *def, bool create)
{
	_cleanup_free_ char *hint = access_hint(def->target_path, create);

	if (!hint)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errnum, "cannot %s directory '%s' of storage pool '%s'",
					  what, def->target_path, def->name);
	return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errnum,
			    "cannot %s directory '%s' of storage pool '%s': permission denied: %s", what,
			    def->target_path, def->name, hint);
}

/* Opens the target directory; a path that is not a directory is refused by name. */
static int open_target(const struct pool_def *def, struct sv_error *err)
{
	int fd = open(def->target_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;

	if (fd >= 0)
		return fd;
	if (errno == ENOTDIR || (errno == ELOOP && lstat(def->target_path, &st) == 0 && !S_ISDIR(st.st_mode)) ||
	    (stat(def->target_path, &st) == 0 && !S_ISDIR(st.st_mode)))
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_INVALID_ARG, ENOTDIR,
				    "cannot open storage pool '%s': target path '%s' is not a directory",
				    def->name, def->target_path);
	if (errno == ENOENT)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_INVALID, ENOENT,
				    "cannot open directory '%s' of storage pool '%s': it does not exist (run pool-build)",
				    def->target_path, def->name);
	if (errno == EACCES)
		return err_access(err, EACCES, "open", def, false);
	return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno,
				  "cannot open directory '%s' of storage pool '%s'", def->target_path, def->name);
}

/* What pool-build finds at the target path when it did not create it: used as it is, never
 * chowned or chmodded, but only when storaged may safely put volumes there. */
static int check_existing(const struct pool_def *def, int fd, struct sv_error *err)
{
	uid_t uid = storaged_policy_uid();
	gid_t gid = storaged_policy_gid();
	struct stat st;

	if (fstat(fd, &st) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot stat '%s'",
					  def->target_path);
	if (st.st_mode & S_IWOTH)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_INVALID, EPERM,
				    "cannot build storage pool '%s': directory '%s' already exists and is world-writable "
				    "(mode %04o); pool-build does not take over existing directories",
				    def->name, def->target_path, (unsigned)(st.st_mode & 07777));
	/* the kernel looks at the owner's bits for the owner, the group's for the group */
	if (st.st_uid == uid ? (st.st_mode & S_IRWXU) == S_IRWXU
			     : st.st_gid == gid && (st.st_mode & S_IRWXG) == S_IRWXG)
		return 0;
	return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_INVALID, EACCES,
			    "cannot build storage pool '%s': directory '%s' already exists, owned by uid %u gid %u with "
			    "mode %04o, and sepvirt-storaged (uid %u gid %u) cannot write it; pool-build does not take "
			    "over existing directories: give it to uid %u or make it group-writable for gid %u",
			    def->name, def->target_path, (unsigned)st.st_uid, (unsigned)st.st_gid,
			    (unsigned)(st.st_mode & 07777), (unsigned)uid, (unsigned)gid, (unsigned)uid, (unsigned)gid);
}

/* A directory storaged has just created: the mode and owner the definition asks for. */
static int apply_perms(const struct pool_def *def, int fd, struct sv_error *err)
{
	const struct storage_perms *perms = &def->perms;
	unsigned mode = perms->has_mode ? perms->mode : POOL_DIR_MODE;

	if ((perms->uid >= 0 || perms->gid >= 0) &&
	    fchown(fd, (uid_t)perms->uid, (gid_t)perms->gid) < 0) /* CAP_CHOWN, an owner the policy allows */
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno,
					  "cannot give directory '%s' owner %lld and group %lld", def->target_path,
					  perms->uid, perms->gid);
	if (fchmod(fd, mode) < 0) /* CAP_FOWNER when chowned away */
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno,
					  "cannot set mode 0%o on directory '%s'", mode, def->target_path);
	return 0;
}

static int check_perms(const struct pool_def *def, struct sv_error *err)
{
	_cleanup_free_ char *subject = xasprintf("storage pool '%s'", def->name);

	return storaged_policy_check_perms(subject, &def->perms, 07, POOL_DIR_MODE, err);
}

int storaged_pool_build(struct storaged_pool *p, struct sv_error *err)
{
	const struct pool_def *def = p->def;
	_cleanup_close_ int fd = -1;
	bool created;
	struct stat st;
	int r;

	if (p->active)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_INVALID, EBUSY,
				    "Requested operation is not valid: storage pool '%s' is already active", def->name);
	/* a definition saved before the policy existed is checked again */
	if ((r = check_perms(def, err)) < 0)
		return r;
	if (lstat(def->target_path, &st) == 0 && S_ISLNK(st.st_mode))
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_INVALID, ELOOP,
				    "cannot build storage pool '%s': target path '%s' is a symbolic link, which "
				    "sepvirt-storaged does not follow", def->name, def->target_path);
	/* private until its mode is set */
	created = mkdir(def->target_path, 0700) == 0;
	if (!created && (errno == EACCES || errno == EPERM))
		return err_access(err, errno, "create", def, true);
	if (!created && errno != EEXIST)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno,
					  "cannot create directory '%s' of storage pool '%s'", def->target_path, def->name);
	fd = open_target(def, err);
	if (fd < 0)
		return fd;
	/* ours only if still owned by us: a directory swapped in meanwhile is not taken over */
	created = created && fstat(fd, &st) == 0 && st.st_uid == storaged_policy_uid();
	r = created ? apply_perms(def, fd, err) : check_existing(def, fd, err);
	if (r < 0 && created)
		unlinkat(AT_FDCWD, def->target_path, AT_REMOVEDIR); /* an error leaves nothing behind */
	return r;
}

static int activate(struct storaged_pool *p, struct sv_error *err)
{
	int fd = open_target(p->def, err);

	if (fd < 0)
		return fd;
	p->dir_fd = fd;
	p->active = true;
	storaged_pool_clean_tmp(p);
	storaged_vol_check_all(p, NULL); /* logs the volumes VOL_OPEN will refuse; the pool starts */
	return storaged_pool_refresh(p, err);
}

int storaged_pool_start(struct storaged_pool *p, struct sv_error *err)
{
	_cleanup_free_ char *marker = active_path(p->def->name);
	int r;

	if (p->active)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_INVALID, EBUSY,
				    "Requested operation is not valid: storage pool '%s' is already active", p->def->name);
	r = activate(p, err);
	if (r >= 0)
		r = marker_set(marker, true, err);
	if (r < 0) {
		if (p->dir_fd >= 0)
			close(p->dir_fd);
		p->dir_fd = -1;
		p->active = false;
	}
	return r;
}

int storaged_pool_stop(struct storaged_pool *p, struct sv_error *err)
{
	_cleanup_free_ char *marker = active_path(p->def->name);

	if (!p->active)
		return storaged_err_inactive(err, p->def->name);
	if (marker_set(marker, false, err) < 0)
		return -EIO;
	close(p->dir_fd);
	p->dir_fd = -1;
	p->active = false;
	p->def->capacity = p->def->allocation = p->def->available = 0;
	return 0;
}

int storaged_pool_set_autostart(struct storaged_pool *p, bool enable, struct sv_error *err)
{
	_cleanup_free_ char *marker = autostart_path(p->def->name);
	int r = marker_set(marker, enable, err);

	if (r >= 0)
		p->autostart = enable;
	return r;
}

int storaged_pool_refresh(struct storaged_pool *p, struct sv_error *err)
{
	struct statvfs sv;
	unsigned long long alloc = 0;
	_cleanup_close_ int dfd = -1;
	DIR *d;
	struct dirent *de;

	if (!p->active)
		return storaged_err_inactive(err, p->def->name);
	if (fstatvfs(p->dir_fd, &sv) < 0)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot statvfs '%s'",
					  p->def->target_path);
	dfd = openat(p->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || !(d = fdopendir(dfd)))
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot list '%s'",
					  p->def->target_path);
	dfd = -1; /* the DIR owns it */
	while ((de = readdir(d))) {
		struct stat st;
		if (de->d_name[0] == '.' || fstatat(p->dir_fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		alloc += (unsigned long long)st.st_blocks * 512;
	}
	closedir(d);
	p->def->capacity = (unsigned long long)sv.f_blocks * sv.f_frsize;
	p->def->available = (unsigned long long)sv.f_bavail * sv.f_frsize;
	/* as libvirt: what the volumes use, not what the whole filesystem uses */
	p->def->allocation = alloc;
	return 0;
}

void storaged_pool_clean_tmp(struct storaged_pool *p)
{
	_cleanup_close_ int dfd = openat(p->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;

	if (!d)
		return;
	dfd = -1;
	while ((de = readdir(d)))
		if (startswith(de->d_name, STORAGED_TMP_PREFIX)) {
			if (unlinkat(p->dir_fd, de->d_name, 0) == 0)
				log_info("pool '%s': removed '%s' left by an unfinished call", p->def->name, de->d_name);
		}
	closedir(d);
}

int storaged_pool_define(struct pool_def *def, struct storaged_pool **out, struct sv_error *err)
{
	_cleanup_pool_def_ struct pool_def *owned = def;
	_cleanup_free_ char *xml = NULL, *path = NULL;
	struct storaged_pool *p = storaged_pool_find(def->name);
	char uuid[SV_UUID_STRING_LEN];
	int r;

	for (size_t i = 0; i < storaged.npools; i++) {
		struct storaged_pool *o = storaged.pools[i];
		if (o == p)
			continue;
		if (!memcmp(o->def->uuid, def->uuid, SV_UUID_LEN) && !def->uuid_generated) {
			sv_uuid_format(o->def->uuid, uuid);
			return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_EXISTS, EEXIST,
					    "operation failed: pool '%s' already exists with uuid %s", o->def->name, uuid);
		}
		if (streq(o->def->target_path, def->target_path))
			return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_EXISTS, EEXIST,
					    "operation failed: Storage source conflict with pool: '%s'", o->def->name);
	}
	if (p) {
		/* redefining keeps the identity: same uuid, or the one it already has */
		if (!def->uuid_generated && memcmp(p->def->uuid, def->uuid, SV_UUID_LEN)) {
			sv_uuid_format(p->def->uuid, uuid);
			return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_EXISTS, EEXIST,
					    "operation failed: pool '%s' already exists with uuid %s", p->def->name, uuid);
		}
		memcpy(def->uuid, p->def->uuid, SV_UUID_LEN);
		if (p->active && !streq(p->def->target_path, def->target_path))
			return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_INVALID, EBUSY,
					    "Requested operation is not valid: cannot change the target path of active storage pool '%s'",
					    p->def->name);
	}
	r = check_perms(def, err);
	if (r < 0)
		return r;
	def->capacity = def->allocation = def->available = 0;
	r = pool_def_format(def, 0, &xml, err);
	if (r < 0)
		return r;
	path = def_path(def->name);
	/* A new pool starts without autostart: a mark left by an earlier pool of that name (see
	 * undefine) goes first, while nothing is done yet. */
	if (!p) {
		_cleanup_free_ char *auto_marker = autostart_path(def->name);
		r = marker_set(auto_marker, false, err);
		if (r < 0)
			return r;
	}
	r = atomic_file_write(path, xml, strlen(xml), 0600, err);
	if (r < 0)
		return r;
	if (p) {
		pool_def_free(p->def);
		p->def = TAKE_PTR(owned);
		if (p->active)
			storaged_pool_refresh(p, NULL);
	} else {
		p = pool_add(TAKE_PTR(owned));
	}
	*out = p;
	return 0;
}

int storaged_pool_undefine(struct storaged_pool *p, struct sv_error *err)
{
	_cleanup_free_ char *path = def_path(p->def->name);
	_cleanup_free_ char *auto_marker = autostart_path(p->def->name);
	int r;

	if (p->active)
		return sv_error_set(err, SV_FROM_STORAGE, SV_ERR_OPERATION_INVALID, EBUSY,
				    "Requested operation is not valid: storage pool '%s' is active", p->def->name);
	/* The definition first: its removal is the undefine (an error before it: nothing done);
	 * a mark that cannot be removed after it counts for nothing (define removes it first). */
	r = atomic_file_remove(path, err);
	if (r < 0)
		return r;
	if ((r = atomic_file_remove(auto_marker, NULL)) < 0)
		log_warn("storage pool '%s' undefined, but its autostart mark '%s' stays: %s", p->def->name,
			 auto_marker, strerror(-r));
	pool_remove(p);
	return 0;
}

static void load_one(const char *file)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", storaged.config_dir, file);
	_cleanup_free_ char *xml = NULL, *auto_marker = NULL, *act = NULL;
	struct pool_def *def = NULL;
	struct storaged_pool *p;
	struct sv_error err;
	size_t len;

	if (file_read_all(path, &xml, &len, &err) < 0 || pool_def_parse(xml, len, 0, &def, &err) < 0) {
		log_error("ignoring pool definition '%s': %s", path, err.message);
		return;
	}
	if (storaged_pool_find(def->name)) {
		log_error("ignoring pool definition '%s': pool '%s' is defined twice", path, def->name);
		pool_def_free(def);
		return;
	}
	def->capacity = def->allocation = def->available = 0;
	p = pool_add(def);
	auto_marker = autostart_path(def->name);
	act = active_path(def->name);
	p->autostart = marker_exists(auto_marker);
	if (!p->autostart && !marker_exists(act))
		return;
	if (activate(p, &err) < 0) {
		log_warn("storage pool '%s' stays inactive: %s", def->name, err.message);
		if (p->dir_fd >= 0)
			close(p->dir_fd);
		p->dir_fd = -1;
		p->active = false;
		atomic_file_remove(act, NULL);
		return;
	}
	marker_set(act, true, NULL);
}

int storaged_pool_load_all(struct sv_error *err)
{
	DIR *d = opendir(storaged.config_dir);
	struct dirent *de;

	if (!d)
		return sv_error_set_errno(err, SV_FROM_STORAGE, SV_ERR_SYSTEM, errno, "cannot list '%s'",
					  storaged.config_dir);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] != '.' && l > 4 && streq(de->d_name + l - 4, ".xml"))
			load_one(de->d_name);
	}
	closedir(d);
	log_info("%zu storage pool(s) loaded", storaged.npools);
	return 0;
}
