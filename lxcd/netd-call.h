/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxcd's calls to sepvirt-netd: the only way a container gets a network interface (lxcd never
 * holds CAP_NET_ADMIN; netd creates the veth and puts its peer in the container's netns). Every
 * call is answered from the loop on one connection kept to netd, with a deadline (caller.h). */
#pragma once

#include "lxcd.h"

/* The answer to create_veth: r >= 0 with the host end's name (malloc'd, the callee's). */
typedef void (*lxcd_veth_fn)(void *opaque, int r, char *ifname, const struct sv_error *err);
/* Asks for the veth of interface index; its peer becomes <guest dev> or eth<index> in the
 * network namespace of netns_pid (the container's init). < 0 when netd cannot be reached (fn is
 * not called then). */
int lxcd_call_create_veth(const struct domain_def *def, size_t index, pid_t netns_pid, lxcd_veth_fn fn,
			  void *opaque, struct sv_error *err);
/* Asks netd to delete every device it holds for the domain; a failure is logged. */
void lxcd_call_release_veths(const char *uuid);
/* Closes the connection kept to netd (calls still waiting fail). */
void lxcd_netd_close(void);
