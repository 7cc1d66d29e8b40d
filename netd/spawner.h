/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netd's spawner: a small process forked before netd confines itself, which runs dnsmasq and
 * nothing else (netd itself never execs). Its row is in sandbox.c: uid 0 with SETUID, SETGID,
 * NET_ADMIN, NET_BIND_SERVICE, NET_RAW and KILL only, bounding set too, no_new_privs. It starts
 * DNSMASQ --conf-file=STATE/netd/NAME --keep-in-foreground (the name checked: a config netd wrote,
 * nothing else on the command line), detached so that it outlives netd and the spawner; dnsmasq
 * drops to its own user (the config's user=) keeping only NET_ADMIN, NET_BIND_SERVICE, NET_RAW.
 * The spawner answers with a pidfd netd watches; it signals a dnsmasq through its pidfd, and
 * re-adopts one after a netd restart (pid and config checked through /proc). */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

#define NETD_DNSMASQ_DEFAULT "/usr/sbin/dnsmasq"

/* Forks the spawner (before confinement). state_dir: netd's own (STATE/netd). */
int netd_spawner_start(const char *state_dir, struct sv_error *err);
void netd_spawner_stop(void);
/* conf: a file name in netd's state directory. *pidfd watched by the caller. */
int netd_spawner_launch(const char *conf, pid_t *pid, int *pidfd, struct sv_error *err);
int netd_spawner_adopt(const char *conf, pid_t pid, int *pidfd, struct sv_error *err);
int netd_spawner_signal(int pidfd, int sig, struct sv_error *err);
/* The dnsmasq binary ($SEPVIRT_DNSMASQ or NETD_DNSMASQ_DEFAULT). */
const char *netd_dnsmasq_binary(void);
