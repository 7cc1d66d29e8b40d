/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Starting, stopping and re-adopting virtual networks (see network-run.h). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>

#include "atomic-file.h"
#include "bridge.h"
#include "dnsmasq.h"
#include "firewall.h"
#include "ipaddr.h"
#include "link.h"
#include "log.h"
#include "netd.h"
#include "network-run.h"

#define AUTOSTART_DONE "networks-autostarted" /* the boot id of the last autostart */

static struct network_def *def_copy(const struct network_def *def, struct sv_error *err)
{
	_cleanup_free_ char *xml = NULL;
	struct network_def *copy = NULL;

	if (network_def_format(def, 0, &xml, err) < 0 || network_def_parse(xml, strlen(xml), 0, &copy, err) < 0)
		return NULL;
	return copy;
}

static bool has_v6(const struct network_def *def)
{
	for (size_t i = 0; i < def->nips; i++)
		if (netd_ip_is_v6(&def->ips[i]))
			return true;
	return false;
}

static int write_one(int fd, const char *what, struct sv_error *err)
{
	if (fd < 0)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_FAILED, EPERM,
				    "cannot enable %s: netd could not open its sysctl at start", what);
	if (pwrite(fd, "1\n", 2, 0) != 2)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno, "cannot enable %s", what);
	return 0;
}

static int enable_forwarding(const struct network_def *def, struct sv_error *err)
{
	int r;

	if (!netd_forwarding_needed(def))
		return 0;
	r = write_one(netd.ip_forward_fd, "IPv4 forwarding (net.ipv4.ip_forward)", err);
	if (r >= 0 && has_v6(def))
		r = write_one(netd.ip6_forward_fd, "IPv6 forwarding (net.ipv6.conf.all.forwarding)", err);
	return r;
}

/* Whether another active network than self still has chains in the table. */
static bool others_have_rules(const struct netd_network *self)
{
	for (size_t i = 0; i < netd_nnetworks; i++) {
		const struct netd_network *o = netd_networks[i];
		if (o != self && o->live && netd_firewall_needed(o->live))
			return true;
	}
	return false;
}

static int apply_rules(const struct network_def *live, struct sv_error *err)
{
	_cleanup_free_ char *script = NULL, *what = NULL;
	int r = netd_firewall_rules(live, &script, err);

	if (r < 0 || !script)
		return r;
	what = xasprintf("cannot set up the firewall of network '%s'", live->name);
	return netd_firewall_run(netd.nft, script, what, err);
}

static void remove_rules(const struct netd_network *n, const struct network_def *live)
{
	_cleanup_free_ char *script = NULL, *what = NULL;
	struct sv_error err;

	if (!netd_firewall_needed(live) || !netd.nft)
		return;
	script = netd_firewall_remove_script(live->bridge, !others_have_rules(n));
	what = xasprintf("cannot remove the firewall of network '%s'", live->name);
	if (netd_firewall_run(netd.nft, script, what, &err) < 0)
		log_warn("%s", err.message);
}

/* The bridge netd made for the network, if it is still that: a bridge of that name. */
static int own_bridge(const struct network_def *live, struct netd_link_info *li)
{
	int r = netd_link_get(netd.nl, live->bridge, li);

	if (r < 0)
		return r;
	return streq(li->kind, "bridge") ? 0 : -ENODEV;
}

static void take_down(struct netd_network *n, const struct network_def *live)
{
	struct netd_link_info li;
	int r;

	netd_dnsmasq_stop(n, true);
	remove_rules(n, live);
	if (live->forward != NETWORK_FORWARD_BRIDGE && own_bridge(live, &li) == 0 &&
	    (r = netd_link_delete(netd.nl, li.ifindex)) < 0)
		log_warn("cannot delete bridge '%s' of network '%s': %s", live->bridge, live->name, strerror(-r));
}

static int make_bridge(const struct network_def *live, struct sv_error *err)
{
	struct netd_bridge_spec spec = { .name = live->bridge, .mac = live->has_mac ? live->mac : NULL,
					 .mtu = live->mtu, .stp = live->stp, .delay = live->delay };
	struct netd_link_change up = { .up = true };
	struct netd_link_info li;
	int ifindex, r;

	if (netd_link_get(netd.nl, live->bridge, &li) == 0)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_EXISTS, EEXIST,
				    "cannot start network '%s': a device named '%s' (its bridge) already exists",
				    live->name, live->bridge);
	r = netd_bridge_create(netd.nl, &spec, &ifindex);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, -r, "cannot create bridge '%s' of network '%s'",
					  live->bridge, live->name);
	for (size_t i = 0; i < live->nips; i++) {
		struct netd_ip ip;
		if ((r = netd_ip_resolve(&live->ips[i], &ip, err)) < 0)
			return r;
		if ((r = netd_bridge_add_address(netd.nl, ifindex, &ip)) < 0)
			return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, -r,
						  "cannot give bridge '%s' the address %s/%u", live->bridge, ip.address,
						  ip.prefix);
	}
	r = netd_link_configure(netd.nl, ifindex, &up);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, -r, "cannot bring bridge '%s' up",
					  live->bridge);
	return 0;
}

static int bring_up(struct netd_network *n, struct sv_error *err)
{
	const struct network_def *live = n->live;
	int master;
	unsigned mtu = 0;
	int r;

	if (live->forward == NETWORK_FORWARD_BRIDGE)
		return netd_bridge_resolve(netd.nl, live->bridge, live->name, &master, &mtu, err);
	r = make_bridge(live, err);
	if (r >= 0)
		r = apply_rules(live, err);
	if (r >= 0)
		r = enable_forwarding(live, err);
	if (r >= 0)
		r = netd_dnsmasq_start(n, err);
	if (r >= 0)
		r = netd_network_save_live(n, err);
	return r;
}

/* n->live set: brought up, or on failure nothing of it stays (a bridge that existed before is
 * not netd's and is left alone) and n->live is gone again. */
static int run(struct netd_network *n, struct sv_error *err)
{
	int r = bring_up(n, err);

	if (r < 0) {
		if (r != -EEXIST)
			take_down(n, n->live);
		network_def_free(n->live);
		n->live = NULL;
		return r;
	}
	if (n->live->forward == NETWORK_FORWARD_BRIDGE && (r = netd_network_save_live(n, err)) < 0) {
		network_def_free(n->live);
		n->live = NULL;
		return r;
	}
	log_info("network '%s' started on bridge '%s' (forward mode %s)", n->live->name, n->live->bridge,
		 network_forward_mode_to_string(n->live->forward));
	return 0;
}

int netd_network_start(struct netd_network *n, struct sv_error *err)
{
	if (netd_network_active(n))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EBUSY,
				    "Requested operation is not valid: network '%s' is already active", n->live->name);
	n->live = def_copy(n->def, err);
	if (!n->live)
		return -EINVAL;
	return run(n, err);
}

int netd_network_create(struct network_def *def, struct netd_network **out, struct sv_error *err)
{
	struct netd_network *n;
	int r = netd_network_define(def, false, &n, err);

	if (r < 0)
		return r;
	r = run(n, err);
	if (r < 0) {
		if (!n->def)
			netd_network_remove(n);
		return r;
	}
	*out = n;
	return 0;
}

int netd_network_stop(struct netd_network *n, struct sv_error *err)
{
	if (!netd_network_active(n))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_OPERATION_INVALID, EINVAL,
				    "Requested operation is not valid: network '%s' is not active",
				    netd_network_cur(n)->name);
	take_down(n, n->live);
	netd_network_delete_live(n->live->name);
	log_info("network '%s' stopped", n->live->name);
	network_def_free(n->live);
	n->live = NULL;
	if (!n->def)
		netd_network_remove(n);
	return 0;
}

static bool autostart_due(void)
{
	_cleanup_free_ char *last = NULL;
	struct sv_error err;

	if (file_read_all_at(netd.state_dirfd, AUTOSTART_DONE, &last, NULL, &err) == 0 &&
	    streq(last, netd.boot_id))
		return false;
	if (atomic_file_write_at(netd.state_dirfd, AUTOSTART_DONE, netd.boot_id, strlen(netd.boot_id), 0600,
				 &err) < 0)
		log_warn("%s", err.message);
	return true;
}

void netd_networks_adopt(void)
{
	struct sv_error err;
	struct netd_link_info li;

	for (size_t i = netd_nnetworks; i-- > 0;) {
		struct netd_network *n = netd_networks[i];
		if (!n->live)
			continue;
		if (n->live->forward == NETWORK_FORWARD_BRIDGE || own_bridge(n->live, &li) == 0) {
			if (apply_rules(n->live, &err) < 0)
				log_warn("network '%s' re-adopted, but %s", n->live->name, err.message);
			else
				log_info("network '%s' re-adopted on bridge '%s'", n->live->name, n->live->bridge);
			netd_dnsmasq_adopt(n);
			continue;
		}
		log_warn("network '%s' was running, but its bridge '%s' is gone: it is inactive now",
			 n->live->name, n->live->bridge);
		if (netd_network_stop(n, &err) < 0)
			log_warn("%s", err.message);
	}
	if (!autostart_due())
		return;
	for (size_t i = 0; i < netd_nnetworks; i++) {
		struct netd_network *n = netd_networks[i];
		if (!n->autostart || netd_network_active(n))
			continue;
		if (netd_network_start(n, &err) < 0)
			log_warn("autostart of network '%s' failed: %s", n->def->name, err.message);
	}
}
