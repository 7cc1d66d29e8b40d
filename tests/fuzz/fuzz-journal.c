/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for netd's journal (state_dir/netd/devices), replayed at start: any content
 * loads without a crash, and every record it trusts is well formed (a known kind, a UUID, a valid
 * interface name, a domain name). The input is the file; records count only after the boot line,
 * so the target writes "boot ID\n" before it when the first input byte is odd. */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ifname.h"
#include "netd.h"
#include "state.h"
#include "util.h"

#define BOOT "6c1f3d4e-9b0a-4c1e-8f55-0a1b2c3d4e5f"

struct netd netd;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scratch[] = "/dev/shm/fuzz-journal.XXXXXX";
static int scratch_fd = -1;

/* libFuzzer ends with exit(): the scratch directory goes with it. */
static void remove_dir(void)
{
	unlinkat(scratch_fd, "devices", 0);
	unlinkat(scratch_fd, "devices.tmp", 0);
	rmdir(scratch);
}

static int state_dir(void)
{
	if (scratch_fd >= 0)
		return scratch_fd;
	if (!mkdtemp(scratch) && !mkdtemp(strcpy(scratch, "/tmp/fuzz-journal.XXXXXX")))
		abort();
	scratch_fd = open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (scratch_fd < 0)
		abort();
	atexit(remove_dir);
	return scratch_fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netd n = { .journal_fd = -1 };
	struct sv_error err = { 0 };
	int fd;

	n.state_dirfd = state_dir();
	snprintf(n.boot_id, sizeof(n.boot_id), "%s", BOOT);
	fd = openat(n.state_dirfd, "devices", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	if (size && (data[0] & 1)) {
		static const char boot[] = "boot " BOOT "\n";
		if (write(fd, boot, sizeof(boot) - 1) != (ssize_t)sizeof(boot) - 1)
			abort();
		data++;
		size--;
	}
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if (netd_state_load(&n, &err) < 0)
		abort(); /* a regular file is always readable: only its content varies */
	for (size_t i = 0; i < n.ndevs; i++) {
		const struct netd_dev *d = &n.devs[i];
		if ((!streq(d->kind, "tap") && !streq(d->kind, "veth")) || !netd_uuid_valid(d->uuid) ||
		    netd_ifname_check(d->ifname, "device", NULL) < 0 || !d->domain_name)
			abort();
	}
	netd_state_clear(&n);
	return 0;
}
