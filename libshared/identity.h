/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Who is who in the suite (system mode): the user each unprivileged daemon runs as, the group
 * of the driver sockets, the group whose members may use the read-write socket, and the uid
 * range each QEMU gets a uid of its own from. Names come from the environment or configure's
 * defaults; in session mode everything is the one user running the suite. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* The roles a peer of a driver socket can have, decided by its uid alone (SO_PEERCRED). Each
 * procedure in a dispatch table names the roles that may call it. */
enum suite_role {
	ROLE_ROOT = 1u << 0,     /* uid 0: administrators, sepvirtd, and the root daemons lxcd and netd */
	ROLE_PROXY = 1u << 1,    /* sepvirt-proxyd, for itself or on a client's behalf */
	ROLE_QEMUD = 1u << 2,    /* sepvirt-qemud */
	ROLE_STORAGED = 1u << 3, /* sepvirt-storaged */
	ROLE_LAST = 1u << 4,
};

/* The driver daemons among themselves: lxcd is root, so ROLE_ROOT stands for it. */
#define ROLE_DRIVERS (ROLE_ROOT | ROLE_QEMUD)
/* What a client reaches through proxyd. */
#define ROLE_CLIENTS (ROLE_ROOT | ROLE_PROXY)
/* Anyone the socket lets in (ping). */
#define ROLE_ANY (ROLE_ROOT | ROLE_PROXY | ROLE_QEMUD | ROLE_STORAGED)

struct suite_ids {
	bool session;
	uid_t proxy_uid, qemu_uid, storage_uid;
	gid_t proxy_gid, qemu_gid, storage_gid; /* their primary groups */
	gid_t daemon_gid;                        /* the driver sockets' group: the daemons only */
	gid_t admin_gid;                         /* may use the read-write socket; (gid_t)-1: root only */
	uid_t vm_uid_first, vm_uid_last;         /* QEMUs: one uid (and gid) each from this range */
};

/* The configured names: $SEPVIRT_PROXY_USER, $SEPVIRT_QEMU_USER, $SEPVIRT_STORAGE_USER,
 * $SEPVIRT_DAEMON_GROUP, $SEPVIRT_ADMIN_GROUP, or configure's defaults. */
const char *suite_proxy_user(void);
const char *suite_qemu_user(void);
const char *suite_storage_user(void);
const char *suite_daemon_group(void);
const char *suite_admin_group(void);

/* Resolves every id. session: the caller is an ordinary user (all ids are its own). A missing
 * user or group, or a VM range that overlaps a daemon's uid, is an error naming it. */
int suite_ids_resolve(struct suite_ids *ids, bool session, struct sv_error *err);
/* $SEPVIRT_VM_UIDS "FIRST-LAST" (default SEPVIRT_VM_UIDS_DEFAULT). */
int suite_vm_range_parse(const char *text, uid_t *first, uid_t *last, struct sv_error *err);
bool suite_vm_uid(const struct suite_ids *ids, uid_t uid);

/* The roles of a peer with this uid; 0 for a stranger. */
unsigned suite_roles_of(const struct suite_ids *ids, uid_t uid);
/* "sepvirt-qemud" or "sepvirt-proxyd or root" for a role mask, into buf. */
const char *suite_roles_name(unsigned roles, char *buf, size_t len);
