/* netd's records, one line per device:
 *   KIND UUID INDEX IFNAME MANAGED IFINDEX DOMAIN-NAME...
 * Written through the directory fd kept from setup(): the sandbox lets openat, renameat and
 * unlinkat work relative to that fd only. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>

#include "ifname.h"
#include "log.h"
#include "paths.h"
#include "state.h"

#define STATE_FILE "devices"
#define STATE_TMP "devices.tmp"

int netd_state_open_dir(const char *state_dir, uid_t uid, gid_t gid, struct sv_error *err)
{
	_cleanup_free_ char *dir = xasprintf("%s/netd", state_dir);
	int r = paths_make_private_dir(dir, uid, gid, 0700, err);
	int fd;

	if (r < 0)
		return r;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno, "cannot open '%s'", dir);
	return fd;
}

static void dev_free_contents(struct netd_dev *d)
{
	free(d->domain_name);
	d->domain_name = NULL;
}

void netd_state_add(struct netd *n, struct netd_dev *d)
{
	if (n->ndevs == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 16;
		n->devs = xrealloc(n->devs, n->cap * sizeof(*n->devs));
	}
	n->devs[n->ndevs++] = *d;
	d->domain_name = NULL;
}

void netd_state_remove(struct netd *n, struct netd_dev *d)
{
	size_t i = (size_t)(d - n->devs);

	dev_free_contents(d);
	memmove(&n->devs[i], &n->devs[i + 1], (n->ndevs - i - 1) * sizeof(*d));
	n->ndevs--;
}

void netd_state_clear(struct netd *n)
{
	for (size_t i = 0; i < n->ndevs; i++)
		dev_free_contents(&n->devs[i]);
	free(n->devs);
	n->devs = NULL;
	n->ndevs = n->cap = 0;
}

struct netd_dev *netd_state_find_ifname(struct netd *n, const char *ifname)
{
	for (size_t i = 0; i < n->ndevs; i++)
		if (streq(n->devs[i].ifname, ifname))
			return &n->devs[i];
	return NULL;
}

struct netd_dev *netd_state_find(struct netd *n, const char *uuid, uint32_t index)
{
	for (size_t i = 0; i < n->ndevs; i++)
		if (streq(n->devs[i].uuid, uuid) && n->devs[i].index == index)
			return &n->devs[i];
	return NULL;
}

/* One line; a malformed line is skipped with a warning, never trusted. */
static int parse_line(char *line, struct netd_dev *d)
{
	char kind[8], uuid[37], ifname[IFNAMSIZ];
	unsigned index, managed;
	int ifindex, off = 0;

	memset(d, 0, sizeof(*d));
	if (sscanf(line, "%7s %36s %u %15s %u %d %n", kind, uuid, &index, ifname, &managed, &ifindex, &off) != 6 ||
	    !off || !streq(kind, "tap") || !netd_uuid_valid(uuid) || managed > 1 ||
	    netd_ifname_check(ifname, "device", NULL) < 0)
		return -EINVAL;
	snprintf(d->kind, sizeof(d->kind), "%s", kind);
	snprintf(d->uuid, sizeof(d->uuid), "%s", uuid);
	snprintf(d->ifname, sizeof(d->ifname), "%s", ifname);
	d->index = index;
	d->managed = managed;
	d->ifindex = ifindex;
	d->domain_name = xstrdup(line + off);
	return 0;
}

int netd_state_load(struct netd *n, struct sv_error *err)
{
	_cleanup_close_ int fd = openat(n->state_dirfd, STATE_FILE, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	size_t used = 0, cap = 0;
	char *line, *save = NULL;

	if (fd < 0)
		return errno == ENOENT ? 0 :
		       sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno, "cannot open the netd state file");
	for (;;) {
		if (cap - used < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + used, cap - used);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno, "cannot read the netd state file");
		if (r == 0)
			break;
		used += (size_t)r;
	}
	buf[used] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct netd_dev d;
		if (parse_line(line, &d) < 0) {
			log_warn("netd state: ignoring malformed line '%s'", line);
			continue;
		}
		netd_state_add(n, &d);
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int netd_state_save(const struct netd *n, struct sv_error *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;
	_cleanup_close_ int fd = -1;
	int r;

	for (size_t i = 0; i < n->ndevs; i++) {
		const struct netd_dev *d = &n->devs[i];
		_cleanup_free_ char *line = xasprintf("%s %s %u %s %u %d %s\n", d->kind, d->uuid, d->index,
						      d->ifname, d->managed ? 1u : 0u, d->ifindex,
						      d->domain_name ? d->domain_name : "");
		size_t l = strlen(line);
		if (len + l + 1 > cap) {
			cap = (len + l + 1) * 2;
			buf = xrealloc(buf, cap);
		}
		memcpy(buf + len, line, l);
		len += l;
	}
	fd = openat(n->state_dirfd, STATE_TMP, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno, "cannot create the netd state file");
	r = write_all(fd, buf ? buf : "", len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r == 0 && renameat(n->state_dirfd, STATE_TMP, n->state_dirfd, STATE_FILE) < 0)
		r = -errno;
	if (r == 0 && fsync(n->state_dirfd) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(n->state_dirfd, STATE_TMP, 0);
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, r, "cannot save the netd state file");
	}
	return 0;
}
