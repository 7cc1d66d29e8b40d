/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A container launch request, daemon -> spawner, over a SOCK_SEQPACKET socketpair: one datagram
 * of "key=value\0" records (repeated keys for lists). The spawner decodes it and re-checks every
 * path: it trusts the daemon no more than it must. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "xml/domain-def.h"

#define LXCD_LAUNCH_MAX (256 * 1024)
#define LXCD_LAUNCH_MAX_ITEMS 256

struct lxcd_mount {
	const char *src, *dst; /* host path, path inside the container */
	bool readonly;
};

struct lxcd_launch {
	const char *name;      /* the domain name: hostname and cgroup name */
	const char *rootfs;    /* host directory that becomes / */
	const char *log_path;  /* console output */
	const char *argv[LXCD_LAUNCH_MAX_ITEMS + 1]; /* argv[0] is <init>, a path inside the rootfs */
	size_t argc;
	const char *env[LXCD_LAUNCH_MAX_ITEMS + 1];
	size_t nenv;
	struct lxcd_mount mounts[LXCD_LAUNCH_MAX_ITEMS];
	size_t nmounts;
	struct domain_idmap uidmap[32], gidmap[32];
	size_t nuidmap, ngidmap;
	unsigned long long memory_bytes;
	unsigned vcpus;
};

/* The default id range of a container without <idmap>: root inside is this uid outside. */
#define LXCD_DEFAULT_ID_BASE 100000U
#define LXCD_DEFAULT_ID_COUNT 65536U

/* From a definition: the request text in *out (len in *outlen). Refuses what cannot run
 * (no root filesystem, no init), naming it. */
int lxcd_launch_encode(const struct domain_def *def, const char *log_path, char **out, size_t *outlen,
		       struct sv_error *err);
/* buf must stay alive while req is used (req points into it); buf[len] must be writable. */
int lxcd_launch_decode(char *buf, size_t len, struct lxcd_launch *req, struct sv_error *err);
/* Whether def can be started (the same checks as encode). */
int lxcd_launch_check(const struct domain_def *def, struct sv_error *err);
