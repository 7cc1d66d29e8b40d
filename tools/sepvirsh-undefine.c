/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh undefine, with virsh's storage options: --remove-all-storage removes the volumes of
 * the domain's disks through sepvirt-storaged, --storage only those named (target or source), as
 * virsh does it on the client side: the volumes are found before the domain is undefined and
 * removed after. A disk that is no volume of an active pool is left, said by name. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sepvirsh.h"
#include "util.h"

static const char *const undefine_pos[] = { "domain", NULL };
/* "storage=" is first: its value is optvals[0] */
static const char *const undefine_opts[] = { "storage=", "remove-all-storage", "nvram", "keep-nvram", NULL };

struct doomed {
	char pool[256], vol[256];
	const char *target, *source;
};

/* The pool and name of the volume a disk names: its pool and volume, or the volume of an active
 * pool whose path it is (virStorageVolLookupByPath). */
static bool find_volume(sepvirt_conn *conn, const struct vsh_disk *disk, struct doomed *out)
{
	_cleanup_free_ sepvirt_pool *pools = NULL;
	sepvirt_vol info;
	int n;

	if (disk->pool[0]) {
		if (sepvirt_vol_get_info(conn, disk->pool, disk->source, &info) < 0)
			return false;
		snprintf(out->pool, sizeof(out->pool), "%s", disk->pool);
		snprintf(out->vol, sizeof(out->vol), "%s", disk->source);
		return true;
	}
	n = sepvirt_pool_list(conn, 0, &pools);
	for (int i = 0; i < n; i++) {
		_cleanup_free_ sepvirt_vol *vols = NULL;
		int m = sepvirt_vol_list(conn, pools[i].name, &vols);
		for (int k = 0; k < m; k++) {
			if (!streq(vols[k].path, disk->source))
				continue;
			snprintf(out->pool, sizeof(out->pool), "%s", pools[i].name);
			snprintf(out->vol, sizeof(out->vol), "%s", vols[k].name);
			return true;
		}
	}
	return false;
}

static int cmd_undefine(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const char *storage = cmd->optvals[0];
	bool all = vsh_flag(cmd, undefine_opts, "remove-all-storage");
	_cleanup_free_ char *xml = NULL, *list = NULL;
	_cleanup_free_ struct doomed *doomed = NULL;
	struct vsh_disk *disks = NULL;
	size_t ndoomed = 0;
	int ndisks = 0, rc = 0;
	sepvirt_domain d;
	char msg[512];

	if (storage && all) {
		fprintf(stderr, "error: Options --storage and --remove-all-storage are mutually exclusive\n");
		return 1;
	}
	if (vsh_flag(cmd, undefine_opts, "nvram") && vsh_flag(cmd, undefine_opts, "keep-nvram")) {
		fprintf(stderr, "error: Options --nvram and --keep-nvram are mutually exclusive\n");
		return 1;
	}
	if (vsh_lookup_domain(ctl, cmd->argv[0], &d) < 0)
		return 1;
	if (!(xml = sepvirt_domain_get_xml(ctl->conn, d.uuid, 0)))
		return vsh_fail(NULL);
	/* qemud removes a UEFI domain's own NVRAM copy with its definition, as --nvram asks;
	 * keeping it is not offered */
	if (vsh_flag(cmd, undefine_opts, "keep-nvram") &&
	    vsh_xml_has(xml, "/domain/os/loader|/domain/os/nvram|/domain/os[@firmware='efi']")) {
		fprintf(stderr, "error: Failed to undefine domain '%s'\n"
				"error: this function is not supported by the connection driver: --keep-nvram: "
				"sepvirt-qemud removes the domain's NVRAM copy with its definition\n", d.name);
		return 1;
	}
	if ((storage || all) && (ndisks = vsh_domain_disks(xml, &disks)) < 0)
		return 1;
	if (storage)
		list = xstrdup(storage);
	doomed = xcalloc((size_t)ndisks + 1, sizeof(*doomed));
	for (int i = 0; i < ndisks; i++) {
		struct vsh_disk *k = &disks[i];
		if (!k->target[0] || !k->source[0])
			continue;
		if (storage) {
			bool wanted = false;
			_cleanup_free_ char *copy = xstrdup(storage);
			char *save = NULL;
			for (char *t = strtok_r(copy, ",", &save); t && !wanted; t = strtok_r(NULL, ",", &save))
				wanted = streq(t, k->target) || streq(t, k->source);
			if (!wanted)
				continue;
		}
		if (!find_volume(ctl->conn, k, &doomed[ndoomed])) {
			fprintf(stderr, "error: Storage volume '%s'(%s) is not managed by sepvirt. Remove it manually.\n\n",
				k->target, k->source);
			continue;
		}
		doomed[ndoomed].target = k->target;
		doomed[ndoomed].source = k->source;
		ndoomed++;
	}
	/* every volume named must be one of the domain's disks, before anything is done */
	if (storage) {
		char *save = NULL;
		for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			bool found = false;
			for (int i = 0; i < ndisks && !found; i++)
				found = streq(t, disks[i].target) || streq(t, disks[i].source);
			if (!found) {
				fprintf(stderr, "error: Volume '%s' was not found in domain's definition.\n\n", t);
				vsh_disks_free(disks, ndisks);
				return 1;
			}
		}
	}
	if (sepvirt_domain_undefine(ctl->conn, d.name) < 0) {
		snprintf(msg, sizeof(msg), "Failed to undefine domain '%s'", d.name);
		vsh_disks_free(disks, ndisks);
		return vsh_fail(msg);
	}
	printf("Domain '%s' has been undefined\n", d.name);
	for (size_t i = 0; i < ndoomed; i++) {
		if (sepvirt_vol_delete(ctl->conn, doomed[i].pool, doomed[i].vol) < 0) {
			snprintf(msg, sizeof(msg), "Failed to remove storage volume '%s'(%s)", doomed[i].target,
				 doomed[i].source);
			rc = vsh_fail(msg);
			continue;
		}
		printf("Volume '%s'(%s) removed.\n", doomed[i].target, doomed[i].source);
	}
	vsh_disks_free(disks, ndisks);
	return rc;
}

const struct vsh_command vsh_undefine_commands[] = {
	{ "undefine", "undefine a domain (--remove-all-storage, --storage VOLUMES, --nvram, --keep-nvram)", undefine_opts,
	  undefine_pos, cmd_undefine },
	{ NULL },
};
