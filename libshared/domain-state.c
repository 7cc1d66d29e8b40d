/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "domain-state.h"
#include "util.h"

static const char *const states[DOMAIN_STATE_LAST] = {
	"no state", "running", "idle", "paused", "in shutdown", "shut off", "crashed", "pmsuspended",
};

static const char *const running[] = {
	"unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
	"migration canceled", "save canceled", "event wakeup", "crashed", "post-copy",
};
static const char *const paused[] = {
	"unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog", "from snapshot",
	"shutting down", "creating snapshot", "crashed", "starting up", "post-copy", "post-copy failed",
};
static const char *const shutdown_[] = { "unknown", "user" };
static const char *const shutoff[] = {
	"unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot", "daemon",
};
static const char *const crashed[] = { "unknown", "panicked" };

const char *domain_state_name(int state)
{
	if (state < 0 || state >= DOMAIN_STATE_LAST)
		return "no state";
	return states[state];
}

#define PICK(table) ((size_t)reason < ARRAY_SIZE(table) ? table[reason] : "unknown")

const char *domain_reason_name(int state, int reason)
{
	if (reason < 0)
		return "unknown";
	switch (state) {
	case DOMAIN_RUNNING:
		return PICK(running);
	case DOMAIN_PAUSED:
		return PICK(paused);
	case DOMAIN_SHUTDOWN:
		return PICK(shutdown_);
	case DOMAIN_SHUTOFF:
		return PICK(shutoff);
	case DOMAIN_CRASHED:
		return PICK(crashed);
	default:
		return "unknown";
	}
}
