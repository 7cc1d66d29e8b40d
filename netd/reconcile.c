/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* At start-up: what netd recorded before it was stopped or killed, against what exists now.
 * A tun device has carrier while some fd (QEMU's) is attached to it: that domain still runs. */
#include "config.h"

#include "link.h"
#include "log.h"
#include "reconcile.h"
#include "state.h"

int netd_reconcile(struct netd *n, struct sv_error *err)
{
	for (size_t i = n->ndevs; i-- > 0;) {
		struct netd_dev *d = &n->devs[i];
		struct netd_link_info li;
		int r = netd_link_get(n->nl, d->ifname, &li);

		if (r < 0 && r != -ENODEV) {
			log_warn("cannot look up tap '%s' of domain %s: %s; keeping its record", d->ifname, d->uuid,
				 strerror(-r));
			continue;
		}
		if (r == 0 && li.ifindex == d->ifindex && li.carrier)
			continue; /* still attached: its domain runs */
		/* A veth lives as long as its peer's namespace: the container's, which still runs. */
		if (r == 0 && li.ifindex == d->ifindex && streq(d->kind, "veth"))
			continue;
		if (r == -ENODEV || li.ifindex != d->ifindex) {
			log_info("tap '%s' of domain '%s' (%s) is gone: forgetting it", d->ifname, d->domain_name, d->uuid);
		} else if (d->managed) {
			/* A leftover netd created: nobody holds it any more. */
			r = netd_link_delete(n->nl, li.ifindex);
			log_info("tap '%s' of domain '%s' (%s) is no longer used: %s", d->ifname, d->domain_name,
				 d->uuid, r < 0 ? strerror(-r) : "deleted");
		} else {
			log_info("unmanaged tap '%s' of domain '%s' (%s) is no longer used: forgetting it, left as it is",
				 d->ifname, d->domain_name, d->uuid);
		}
		netd_state_remove(n, d);
	}
	return netd_state_save(n, err); /* compacts and opens the journal, changed or not */
}

int netd_forget_vanished(struct netd *n)
{
	int forgotten = 0;

	for (size_t i = n->ndevs; i-- > 0;) {
		struct netd_dev *d = &n->devs[i];
		struct netd_link_info li;
		struct sv_error err;
		int r = netd_link_get(n->nl, d->ifname, &li);

		/* another device under the same name (a new ifindex) is not ours either */
		if (r == 0 && li.ifindex == d->ifindex)
			continue;
		if (r < 0 && r != -ENODEV)
			continue; /* cannot tell: keep it */
		log_info("%s '%s' of domain '%s' (%s) was deleted behind netd's back: forgetting it", d->kind,
			 d->ifname, d->domain_name, d->uuid);
		if (netd_state_forget(n, d, &err) < 0)
			log_warn("%s", err.message);
		forgotten++;
	}
	return forgotten;
}
