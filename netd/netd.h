/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-netd: what its files share. */
#pragma once

#include <net/if.h>
#include <stdint.h>

#include "sandbox.h"
#include "server.h"

struct nl_sock;
struct nft_ctx;
struct evloop;
struct evwatch;

/* One device netd created (managed) or opened (unmanaged) for a domain interface. */
struct netd_dev {
	char kind[8];            /* "tap" (later "veth") */
	char uuid[37];           /* the domain's UUID */
	uint32_t index;          /* the interface's index in the domain definition */
	char ifname[IFNAMSIZ];
	bool managed;            /* created by netd: deleted on release; otherwise only forgotten */
	int ifindex;             /* so a same-named device made later by someone else is never touched */
	char *domain_name;
};

/* Everything netd opened before confinement, and what it holds. */
struct netd {
	struct nl_sock *nl;      /* NETLINK_ROUTE, connected before confinement */
	int tun_dirfd;           /* /dev/net, O_PATH: the only place openat may open O_RDWR */
	int state_dirfd;         /* state_dir/netd: the only place state files are written */
	char *state_dir_path;    /* its path (dnsmasq's files are named in its config) */
	int journal_fd;          /* state_dir/netd/devices, O_APPEND: one line per change */
	int net_dirfd;           /* config_dir/network: the virtual networks' definitions */
	struct nft_ctx *nft;     /* libnftables, its netlink socket opened before confinement */
	int ip_forward_fd;       /* /proc/sys/net/ipv4/ip_forward, O_WRONLY; -1 when it could not be opened */
	int ip6_forward_fd;      /* /proc/sys/net/ipv6/conf/all/forwarding */
	size_t journal_lines;
	uid_t self_uid;
	char *self_user;         /* the user netd runs as, named in the session-mode hint */
	bool session;
	char boot_id[40];        /* the state file is valid for this boot only */
	struct evloop *loop;
	struct evwatch *reap_timer; /* pending batch deletion of released taps (reap.c) */
	unsigned reap_count;
	struct netd_dev *devs;
	size_t ndevs, cap;
};

extern struct netd netd;

/* sandbox.c: the whole privilege of this process. */
extern const struct sandbox_policy netd_sandbox_policy;
extern const struct sandbox_policy netd_spawner_policy;
/* Pins the fd-specific rules of the allowlist to the fds opened in setup(). */
void netd_sandbox_bind_fds(int tun_dirfd, int state_dirfd, int net_dirfd);
/* Landlock: writes only in the state directory and to /dev/net/tun (both opened in setup;
 * tun_fd -1: no device).
 * -EOPNOTSUPP when the kernel has no Landlock. */
int netd_sandbox_restrict_writes(int state_dirfd, int net_dirfd, int tun_fd, struct sv_error *err);
/* dispatch.c: the procedures it serves. */
extern const struct rpc_proc netd_procs[];
extern const size_t netd_nprocs;
