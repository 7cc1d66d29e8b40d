/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lxcd's calls to sepvirt-netd: the only way a container gets a network interface (lxcd never
 * holds CAP_NET_ADMIN; netd creates the veth and puts its peer in the container's netns). */
#pragma once

#include "lxcd.h"

/* Creates the veth of interface index; its peer becomes <guest dev> or eth<index> in the network namespace of
 * netns_pid (the container's init). *ifname (malloc'd): the host end. */
int lxcd_call_create_veth(const struct domain_def *def, size_t index, pid_t netns_pid, char **ifname,
			  struct sv_error *err);
/* Releases (deletes) every device netd holds for the domain. */
int lxcd_call_release_veths(const char *uuid, struct sv_error *err);
