/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirt-netd: the only holder of CAP_NET_ADMIN: taps and veths for domains */
#include "config.h"

#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>

#include "daemon.h"
#include "firewall.h"
#include "link.h"
#include "log.h"
#include "netd.h"
#include "network-run.h"
#include "network.h"
#include "reap.h"
#include "spawner.h"
#include "reconcile.h"
#include "state.h"

struct netd netd = { .tun_dirfd = -1, .state_dirfd = -1, .journal_fd = -1, .net_dirfd = -1, .ip_forward_fd = -1,
		     .ip6_forward_fd = -1 };

/* Last of the set-up: from here on netd writes only to its state directory and /dev/net/tun. */
static int netd_restrict_writes(struct daemon_ctx *ctx, struct sv_error *err)
{
	_cleanup_close_ int tun = openat(netd.tun_dirfd, "tun", O_PATH | O_CLOEXEC);
	int r;

	/* Without the device now, no tap ever: the rule is left out, every other write still refused. */
	if (tun < 0)
		log_warn("cannot open /dev/net/tun (%s): netd will not be able to open taps", strerror(errno));
	r = netd_sandbox_restrict_writes(netd.state_dirfd, netd.net_dirfd, tun, err);
	if (r == -EOPNOTSUPP) {
		log_warn("%s: netd goes on with its seccomp pinning alone (openat relative to /dev/net and "
			 "its state directory), which an absolute path gets past", err->message);
		return 0;
	}
	if (r == 0)
		log_info("writes limited to '%s/netd', '%s/network' and /dev/net/tun (Landlock ABI %d)",
			 ctx->paths.state_dir, ctx->paths.config_dir, sandbox_landlock_abi());
	return r;
}

/* Virtual networks: their definitions' directory, read now (netd lists no directory once
 * confined); nftables' context with its netlink socket; the forwarding sysctls, opened for
 * writing now (in session mode they cannot be, and no network is started then anyway). */
static int netd_network_setup(struct daemon_ctx *ctx, struct sv_error *err)
{
	struct sv_error nerr;
	int r = netd_network_open_dir(ctx->paths.config_dir, err);

	if (r < 0)
		return r;
	netd.net_dirfd = r;
	netd_networks_load();
	/* dnsmasq's launcher, forked while netd still holds what it needs to confine it */
	netd.state_dir_path = xasprintf("%s/netd", ctx->paths.state_dir);
	r = netd_spawner_start(netd.state_dir_path, err);
	if (r < 0)
		return r;
	if (netd_firewall_open(&netd.nft, &nerr) < 0)
		log_warn("%s: networks with firewall rules cannot be started", nerr.message);
	netd.ip_forward_fd = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY | O_CLOEXEC);
	netd.ip6_forward_fd = open("/proc/sys/net/ipv6/conf/all/forwarding", O_WRONLY | O_CLOEXEC);
	if (netd.ip_forward_fd < 0 && !netd.session)
		log_warn("cannot open /proc/sys/net/ipv4/ip_forward for writing (%s): NAT and routed networks "
			 "will not start", strerror(errno));
	log_info("%zu virtual network(s) defined", netd_nnetworks);
	return 0;
}

/* Before confinement: everything netd will ever open except /dev/net/tun itself, which it
 * opens once per queue, relative to the /dev/net fd kept here. */
static int netd_setup(struct daemon_ctx *ctx, struct sv_error *err)
{
	struct passwd *pw;
	int r;

	netd.session = ctx->id.session;
	netd.self_uid = ctx->id.uid;
	netd.loop = ctx->loop;
	pw = getpwuid(netd.self_uid);
	netd.self_user = pw ? xstrdup(pw->pw_name) : xasprintf("%u", (unsigned)netd.self_uid);
	r = netd_state_read_boot_id(netd.boot_id, sizeof(netd.boot_id), err);
	if (r < 0)
		return r;
	r = netd_link_socket(&netd.nl, err);
	if (r < 0)
		return r;
	netd.tun_dirfd = open("/dev/net", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (netd.tun_dirfd < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, errno,
					  "cannot open /dev/net (is the tun driver available?)");
	r = netd_state_open_dir(ctx->paths.state_dir, ctx->id.uid, ctx->id.gid, err);
	if (r < 0)
		return r;
	netd.state_dirfd = r;
	r = netd_network_setup(ctx, err);
	if (r < 0)
		return r;
	netd_sandbox_bind_fds(netd.tun_dirfd, netd.state_dirfd, netd.net_dirfd);
	return netd_restrict_writes(ctx, err);
}

/* Confined now: reload what it held and clean up after domains that no longer run. */
static int netd_start(struct daemon_ctx *ctx, struct rpc_server *server, struct sv_error *err)
{
	int r = netd_state_load(&netd, err);

	if (r < 0)
		return r;
	netd_reap_flush(&netd); /* released before a crash, not yet deleted */
	log_info("%zu device(s) recorded before this start", netd.ndevs);
	/* the reconcile below ends with a compaction, which opens the journal for appending */
	r = netd_reconcile(&netd, err);
	if (r < 0)
		return r;
	log_info("%zu device(s) still held for running domains", netd.ndevs);
	netd_networks_adopt();
	return 0;
}

static void netd_stop(struct daemon_ctx *ctx)
{
	/* Taps stay: they belong to running domains and are released by qemud. Released ones go now. */
	if (netd_reap_pending(&netd))
		netd_reap_flush(&netd);
	netd_state_clear(&netd);
	netd_link_socket_free(netd.nl);
	netd.nl = NULL;
	if (netd.tun_dirfd >= 0)
		close(netd.tun_dirfd);
	if (netd.state_dirfd >= 0)
		close(netd.state_dirfd);
	if (netd.journal_fd >= 0)
		close(netd.journal_fd);
	netd_networks_free();
	netd_spawner_stop();
	free(netd.state_dir_path);
	netd.state_dir_path = NULL;
	netd_firewall_close(netd.nft);
	netd.nft = NULL;
	if (netd.net_dirfd >= 0)
		close(netd.net_dirfd);
	if (netd.ip_forward_fd >= 0)
		close(netd.ip_forward_fd);
	if (netd.ip6_forward_fd >= 0)
		close(netd.ip6_forward_fd);
	netd.tun_dirfd = netd.state_dirfd = netd.journal_fd = netd.net_dirfd = -1;
	netd.ip_forward_fd = netd.ip6_forward_fd = -1;
	free(netd.self_user);
	netd.self_user = NULL;
}

int main(int argc, char **argv)
{
	const struct driver_spec spec = {
		.name = "sepvirt-netd",
		.sockname = "netd",
		.program = SEPVIRT__PROGRAM__PROGRAM_NET,
		.error_domain = SV_FROM_NET,
		.policy = &netd_sandbox_policy,
		.procs = netd_procs,
		.nprocs = netd_nprocs,
		.setup = netd_setup,
		.start = netd_start,
		.stop = netd_stop,
	};
	return daemon_main_driver(&spec, argc, argv);
}
