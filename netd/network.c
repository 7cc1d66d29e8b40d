/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Virtual networks: the list and its files (see network.h). */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>

#include "atomic-file.h"
#include "evloop.h"
#include "link.h"
#include "log.h"
#include "netd.h"
#include "network.h"
#include "paths.h"

#define BRIDGE_TEMPLATE "virbr%d"
#define LIVE_PREFIX "network-"

struct netd_network **netd_networks;
size_t netd_nnetworks;

int netd_network_open_dir(const char *config_dir, struct sv_error *err)
{
	_cleanup_free_ char *dir = xasprintf("%s/network", config_dir);
	int r = paths_mkdir_p(dir, 0700);
	int fd;

	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, -r, "cannot create '%s'", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno, "cannot open '%s'", dir);
	return fd;
}

static void network_free(struct netd_network *n)
{
	if (!n)
		return;
	if (n->dnsmasq_watch)
		evwatch_remove(n->dnsmasq_watch);
	if (n->dnsmasq_pidfd >= 0)
		close(n->dnsmasq_pidfd); /* dnsmasq runs on: netd only lets go of it */
	network_def_free(n->def);
	network_def_free(n->live);
	free(n);
}

void netd_networks_free(void)
{
	for (size_t i = 0; i < netd_nnetworks; i++)
		network_free(netd_networks[i]);
	free(netd_networks);
	netd_networks = NULL;
	netd_nnetworks = 0;
}

static struct netd_network *network_add(void)
{
	struct netd_network *n = xcalloc(1, sizeof(*n));

	n->dnsmasq_pidfd = -1;
	netd_networks = xrealloc(netd_networks, (netd_nnetworks + 1) * sizeof(*netd_networks));
	netd_networks[netd_nnetworks++] = n;
	return n;
}

void netd_network_remove(struct netd_network *n)
{
	for (size_t i = 0; i < netd_nnetworks; i++)
		if (netd_networks[i] == n) {
			memmove(&netd_networks[i], &netd_networks[i + 1],
				(netd_nnetworks - i - 1) * sizeof(*netd_networks));
			netd_nnetworks--;
			break;
		}
	network_free(n);
}

struct netd_network *netd_network_find(const char *ref)
{
	unsigned char uuid[SV_UUID_LEN];
	bool is_uuid = sv_uuid_parse(ref, uuid) == 0;

	for (size_t i = 0; i < netd_nnetworks; i++) {
		const struct network_def *d = netd_network_cur(netd_networks[i]);
		if (streq(d->name, ref) || (is_uuid && !memcmp(d->uuid, uuid, SV_UUID_LEN)))
			return netd_networks[i];
	}
	return NULL;
}

int netd_network_lookup(const char *ref, struct netd_network **out, struct sv_error *err)
{
	if (!ref || !*ref)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL, "no network given");
	*out = netd_network_find(ref);
	if (!*out)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_NO_NETWORK, ENOENT,
				    "Network not found: no network with matching name '%s'", ref);
	return 0;
}

struct netd_network *netd_network_by_bridge(const char *name)
{
	for (size_t i = 0; i < netd_nnetworks; i++) {
		const struct network_def *d = netd_networks[i]->live;
		if (d && d->bridge && streq(d->bridge, name))
			return netd_networks[i];
	}
	return NULL;
}

/* Whether another network (than self) names bridge in its definition or runs on it. */
static struct netd_network *bridge_taken(const char *bridge, const struct netd_network *self)
{
	for (size_t i = 0; i < netd_nnetworks; i++) {
		struct netd_network *o = netd_networks[i];
		if (o == self)
			continue;
		if ((o->def && o->def->bridge && streq(o->def->bridge, bridge)) ||
		    (o->live && o->live->bridge && streq(o->live->bridge, bridge)))
			return o;
	}
	return NULL;
}

/* libvirt's rule: the lowest virbrN that no network claims and no host device has. */
static int pick_bridge(struct network_def *def, const struct netd_network *self, struct sv_error *err)
{
	for (int i = 0; i < 256; i++) {
		char name[IFNAMSIZ];
		struct netd_link_info li;

		snprintf(name, sizeof(name), BRIDGE_TEMPLATE, i);
		if (bridge_taken(name, self) || netd_link_get(netd.nl, name, &li) != -ENODEV)
			continue;
		def->bridge = xstrdup(name);
		return 0;
	}
	return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_FAILED, ENOSPC,
			    "no free bridge name for network '%s' (virbr0 to virbr255 taken)", def->name);
}

static char *def_file(const char *name) { return xasprintf("%s.xml", name); }
static char *autostart_file(const char *name) { return xasprintf("%s.autostart", name); }
static char *live_file(const char *name) { return xasprintf(LIVE_PREFIX "%s.xml", name); }

static int save_def(int dirfd, const char *file, const struct network_def *def, struct sv_error *err)
{
	_cleanup_free_ char *xml = NULL;
	int r = network_def_format(def, 0, &xml, err);

	if (r < 0)
		return r;
	return atomic_file_write_at(dirfd, file, xml, strlen(xml), 0600, err);
}

/* Who holds a name or UUID that def asks for, other than the network of the same name. */
static int check_unique(const struct network_def *def, const struct netd_network *same, struct sv_error *err)
{
	char uuid[SV_UUID_STRING_LEN];

	for (size_t i = 0; i < netd_nnetworks; i++) {
		struct netd_network *o = netd_networks[i];
		const struct network_def *od = netd_network_cur(o);
		if (o == same || memcmp(od->uuid, def->uuid, SV_UUID_LEN))
			continue;
		sv_uuid_format(od->uuid, uuid);
		return sv_error_set(err, SV_FROM_NET, SV_ERR_EXISTS, EEXIST,
				    "operation failed: network '%s' is already defined with uuid %s", od->name, uuid);
	}
	if (same && !def->uuid_generated && memcmp(netd_network_cur(same)->uuid, def->uuid, SV_UUID_LEN)) {
		sv_uuid_format(netd_network_cur(same)->uuid, uuid);
		return sv_error_set(err, SV_FROM_NET, SV_ERR_EXISTS, EEXIST,
				    "operation failed: network '%s' already exists with uuid %s", def->name, uuid);
	}
	if (def->bridge && bridge_taken(def->bridge, same))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_EXISTS, EEXIST,
				    "bridge name '%s' already in use by network '%s'", def->bridge,
				    netd_network_cur(bridge_taken(def->bridge, same))->name);
	return 0;
}

int netd_network_define(struct network_def *def, bool persistent, struct netd_network **out, struct sv_error *err)
{
	_cleanup_network_def_ struct network_def *owned = def;
	_cleanup_free_ char *file = def_file(def->name);
	struct netd_network *n = netd_network_find(def->name);
	int r;

	if (n && !streq(netd_network_cur(n)->name, def->name))
		n = NULL; /* found by a name that is another's UUID: not the same network */
	if (n && !persistent && netd_network_active(n))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EBUSY,
				    "Requested operation is not valid: network '%s' is already active", def->name);
	r = check_unique(def, n, err);
	if (r < 0)
		return r;
	if (n)
		memcpy(def->uuid, netd_network_cur(n)->uuid, SV_UUID_LEN);
	/* a redefinition without a bridge name or MAC keeps those it has */
	if (!def->bridge && n && netd_network_cur(n)->bridge && def->forward != NETWORK_FORWARD_BRIDGE)
		def->bridge = xstrdup(netd_network_cur(n)->bridge);
	if (!def->bridge && (r = pick_bridge(def, n, err)) < 0)
		return r;
	if (!def->has_mac && def->forward != NETWORK_FORWARD_BRIDGE) {
		if (n && netd_network_cur(n)->has_mac)
			memcpy(def->mac, netd_network_cur(n)->mac, SV_MAC_LEN);
		else if (sv_mac_generate(def->mac) < 0)
			return sv_error_set(err, SV_FROM_NET, SV_ERR_SYSTEM, EIO, "cannot generate a MAC for network '%s'",
					    def->name);
		def->has_mac = true;
	}
	if (persistent && (r = save_def(netd.net_dirfd, file, def, err)) < 0)
		return r;
	if (!n)
		n = network_add();
	if (persistent) {
		network_def_free(n->def);
		n->def = TAKE_PTR(owned);
	} else {
		n->live = TAKE_PTR(owned); /* create: started by the caller, or removed */
	}
	*out = n;
	return 0;
}

int netd_network_undefine(struct netd_network *n, struct sv_error *err)
{
	_cleanup_free_ char *file = NULL, *mark = NULL;
	int r;

	if (!n->def)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: cannot undefine transient network '%s'",
				    n->live->name);
	file = def_file(n->def->name);
	mark = autostart_file(n->def->name);
	r = atomic_file_remove_at(netd.net_dirfd, mark, err);
	if (r >= 0)
		r = atomic_file_remove_at(netd.net_dirfd, file, err);
	if (r < 0)
		return r;
	n->autostart = false;
	if (!netd_network_active(n)) {
		netd_network_remove(n);
		return 0;
	}
	network_def_free(n->def);
	n->def = NULL;
	return 0;
}

int netd_network_set_autostart(struct netd_network *n, bool on, struct sv_error *err)
{
	_cleanup_free_ char *mark = NULL;
	int r;

	if (!n->def)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: cannot set autostart for transient network '%s'",
				    n->live->name);
	mark = autostart_file(n->def->name);
	r = on ? atomic_file_write_at(netd.net_dirfd, mark, "", 0, 0600, err)
	       : atomic_file_remove_at(netd.net_dirfd, mark, err);
	if (r >= 0)
		n->autostart = on;
	return r;
}

int netd_network_save(const struct netd_network *n, struct sv_error *err)
{
	_cleanup_free_ char *file = def_file(n->def->name);

	return save_def(netd.net_dirfd, file, n->def, err);
}

int netd_network_save_live(const struct netd_network *n, struct sv_error *err)
{
	_cleanup_free_ char *file = live_file(n->live->name);

	return save_def(netd.state_dirfd, file, n->live, err);
}

void netd_network_delete_live(const char *name)
{
	_cleanup_free_ char *file = live_file(name);
	struct sv_error err;

	if (atomic_file_remove_at(netd.state_dirfd, file, &err) < 0)
		log_warn("%s", err.message);
}

static struct network_def *read_def(int dirfd, const char *file)
{
	_cleanup_free_ char *xml = NULL;
	struct network_def *def = NULL;
	struct sv_error err;
	size_t len;

	if (file_read_all_at(dirfd, file, &xml, &len, &err) < 0 || network_def_parse(xml, len, 0, &def, &err) < 0) {
		log_warn("network file '%s' skipped: %s", file, err.message);
		return NULL;
	}
	return def;
}

/* Calls fn for each regular file of dirfd whose name ends with suffix (and starts with prefix). */
static void each_file(int dirfd, const char *prefix, const char *suffix, void (*fn)(int dirfd, const char *file))
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		log_warn("cannot list a directory of networks: %s", strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name), sl = strlen(suffix);
		if (e->d_type != DT_REG || l <= sl || strcmp(e->d_name + l - sl, suffix) ||
		    !startswith(e->d_name, prefix) || atomic_file_is_tmp_name(e->d_name))
			continue;
		fn(dirfd, e->d_name);
	}
	closedir(d);
}

static void load_persistent(int dirfd, const char *file)
{
	struct network_def *def = read_def(dirfd, file);
	_cleanup_free_ char *mark = NULL;
	struct netd_network *n;

	if (!def)
		return;
	if (netd_network_find(def->name)) {
		log_warn("network file '%s' skipped: network '%s' is defined twice", file, def->name);
		network_def_free(def);
		return;
	}
	n = network_add();
	n->def = def;
	mark = autostart_file(def->name);
	n->autostart = faccessat(dirfd, mark, F_OK, 0) == 0;
}

static void load_live(int dirfd, const char *file)
{
	struct network_def *def = read_def(dirfd, file);
	struct netd_network *n;

	if (!def)
		return;
	n = netd_network_find(def->name);
	if (n && n->live) {
		network_def_free(def);
		return;
	}
	if (!n)
		n = network_add(); /* transient */
	n->live = def;
}

void netd_networks_load(void)
{
	each_file(netd.net_dirfd, "", ".xml", load_persistent);
	each_file(netd.state_dirfd, LIVE_PREFIX, ".xml", load_live);
}

int netd_network_bridge(const char *name, const char **bridge, unsigned *mtu, struct sv_error *err)
{
	struct netd_network *n;
	int r = netd_network_lookup(name, &n, err);

	if (r < 0)
		return r;
	if (!netd_network_active(n))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: network '%s' is not active", name);
	*bridge = n->live->bridge;
	if (!*mtu)
		*mtu = n->live->mtu;
	return 0;
}
