# SPDX-License-Identifier: LGPL-2.1-or-later
# sepvirt-netd
sbin_PROGRAMS += sepvirt-netd
sepvirt_netd_SOURCES = \
	netd/main.c netd/netd.h \
	netd/sandbox.c \
	netd/dispatch.c \
	netd/ifname.c netd/ifname.h \
	netd/link.c netd/link.h \
	netd/tap.c netd/tap.h \
	netd/open-tap.c netd/open-tap.h \
	netd/create-veth.c netd/create-veth.h \
	netd/state.c netd/state.h \
	netd/reconcile.c netd/reconcile.h \
	netd/reap.c netd/reap.h \
	netd/network.c netd/network.h \
	netd/network-run.c netd/network-run.h \
	netd/handlers-network.c netd/handlers-network.h \
	netd/bridge.c netd/bridge.h \
	netd/ipaddr.c netd/ipaddr.h \
	netd/firewall.c netd/firewall-rules.c netd/firewall.h \
	netd/spawner.c netd/spawner.h qemud/spawner-wire.c qemud/spawner-wire.h \
	netd/dnsmasq.c netd/dnsmasq.h netd/dnsmasq-conf.c netd/dnsmasq-conf.h \
	netd/text.c netd/text.h \
	netd/leases.c netd/leases.h netd/update.c netd/update.h
sepvirt_netd_CFLAGS = $(AM_CFLAGS) $(LIBNL_CFLAGS) $(LIBNL_ROUTE_CFLAGS) $(NFTABLES_CFLAGS)
sepvirt_netd_LDADD = $(SHARED_LIBS) $(LIBNL_ROUTE_LIBS) $(LIBNL_LIBS) $(NFTABLES_LIBS)
