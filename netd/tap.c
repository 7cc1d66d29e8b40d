/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Taps: TUNSETIFF on fresh fds of /dev/net/tun, opened through the /dev/net directory fd that
 * setup() kept, so that the sandbox can pin O_RDWR opens to that one directory. */
#include "config.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "tap.h"

static int tap_attach(int tun_dirfd, const char *name, short flags, char ifname[IFNAMSIZ])
{
	struct ifreq ifr = { .ifr_flags = flags };
	_cleanup_close_ int fd = openat(tun_dirfd, "tun", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		return -errno;
	memcpy(ifname, ifr.ifr_name, IFNAMSIZ);
	ifname[IFNAMSIZ - 1] = '\0';
	return TAKE_FD(fd);
}

int netd_tap_open(int tun_dirfd, const struct netd_tap_spec *spec, char ifname[IFNAMSIZ], int *fds)
{
	short flags = IFF_TAP | IFF_NO_PI;
	unsigned n = spec->queues ? spec->queues : 1;
	unsigned opened = 0;
	int r = 0;

	if (n > NETD_MAX_QUEUES)
		return -E2BIG;
	if (spec->vnet_hdr)
		flags |= IFF_VNET_HDR;
	if (n > 1)
		flags |= IFF_MULTI_QUEUE;
	for (; opened < n; opened++) {
		/* The first fd creates (never taking over an existing device: IFF_TUN_EXCL) and
		 * resolves a template; every further queue attaches to that exact name. */
		short f = flags | (opened == 0 && spec->create ? IFF_TUN_EXCL : 0);
		r = tap_attach(tun_dirfd, opened == 0 ? spec->name : ifname, f, ifname);
		if (r < 0)
			break;
		fds[opened] = r;
	}
	if (r < 0) {
		while (opened > 0)
			close(fds[--opened]);
		return r;
	}
	return 0;
}
