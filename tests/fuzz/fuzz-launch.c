/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for lxcd's launch decoder (what the spawner, running as root, reads from the
 * daemon): a request is refused with "launch request: bad ..." or every path it names is
 * absolute and free of "..", within the item limits. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "launch.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_path(const char *p)
{
	if (!p || p[0] != '/' || strstr(p, "/../"))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lxcd_launch req;
	struct sv_error err = { 0 };
	char *buf;

	if (size > LXCD_LAUNCH_MAX)
		return 0; /* the spawner's datagram is never larger */
	buf = xmalloc(size + 1);
	memcpy(buf, data, size);
	if (lxcd_launch_decode(buf, size, &req, &err) < 0) {
		if (!startswith(err.message, "launch request: bad "))
			abort();
	} else {
		check_path(req.rootfs);
		check_path(req.log_path);
		check_path(req.argv[0]);
		if (req.argc > LXCD_LAUNCH_MAX_ITEMS || req.nenv > LXCD_LAUNCH_MAX_ITEMS ||
		    req.nmounts > LXCD_LAUNCH_MAX_ITEMS || !req.nuidmap || !req.ngidmap || req.nuidmap > 32 ||
		    req.ngidmap > 32 || !req.name || strchr(req.name, '/'))
			abort();
		for (size_t i = 0; i < req.nmounts; i++) {
			check_path(req.mounts[i].src);
			check_path(req.mounts[i].dst);
		}
	}
	free(buf);
	return 0;
}
