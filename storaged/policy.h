/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which owners, groups and modes storaged gives the files and directories it creates.
 * Never setuid, setgid, sticky or world-writable; owners: storaged's own uid and gid, and the
 * users SEPVIRT_STORAGE_OWNERS lists (their primary groups as groups); never uid or gid 0. */
#pragma once

#include <sys/types.h>

#include "error.h"
#include "xml/storage-common.h"

#define STORAGED_OWNERS_ENV "SEPVIRT_STORAGE_OWNERS"

/* Before confinement (user names are resolved here): own is who storaged runs as,
 * owners the value of SEPVIRT_STORAGE_OWNERS (NULL or "" for none). */
int storaged_policy_init(uid_t own_uid, gid_t own_gid, const char *owners, struct sv_error *err);
void storaged_policy_fini(void);
uid_t storaged_policy_uid(void);
gid_t storaged_policy_gid(void);

/* Each check names the subject in its error ("volume 'v'", "storage pool 'p'"). */
int storaged_policy_check_mode(const char *subject, unsigned mode, struct sv_error *err);
/* uid/gid -1: storaged's own (nothing to check). */
int storaged_policy_check_owner(const char *subject, long long uid, long long gid, struct sv_error *err);
/* Mode and owner as above, and that storaged keeps the access `need` (06 for a file, 07 for
 * a directory) to what it creates: it has no CAP_DAC_OVERRIDE. dflt: the mode when none is given. */
int storaged_policy_check_perms(const char *subject, const struct storage_perms *perms, unsigned need,
				unsigned dflt, struct sv_error *err);
