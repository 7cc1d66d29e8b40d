/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Netlink for netd: libnl-route-3 for changes, one raw RTM_GETLINK parse for reading
 * (libnl-route has no parser for the tun attributes: owner, type, multi_queue). */
#include "config.h"

#include <net/if.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/veth.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "link.h"

/* libnl reports its own codes; map the ones a caller acts on back to errno. */
static int nl_to_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_OBJ_NOTFOUND:
	case NLE_NODEV:
		return -ENODEV;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_PERM:
	case NLE_NOACCESS:
		return -EPERM;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_INVAL:
		return -EINVAL;
	default:
		return -EIO;
	}
}

int netd_link_socket(struct nl_sock **out, struct sv_error *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	int r;

	if (!sk)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_SYSTEM, ENOMEM, "cannot allocate a netlink socket");
	r = nl_connect(sk, NETLINK_ROUTE);
	if (r < 0) {
		nl_socket_free(sk);
		return sv_error_set(err, SV_FROM_NET, SV_ERR_SYSTEM, EIO, "cannot connect to rtnetlink: %s",
				    nl_geterror(r));
	}
	*out = sk;
	return 0;
}

void netd_link_socket_free(struct nl_sock *sk)
{
	if (sk)
		nl_socket_free(sk);
}

static void parse_tun(struct nlattr *data, struct netd_link_info *info)
{
	struct nlattr *tb[IFLA_TUN_MAX + 1];

	if (nla_parse_nested(tb, IFLA_TUN_MAX, data, NULL) < 0)
		return;
	info->tun_known = true;
	if (tb[IFLA_TUN_TYPE])
		info->tun_tap = nla_get_u8(tb[IFLA_TUN_TYPE]) == IFF_TAP;
	if (tb[IFLA_TUN_MULTI_QUEUE])
		info->tun_multi_queue = nla_get_u8(tb[IFLA_TUN_MULTI_QUEUE]);
	if (tb[IFLA_TUN_PERSIST])
		info->tun_persist = nla_get_u8(tb[IFLA_TUN_PERSIST]);
	if (tb[IFLA_TUN_VNET_HDR])
		info->tun_vnet_hdr = nla_get_u8(tb[IFLA_TUN_VNET_HDR]);
	if (tb[IFLA_TUN_PI])
		info->tun_pi = nla_get_u8(tb[IFLA_TUN_PI]);
	if (tb[IFLA_TUN_OWNER])
		info->tun_owner = nla_get_u32(tb[IFLA_TUN_OWNER]);
	if (tb[IFLA_TUN_GROUP])
		info->tun_group = nla_get_u32(tb[IFLA_TUN_GROUP]);
}

static int on_link(struct nl_msg *msg, void *arg)
{
	struct netd_link_info *info = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct ifinfomsg *ifi = nlmsg_data(h);
	struct nlattr *tb[IFLA_MAX + 1];

	if (h->nlmsg_type != RTM_NEWLINK || nlmsg_parse(h, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return NL_SKIP;
	info->ifindex = ifi->ifi_index;
	info->flags = ifi->ifi_flags;
	if (tb[IFLA_MTU])
		info->mtu = nla_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_MASTER])
		info->master = (int)nla_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_CARRIER])
		info->carrier = nla_get_u8(tb[IFLA_CARRIER]);
	if (tb[IFLA_ADDRESS] && nla_len(tb[IFLA_ADDRESS]) == 6) {
		memcpy(info->mac, nla_data(tb[IFLA_ADDRESS]), 6);
		info->has_mac = true;
	}
	if (tb[IFLA_LINKINFO]) {
		struct nlattr *li[IFLA_INFO_MAX + 1];
		if (nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) == 0) {
			if (li[IFLA_INFO_KIND])
				nla_strlcpy(info->kind, li[IFLA_INFO_KIND], sizeof(info->kind));
			if (li[IFLA_INFO_DATA] && streq(info->kind, "tun"))
				parse_tun(li[IFLA_INFO_DATA], info);
		}
	}
	return NL_OK;
}

int netd_link_get(struct nl_sock *sk, const char *name, struct netd_link_info *info)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETLINK, 0);
	struct nl_cb *cb = NULL;
	int r;

	memset(info, 0, sizeof(*info));
	info->tun_owner = info->tun_group = -1;
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 || nla_put_string(msg, IFLA_IFNAME, name) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	r = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (r < 0)
		return nl_to_errno(r);
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_link, info);
	/* The reply (or the kernel's error), then the ACK that follows a reply. */
	r = nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	if (r < 0)
		return nl_to_errno(r);
	r = nl_wait_for_ack(sk);
	if (r < 0)
		return nl_to_errno(r);
	return info->ifindex > 0 ? 0 : -ENODEV;
}

static void link_freep(struct rtnl_link **l)
{
	if (*l)
		rtnl_link_put(*l);
}

int netd_link_configure(struct nl_sock *sk, int ifindex, const struct netd_link_change *ch)
{
	_cleanup_(link_freep) struct rtnl_link *orig = rtnl_link_alloc();
	_cleanup_(link_freep) struct rtnl_link *change = rtnl_link_alloc();
	struct nl_addr *addr = NULL;
	int r;

	if (!orig || !change)
		return -ENOMEM;
	rtnl_link_set_ifindex(orig, ifindex);
	if (ch->mac) {
		addr = nl_addr_build(AF_LLC, ch->mac, 6);
		if (!addr)
			return -ENOMEM;
		rtnl_link_set_addr(change, addr);
		nl_addr_put(addr);
	}
	if (ch->mtu)
		rtnl_link_set_mtu(change, ch->mtu);
	if (ch->master)
		rtnl_link_set_master(change, ch->master);
	if (ch->up)
		rtnl_link_set_flags(change, IFF_UP);
	r = rtnl_link_change(sk, orig, change, 0);
	return r < 0 ? nl_to_errno(r) : 0;
}

int netd_link_delete(struct nl_sock *sk, int ifindex)
{
	_cleanup_(link_freep) struct rtnl_link *l = rtnl_link_alloc();
	int r;

	if (!l)
		return -ENOMEM;
	rtnl_link_set_ifindex(l, ifindex);
	r = rtnl_link_delete(sk, l);
	return r < 0 ? nl_to_errno(r) : 0;
}

int netd_link_retire(struct nl_sock *sk, int ifindex, uint32_t group)
{
	_cleanup_(link_freep) struct rtnl_link *orig = rtnl_link_alloc();
	_cleanup_(link_freep) struct rtnl_link *change = rtnl_link_alloc();
	int r;

	if (!orig || !change)
		return -ENOMEM;
	rtnl_link_set_ifindex(orig, ifindex);
	rtnl_link_unset_flags(change, IFF_UP);
	rtnl_link_set_group(change, group);
	r = rtnl_link_change(sk, orig, change, 0);
	return r < 0 ? nl_to_errno(r) : 0;
}

int netd_link_delete_group(struct nl_sock *sk, uint32_t group)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 0 };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_DELLINK, 0);
	int r;

	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 || nla_put_u32(msg, IFLA_GROUP, group) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	r = nl_send_sync(sk, msg); /* frees msg */
	return r < 0 ? nl_to_errno(r) : 0;
}

int netd_link_create_veth(struct nl_sock *sk, const struct netd_veth_spec *spec)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
	struct ifinfomsg peer = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *linkinfo, *data, *peer_attr;
	int r;

	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 || nla_put_string(msg, IFLA_IFNAME, spec->name) < 0 ||
	    (spec->mac && nla_put(msg, IFLA_ADDRESS, 6, spec->mac) < 0) ||
	    (spec->mtu && nla_put_u32(msg, IFLA_MTU, spec->mtu) < 0) ||
	    (spec->master && nla_put_u32(msg, IFLA_MASTER, (uint32_t)spec->master) < 0) ||
	    !(linkinfo = nla_nest_start(msg, IFLA_LINKINFO)) || nla_put_string(msg, IFLA_INFO_KIND, "veth") < 0 ||
	    !(data = nla_nest_start(msg, IFLA_INFO_DATA)) || !(peer_attr = nla_nest_start(msg, VETH_INFO_PEER)) ||
	    nlmsg_append(msg, &peer, sizeof(peer), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, spec->peer_name) < 0 ||
	    (spec->peer_mac && nla_put(msg, IFLA_ADDRESS, 6, spec->peer_mac) < 0) ||
	    (spec->mtu && nla_put_u32(msg, IFLA_MTU, spec->mtu) < 0) ||
	    nla_put_u32(msg, IFLA_NET_NS_PID, (uint32_t)spec->peer_netns_pid) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, peer_attr);
	nla_nest_end(msg, data);
	nla_nest_end(msg, linkinfo);
	r = nl_send_sync(sk, msg); /* frees msg */
	return r < 0 ? nl_to_errno(r) : 0;
}

int netd_bridge_resolve(struct nl_sock *sk, const char *bridge, const char *dev, int *master, unsigned *mtu,
			struct sv_error *err)
{
	struct netd_link_info br;
	int r = netd_link_get(sk, bridge, &br);

	if (r == -ENODEV)
		return sv_error_set(err, SV_FROM_NET, SV_ERR_NO_NETWORK, ENODEV,
				    "bridge '%s' for target dev '%s' does not exist", bridge, dev);
	if (r < 0)
		return sv_error_set_errno(err, SV_FROM_NET, SV_ERR_SYSTEM, r, "cannot look up bridge '%s'", bridge);
	if (!streq(br.kind, "bridge"))
		return sv_error_set(err, SV_FROM_NET, SV_ERR_INVALID_ARG, EINVAL,
				    "'%s' (for target dev '%s') is not a bridge", bridge, dev);
	*master = br.ifindex;
	if (!*mtu)
		*mtu = br.mtu;
	return 0;
}
