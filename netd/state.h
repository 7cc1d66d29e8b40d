/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What netd holds for each domain, kept in memory and in state_dir/netd/devices so that a
 * restarted netd still knows which devices are its own. */
#pragma once

#include "netd.h"

/* Creates state_dir/netd owned by uid/gid and returns an fd on it (before confinement). */
int netd_state_open_dir(const char *state_dir, uid_t uid, gid_t gid, struct sv_error *err);
/* This boot's id (/proc/sys/kernel/random/boot_id), read before confinement. */
int netd_state_read_boot_id(char *buf, size_t len, struct sv_error *err);
/* Replays the journal into n (nothing there is not an error). Records of an earlier boot are
 * dropped: no tap survives a reboot. */
int netd_state_load(struct netd *n, struct sv_error *err);
/* Compaction: the live records to a temp file renamed over the journal, which is then reopened
 * for appending. Not fsynced: the journal must survive a crash of netd (the page cache does),
 * not of the host -- after a reboot every device it describes is gone and the boot id says so. */
int netd_state_save(struct netd *n, struct sv_error *err);
/* Adds d (taking over d->domain_name) and appends "+ ..." -- one write(2), before the reply. */
int netd_state_record(struct netd *n, struct netd_dev *d, struct sv_error *err);
/* Appends "- UUID IFNAME" and drops the record. */
int netd_state_forget(struct netd *n, struct netd_dev *d, struct sv_error *err);

struct netd_dev *netd_state_find_ifname(struct netd *n, const char *ifname);
struct netd_dev *netd_state_find(struct netd *n, const char *uuid, uint32_t index);
/* Takes over d->domain_name. */
void netd_state_add(struct netd *n, struct netd_dev *d);
void netd_state_remove(struct netd *n, struct netd_dev *d);
void netd_state_clear(struct netd *n);
