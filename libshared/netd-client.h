/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The driver daemons' side of sepvirt-netd (qemud for taps, lxcd for veths): one connection kept
 * to netd, every call answered from the loop with a deadline (caller.h). netd is the only holder
 * of CAP_NET_ADMIN; callers get devices only through it. */
#pragma once

#include "caller.h"
#include "paths.h"

/* The caller to netd of a driver daemon (error_domain: its own, SV_FROM_QEMU). */
struct rpc_caller *netd_caller_new(struct evloop *loop, const struct sv_paths *paths, int error_domain);
/* Asks netd to release every device it holds for the domain (managed ones are deleted,
 * unmanaged taps only closed) without waiting; a failure is logged. netd does it after every
 * call sent before on the same connection (an open it has not answered yet). */
void netd_release_devices(struct rpc_caller *netd, const char *uuid);
/* The same for the one device ifname (a hot-unplugged tap). */
void netd_release_device(struct rpc_caller *netd, const char *uuid, const char *ifname);
