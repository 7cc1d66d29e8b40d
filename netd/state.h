/* What netd holds for each domain, kept in memory and in state_dir/netd/devices so that a
 * restarted netd still knows which devices are its own. */
#pragma once

#include "netd.h"

/* Creates state_dir/netd owned by uid/gid and returns an fd on it (before confinement). */
int netd_state_open_dir(const char *state_dir, uid_t uid, gid_t gid, struct sv_error *err);
/* Reads the devices file into n (nothing there is not an error). */
int netd_state_load(struct netd *n, struct sv_error *err);
/* Writes the whole list: temp file, fsync, rename, fsync of the directory. */
int netd_state_save(const struct netd *n, struct sv_error *err);

struct netd_dev *netd_state_find_ifname(struct netd *n, const char *ifname);
struct netd_dev *netd_state_find(struct netd *n, const char *uuid, uint32_t index);
/* Takes over d->domain_name. */
void netd_state_add(struct netd *n, struct netd_dev *d);
void netd_state_remove(struct netd *n, struct netd_dev *d);
void netd_state_clear(struct netd *n);
