/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Virtual networks netd owns: the list, lookup as virsh resolves a network argument, and their
 * files. Definitions: config_dir/network/NAME.xml, autostart marks NAME.autostart beside them;
 * a running network's live definition: state_dir/netd/network-NAME.xml. Every write is atomic
 * and durable, relative to a directory fd opened before confinement. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "error.h"
#include "xml/network-def.h"

struct netd_network {
	struct network_def *def;  /* persistent definition; NULL when transient */
	struct network_def *live; /* while active: what runs (the bridge name resolved) */
	bool autostart;
	/* its dnsmasq (dnsmasq.c), while it runs */
	pid_t dnsmasq_pid;
	int dnsmasq_pidfd;            /* -1: none */
	struct evwatch *dnsmasq_watch;
	time_t dnsmasq_started;
	unsigned dnsmasq_restarts;
};

static inline bool netd_network_active(const struct netd_network *n) { return n->live != NULL; }
static inline const struct network_def *netd_network_cur(const struct netd_network *n)
{
	return n->live ? n->live : n->def;
}

/* Opens (creating it) config_dir/network; before confinement. */
int netd_network_open_dir(const char *config_dir, struct sv_error *err);
/* Reads every definition, autostart mark and live definition; a bad file is logged and skipped. */
void netd_networks_load(void);
void netd_networks_free(void);

struct netd_network *netd_network_find(const char *ref);
/* By name or UUID; "Network not found: no network with matching name 'X'" otherwise. */
int netd_network_lookup(const char *ref, struct netd_network **out, struct sv_error *err);
/* <interface type='network'>: the bridge of that network, which must run, and its MTU when *mtu
 * is 0 (an MTU of the interface itself wins). Errors name the network. */
int netd_network_bridge(const char *name, const char **bridge, unsigned *mtu, struct sv_error *err);
/* The active network whose bridge is name, NULL when none. */
struct netd_network *netd_network_by_bridge(const char *name);

/* Takes def. Replaces the persistent definition of the network of that name (a running one keeps
 * what it runs) or adds a new one; refuses a name or UUID another network holds. The bridge name
 * (virbrN when none is given) and a MAC are chosen here, as libvirt does, so they stay. */
int netd_network_define(struct network_def *def, bool persistent, struct netd_network **out, struct sv_error *err);
/* Removes the definition; a running network goes on as a transient one. */
int netd_network_undefine(struct netd_network *n, struct sv_error *err);
/* A transient network that stopped, or a failed create: forgotten. */
void netd_network_remove(struct netd_network *n);
int netd_network_set_autostart(struct netd_network *n, bool on, struct sv_error *err);
/* The persistent definition's file, rewritten. */
int netd_network_save(const struct netd_network *n, struct sv_error *err);
/* The live definition's file: written when the network has started, removed when it stops. */
int netd_network_save_live(const struct netd_network *n, struct sv_error *err);
void netd_network_delete_live(const char *name);

extern struct netd_network **netd_networks;
extern size_t netd_nnetworks;
