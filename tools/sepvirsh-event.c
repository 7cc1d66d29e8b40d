/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh event: wait for domain events (lifecycle, reboot, watchdog, io-error...) and print
 * them as virsh does. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "sepvirsh.h"

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void print_timestamp(void)
{
	struct timeval tv;
	struct tm tm;
	char buf[32];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	printf("%s.%03d+0000: ", buf, (int)(tv.tv_usec / 1000));
}

/* The line virsh prints for an event (without the timestamp). */
static void print_event(const sepvirt_domain_event_any *ev)
{
	const char *what = sepvirt_domain_event_id_name(ev->id);

	switch (ev->id) {
	case SEPVIRT_DOMAIN_EVENT_ID_LIFECYCLE:
		printf("event 'lifecycle' for domain '%s': %s %s\n", ev->name, sepvirt_domain_event_name(ev->event),
		       sepvirt_domain_event_detail_name(ev->event, ev->detail));
		break;
	case SEPVIRT_DOMAIN_EVENT_ID_WATCHDOG:
		printf("event 'watchdog' for domain '%s': %s\n", ev->name, sepvirt_domain_event_action_name(ev->id, ev->action));
		break;
	case SEPVIRT_DOMAIN_EVENT_ID_IO_ERROR:
		printf("event 'io-error' for domain '%s': %s (%s) %s\n", ev->name, ev->src_path, ev->dev_alias,
		       sepvirt_domain_event_action_name(ev->id, ev->action));
		break;
	case SEPVIRT_DOMAIN_EVENT_ID_IO_ERROR_REASON:
		printf("event 'io-error-reason' for domain '%s': %s (%s) %s due to %s\n", ev->name, ev->src_path,
		       ev->dev_alias, sepvirt_domain_event_action_name(ev->id, ev->action), ev->reason);
		break;
	case SEPVIRT_DOMAIN_EVENT_ID_BALLOON_CHANGE:
		printf("event 'balloon-change' for domain '%s': %lluKiB\n", ev->name, ev->value);
		break;
	case SEPVIRT_DOMAIN_EVENT_ID_DEVICE_REMOVED:
	case SEPVIRT_DOMAIN_EVENT_ID_DEVICE_ADDED:
		printf("event '%s' for domain '%s': %s\n", what, ev->name, ev->dev_alias);
		break;
	default:
		printf("event '%s' for domain '%s'\n", what ? what : "unknown", ev->name);
	}
}

static const char *const event_opts[] = { "domain=", "event=", "loop", "timeout=", "all", "list", "timestamp", NULL };

static int cmd_event(struct vsh_ctl *ctl, const struct vsh_cmd *cmd)
{
	const struct vsh_command *def = &vsh_event_commands[0];
	const char *dom = vsh_opt_value(cmd, def, "domain");
	const char *type = vsh_opt_value(cmd, def, "event");
	const char *tmo = vsh_opt_value(cmd, def, "timeout");
	bool loop = vsh_has(cmd, def, "loop"), all = vsh_has(cmd, def, "all");
	bool stamp = vsh_has(cmd, def, "timestamp");
	sepvirt_domain d = { 0 };
	int64_t end = 0;
	int count = 0, want = -1;
	sepvirt_conn *conn;

	if (vsh_has(cmd, def, "list")) {
		for (int id = 0; id < 64; id++)
			if (sepvirt_domain_event_id_name(id))
				printf("%s\n", sepvirt_domain_event_id_name(id));
		return 0;
	}
	if (!all && !type) {
		fprintf(stderr, "error: one of --list, --all, or --event <type> is required\n");
		return 1;
	}
	if (all && type) {
		fprintf(stderr, "error: Options --all and --event are mutually exclusive\n");
		return 1;
	}
	if (type && (want = sepvirt_domain_event_id_from_name(type)) < 0) {
		fprintf(stderr, "error: unknown event type %s (sepvirt sends: lifecycle, reboot, watchdog, io-error, "
				"io-error-reason, balloon-change, device-removed, device-added)\n", type);
		return 1;
	}
	if (tmo) {
		char *e;
		long s = strtol(tmo, &e, 10);
		if (*e || s <= 0 || s > 86400 * 365) {
			fprintf(stderr, "error: invalid timeout '%s': a number of seconds is expected\n", tmo);
			return 1;
		}
		end = now_ms() + s * 1000;
	}
	if (!(conn = vsh_conn(ctl)))
		return 1;
	if (dom && vsh_lookup_domain(ctl, dom, &d) < 0)
		return 1;
	if (sepvirt_domain_event_register(conn) < 0)
		return vsh_fail("failed to register for domain events");
	for (;;) {
		sepvirt_domain_event_any ev;
		int left = -1;
		if (end) {
			int64_t l = end - now_ms();
			left = l > 0 ? (int)l : 0;
		}
		int r = sepvirt_domain_event_wait_any(conn, left, &ev);
		if (r < 0)
			return vsh_fail("lost the connection while waiting for events");
		if (r == 0) {
			printf("event loop timed out\n");
			break;
		}
		if ((dom && strcmp(ev.uuid, d.uuid) != 0) || (want >= 0 && ev.id != want))
			continue;
		if (stamp)
			print_timestamp();
		print_event(&ev);
		fflush(stdout);
		count++;
		if (!loop)
			break;
	}
	printf("events received: %d\n", count);
	return count ? 0 : 1;
}

const struct vsh_command vsh_event_commands[] = {
	{ "event", "wait for domain events (--all | --event TYPE, --domain, --loop, --timeout SECS, "
		   "--timestamp, --list)", event_opts, NULL, cmd_event },
	{ NULL },
};
