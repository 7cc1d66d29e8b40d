/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Launch requests: from a domain definition to "key=value\0" records and back. */
#include "config.h"

#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>

#include "launch.h"

struct buf {
	char *data;
	size_t len;
};

static void put(struct buf *b, const char *key, const char *fmt, ...) _printf_(3, 4);
static void put(struct buf *b, const char *key, const char *fmt, ...)
{
	_cleanup_free_ char *value = NULL;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	if (vasprintf(&value, fmt, ap) < 0)
		abort();
	va_end(ap);
	n = strlen(key) + 1 + strlen(value) + 1;
	b->data = xrealloc(b->data, b->len + n);
	sprintf(b->data + b->len, "%s=%s", key, value);
	b->len += n;
}

static const struct domain_filesystem *root_fs(const struct domain_def *def)
{
	for (size_t i = 0; i < def->nfilesystems; i++)
		if (streq(def->filesystems[i].target_dir, "/"))
			return &def->filesystems[i];
	return NULL;
}

/* The name of interface i inside the container: its <guest dev>, else eth<i> (netd's default). */
static void guest_dev_name(const struct domain_def *def, size_t i, char name[IFNAMSIZ])
{
	if (def->interfaces[i].guest_dev)
		snprintf(name, IFNAMSIZ, "%s", def->interfaces[i].guest_dev);
	else
		snprintf(name, IFNAMSIZ, "eth%u", (unsigned)i);
}

/* Two interfaces with one name inside (or one named lo) could never both be created. */
static int check_guest_dev(const struct domain_def *def, size_t i, struct sv_error *err)
{
	char mine[IFNAMSIZ], other[IFNAMSIZ];

	guest_dev_name(def, i, mine);
	if (streq(mine, "lo"))
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, EINVAL,
				    "interface %zu: guest dev 'lo' is the container's loopback device", i);
	for (size_t j = 0; j < i; j++) {
		guest_dev_name(def, j, other);
		if (streq(mine, other))
			return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, EEXIST,
					    "interfaces %zu and %zu would both be '%s' inside the container "
					    "(<guest dev>, else eth<N>)", j, i, mine);
	}
	return 0;
}

int lxcd_launch_check(const struct domain_def *def, struct sv_error *err)
{
	if (def->type != DOMAIN_VIRT_LXC)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "domain type '%s' is not served by sepvirt-lxcd (lxc is)",
				    domain_virt_type_to_string(def->type));
	if (!def->os.init)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, EINVAL,
				    "element 'os/init' is required: the container's first process");
	if (def->os.init[0] != '/')
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, EINVAL,
				    "'os/init' '%s' must be an absolute path inside the container", def->os.init);
	if (!root_fs(def))
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "a 'filesystem' with target dir '/' is required: sepvirt does not share the "
				    "host's root with a container");
	if (def->ndisks)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "element 'devices/disk' is not supported for containers");
	for (size_t i = 0; i < DOMAIN_TIMER_LAST; i++)
		if (def->timers[i].given)
			return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
					    "element 'clock/timer' is not supported for containers");
	if (def->pm_suspend_to_mem || def->pm_suspend_to_disk)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
				    "element 'pm' is not supported for containers");
	if (def->nuidmap > 32 || def->ngidmap > 32 || def->os.ninitargs >= LXCD_LAUNCH_MAX_ITEMS ||
	    def->os.ninitenv + 4 >= LXCD_LAUNCH_MAX_ITEMS || def->nfilesystems >= LXCD_LAUNCH_MAX_ITEMS)
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, E2BIG,
				    "too many idmap, initarg, initenv or filesystem entries");
	/* A container's interface is a veth netd creates (PROC_NET_CREATE_VETH): the host end for
	 * ethernet, on the source bridge for bridge, on the network's bridge for network. Anything
	 * else is refused, not left out. */
	for (size_t i = 0; i < def->ninterfaces; i++) {
		const struct domain_interface *n = &def->interfaces[i];
		if (n->type != DOMAIN_NET_ETHERNET && n->type != DOMAIN_NET_BRIDGE && n->type != DOMAIN_NET_NETWORK)
			return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
					    "interface type '%s' is not supported for containers (only 'ethernet', "
					    "'bridge' and 'network', as veths)", domain_net_type_to_string(n->type));
		if (n->type == DOMAIN_NET_BRIDGE && (!n->source || !n->source[0]))
			return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, EINVAL,
					    "interface %zu of type 'bridge' names no source bridge", i);
		if (domain_interface_is_unmanaged(n))
			return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, ENOTSUP,
					    "interface %zu: target managed='no' is not supported for containers "
					    "(sepvirt-netd always creates the veth)", i);
		int r = check_guest_dev(def, i, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int lxcd_launch_encode(const struct domain_def *def, const char *log_path, char **out, size_t *outlen,
		       struct sv_error *err)
{
	struct buf b = { 0 };
	int r = lxcd_launch_check(def, err);

	if (r < 0)
		return r;
	put(&b, "name", "%s", def->name);
	put(&b, "rootfs", "%s", root_fs(def)->src_dir);
	put(&b, "log", "%s", log_path);
	put(&b, "arg", "%s", def->os.init);
	for (size_t i = 0; i < def->os.ninitargs; i++)
		put(&b, "arg", "%s", def->os.initargs[i]);
	/* libvirt's LXC driver gives init these; <initenv> may override nothing of them. */
	put(&b, "env", "PATH=/bin:/sbin:/usr/bin:/usr/sbin");
	put(&b, "env", "container=sepvirt-lxc");
	put(&b, "env", "LIBVIRT_LXC_NAME=%s", def->name);
	for (size_t i = 0; i < def->os.ninitenv; i++)
		put(&b, "env", "%s=%s", def->os.initenv[i].name, def->os.initenv[i].value);
	for (size_t i = 0; i < def->nfilesystems; i++) {
		const struct domain_filesystem *fs = &def->filesystems[i];
		if (streq(fs->target_dir, "/"))
			continue;
		put(&b, fs->readonly ? "mount_ro" : "mount_rw", "%s", fs->src_dir);
		put(&b, "mount_dst", "%s", fs->target_dir);
	}
	if (def->nuidmap) {
		for (size_t i = 0; i < def->nuidmap; i++)
			put(&b, "uidmap", "%u %u %u", def->uidmap[i].start, def->uidmap[i].target, def->uidmap[i].count);
		for (size_t i = 0; i < def->ngidmap; i++)
			put(&b, "gidmap", "%u %u %u", def->gidmap[i].start, def->gidmap[i].target, def->gidmap[i].count);
	} else {
		put(&b, "uidmap", "0 %u %u", LXCD_DEFAULT_ID_BASE, LXCD_DEFAULT_ID_COUNT);
		put(&b, "gidmap", "0 %u %u", LXCD_DEFAULT_ID_BASE, LXCD_DEFAULT_ID_COUNT);
	}
	put(&b, "memory", "%llu", def->memory_kib * 1024ULL);
	put(&b, "vcpus", "%u", def->vcpus);
	if (b.len > LXCD_LAUNCH_MAX) {
		free(b.data);
		return sv_error_set(err, SV_FROM_LXC, SV_ERR_CONFIG_UNSUPPORTED, E2BIG, "the container's definition is too large");
	}
	*out = b.data;
	*outlen = b.len;
	return 0;
}

static int bad(struct sv_error *err, const char *what, const char *value)
{
	return sv_error_set(err, SV_FROM_LXC, SV_ERR_INVALID_ARG, EINVAL, "launch request: bad %s '%s'", what, value);
}

/* An absolute path without "..": what the container may see is what the definition names. */
static bool clean_path(const char *p)
{
	return p[0] == '/' && !strstr(p, "/../") && !(strlen(p) >= 3 && streq(p + strlen(p) - 3, "/.."));
}

/* A decimal number up to max, nothing before or after it (strtoull alone takes "-1" and "2x"). */
static bool parse_number(const char *v, unsigned long long max, unsigned long long *out)
{
	unsigned long long n;
	char *end;

	if (v[0] < '0' || v[0] > '9')
		return false;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || *end || n > max)
		return false;
	*out = n;
	return true;
}

static int parse_map(const char *v, struct domain_idmap *maps, size_t *n, struct sv_error *err)
{
	struct domain_idmap m;
	int end = 0;

	if (*n >= 32 || sscanf(v, "%u %u %u%n", &m.start, &m.target, &m.count, &end) != 3 || v[end] ||
	    strchr(v, '-') || !m.count)
		return bad(err, "id map", v);
	maps[(*n)++] = m;
	return 0;
}

int lxcd_launch_decode(char *buf, size_t len, struct lxcd_launch *req, struct sv_error *err)
{
	int r = 0;

	memset(req, 0, sizeof(*req));
	buf[len] = '\0';
	for (char *rec = buf, *next; r == 0 && rec < buf + len; rec = next) {
		char *v = strchr(rec, '=');

		next = rec + strlen(rec) + 1;
		if (!v)
			return bad(err, "record", rec);
		*v++ = '\0';
		if (streq(rec, "name"))
			req->name = v;
		else if (streq(rec, "rootfs"))
			req->rootfs = v;
		else if (streq(rec, "log"))
			req->log_path = v;
		else if (streq(rec, "arg") && req->argc < LXCD_LAUNCH_MAX_ITEMS)
			req->argv[req->argc++] = v;
		else if (streq(rec, "env") && req->nenv < LXCD_LAUNCH_MAX_ITEMS)
			req->env[req->nenv++] = v;
		else if ((streq(rec, "mount_ro") || streq(rec, "mount_rw")) && req->nmounts < LXCD_LAUNCH_MAX_ITEMS) {
			req->mounts[req->nmounts].src = v;
			req->mounts[req->nmounts].readonly = streq(rec, "mount_ro");
		} else if (streq(rec, "mount_dst") && req->nmounts < LXCD_LAUNCH_MAX_ITEMS &&
			   req->mounts[req->nmounts].src) {
			req->mounts[req->nmounts++].dst = v;
		} else if (streq(rec, "uidmap"))
			r = parse_map(v, req->uidmap, &req->nuidmap, err);
		else if (streq(rec, "gidmap"))
			r = parse_map(v, req->gidmap, &req->ngidmap, err);
		else if (streq(rec, "memory")) {
			if (!parse_number(v, ULLONG_MAX, &req->memory_bytes))
				return bad(err, "memory", v);
		} else if (streq(rec, "vcpus")) {
			unsigned long long n;
			if (!parse_number(v, UINT_MAX, &n))
				return bad(err, "vcpus", v);
			req->vcpus = (unsigned)n;
		} else
			return bad(err, "record", rec);
	}
	if (r < 0)
		return r;
	if (!req->name || !req->name[0] || strchr(req->name, '/') || req->name[0] == '.' || strlen(req->name) > 64)
		return bad(err, "name", req->name ? req->name : "");
	if (!req->rootfs || !clean_path(req->rootfs) || streq(req->rootfs, "/"))
		return bad(err, "root filesystem", req->rootfs ? req->rootfs : "");
	if (!req->log_path || !clean_path(req->log_path))
		return bad(err, "log path", req->log_path ? req->log_path : "");
	if (!req->argc || !clean_path(req->argv[0]))
		return bad(err, "init", req->argc ? req->argv[0] : "");
	for (size_t i = 0; i < req->nmounts; i++)
		if (!clean_path(req->mounts[i].src) || !clean_path(req->mounts[i].dst))
			return bad(err, "filesystem", req->mounts[i].dst ? req->mounts[i].dst : req->mounts[i].src);
	if (!req->nuidmap || !req->ngidmap)
		return bad(err, "id map", "");
	return 0;
}
