/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netd's records, as a journal in state_dir/netd/devices: a first line "boot BOOT-ID", then
 *   + KIND UUID INDEX IFNAME MANAGED IFINDEX DOMAIN-NAME...   a device recorded
 *   - UUID IFNAME                                             a device forgotten
 * Each change is one O_APPEND write(2) before the reply; start-up and growth compact it (temp file,
 * rename). All of it through the directory fd kept from setup: the sandbox lets openat and
 * renameat work relative to that fd only. */
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

int netd_state_read_boot_id(char *buf, size_t len, struct sv_error *err)
{
	_cleanup_close_ int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;

	if (n <= 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno ? errno : EIO,
					  "cannot read /proc/sys/kernel/random/boot_id");
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
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
	    !off || (!streq(kind, "tap") && !streq(kind, "veth")) || !netd_uuid_valid(uuid) || managed > 1 ||
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
	int saved_errno = errno;

	/* A compaction's temp file left by a netd killed mid-save: the journal is whole, the temp
	 * file is not to be trusted (netd holds its instance lock: nobody else writes here). */
	if (unlinkat(n->state_dirfd, STATE_TMP, 0) == 0)
		log_info("netd state: removed the temp file of an unfinished compaction");
	errno = saved_errno;
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
	/* A last line without its newline is torn (netd killed mid-write): a cut number would be
	 * another ifindex or index, so none of it is trusted. */
	if (used && buf[used - 1] != '\n') {
		char *end = strrchr(buf, '\n');
		log_warn("netd state: ignoring the torn last line '%s'", end ? end + 1 : buf);
		*(end ? end + 1 : buf) = '\0';
	}
	line = strtok_r(buf, "\n", &save);
	if (line && (!startswith(line, "boot ") || !streq(line + 5, n->boot_id))) {
		log_info("netd state is from an earlier boot: its devices are gone, dropping it");
		return 0;
	}
	for (line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct netd_dev d, *old;
		char uuid[37], ifname[IFNAMSIZ];

		if (startswith(line, "+ ") && parse_line(line + 2, &d) == 0) {
			netd_state_add(n, &d);
		} else if (startswith(line, "- ") && sscanf(line + 2, "%36s %15s", uuid, ifname) == 2) {
			old = netd_state_find_ifname(n, ifname);
			if (old && streq(old->uuid, uuid))
				netd_state_remove(n, old);
		} else {
			/* a torn last line (netd killed mid-write) or garbage: never trusted */
			log_warn("netd state: ignoring malformed line '%s'", line);
		}
	}
	return 0;
}

static char *format_record(const struct netd_dev *d)
{
	return xasprintf("+ %s %s %u %s %u %d %s\n", d->kind, d->uuid, d->index, d->ifname, d->managed ? 1u : 0u,
			 d->ifindex, d->domain_name ? d->domain_name : "");
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

int netd_state_save(struct netd *n, struct sv_error *err)
{
	_cleanup_free_ char *buf = xasprintf("boot %s\n", n->boot_id);
	size_t len = strlen(buf), cap = len + 1;
	_cleanup_close_ int fd = -1;
	int r;

	for (size_t i = 0; i < n->ndevs; i++) {
		const struct netd_dev *d = &n->devs[i];
		_cleanup_free_ char *line = format_record(d);
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
	r = write_all(fd, buf, len);
	if (r == 0 && renameat(n->state_dirfd, STATE_TMP, n->state_dirfd, STATE_FILE) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(n->state_dirfd, STATE_TMP, 0);
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, r, "cannot save the netd state file");
	}
	if (n->journal_fd >= 0)
		close(n->journal_fd);
	n->journal_fd = openat(n->state_dirfd, STATE_FILE, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (n->journal_fd < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno, "cannot reopen the netd state file");
	n->journal_lines = n->ndevs;
	return 0;
}

/* One line, one write(2): a crash leaves it whole or (at worst) torn, and a torn line is ignored. */
static int journal_append(struct netd *n, const char *line, struct sv_error *err)
{
	int r = n->journal_fd >= 0 ? write_all(n->journal_fd, line, strlen(line)) : -EBADF;

	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, r, "cannot write the netd state file");
	/* Compact when mostly history: start-up cost and file size stay bounded. */
	if (++n->journal_lines > 4 * n->ndevs + 1024 && netd_state_save(n, err) < 0)
		/* The line is written: the change is done and the reply must say so. A failed
		 * compaction only leaves a longer journal, tried again on the next change. */
		log_warn("netd state: compaction failed (the journal stays as it is): %s", err ? err->message : "");
	return 0;
}

int netd_state_record(struct netd *n, struct netd_dev *d, struct sv_error *err)
{
	_cleanup_free_ char *line = format_record(d);
	int r;

	netd_state_add(n, d);
	r = journal_append(n, line, err);
	if (r < 0)
		netd_state_remove(n, &n->devs[n->ndevs - 1]);
	return r;
}

int netd_state_forget(struct netd *n, struct netd_dev *d, struct sv_error *err)
{
	_cleanup_free_ char *line = xasprintf("- %s %s\n", d->uuid, d->ifname);

	/* Out of memory first, so a compaction triggered by this line no longer holds it; forgotten
	 * in memory even if the disk refuses (a resurrected record is dropped by reconcile). */
	netd_state_remove(n, d);
	return journal_append(n, line, err);
}
