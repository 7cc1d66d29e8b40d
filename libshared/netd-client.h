/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The driver daemons' side of sepvirt-netd (qemud for taps, lxcd for veths): reaching netd
 * and releasing a domain's devices. netd is the only holder of CAP_NET_ADMIN; callers get
 * devices only through it. */
#pragma once

#include "client.h"
#include "paths.h"

/* Connects to netd; a failure says "driver unavailable" and names what the device was for. */
int netd_call_connect(const struct sv_paths *paths, int domain, const char *what, struct rpc_client **c,
		      struct sv_error *err);
/* A connection to netd kept between calls in *kept: reused while it lives, made anew when netd
 * closed it (restarted) or there was none. */
int netd_call_kept(const struct sv_paths *paths, int domain, const char *what, struct rpc_client **kept,
		   struct sv_error *err);
/* Releases every device netd holds for the domain: managed ones are deleted, unmanaged taps
 * only closed. On *kept when given (netd_call_kept), else on a connection of its own. */
int netd_call_release(const struct sv_paths *paths, int domain, const char *uuid, struct rpc_client **kept,
		      struct sv_error *err);
