/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Batched deletion of released taps: see reap.h. */
#include "config.h"

#include "evloop.h"
#include "link.h"
#include "log.h"
#include "reap.h"

static void on_reap_timer(struct evwatch *w, void *userdata)
{
	struct netd *n = userdata;

	evwatch_remove(w);
	n->reap_timer = NULL;
	netd_reap_flush(n);
}

int netd_reap_mark(struct netd *n, int ifindex)
{
	int r = netd_link_retire(n->nl, ifindex, NETD_REAP_GROUP);

	if (r < 0)
		return r;
	n->reap_count++;
	if (!n->reap_timer) {
		n->reap_timer = evloop_timer(n->loop, NETD_REAP_DELAY_MS, 0, on_reap_timer, n);
		if (!n->reap_timer)
			return netd_reap_flush(n); /* no timer: delete it now rather than never */
	}
	return 0;
}

int netd_reap_flush(struct netd *n)
{
	int r = netd_link_delete_group(n->nl, NETD_REAP_GROUP);

	if (r == -ENODEV)
		r = 0; /* an empty group: nothing was waiting */
	if (r < 0)
		log_warn("cannot delete the released taps (link group %u): %s", NETD_REAP_GROUP, strerror(-r));
	else if (n->reap_count)
		log_debug("deleted %u released tap(s)", n->reap_count);
	n->reap_count = 0;
	if (n->reap_timer) {
		evwatch_remove(n->reap_timer);
		n->reap_timer = NULL;
	}
	return r;
}

bool netd_reap_pending(const struct netd *n)
{
	return n->reap_count > 0;
}
