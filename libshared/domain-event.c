/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "domain-event.h"
#include "domain-state.h"
#include "util.h"

static const char *const events[DOMAIN_EVENT_LAST] = {
	"Defined", "Undefined", "Started", "Suspended", "Resumed", "Stopped", "Shutdown", "PMSuspended", "Crashed",
};
static const char *const defined[] = { "Added", "Updated", "Renamed", "Snapshot" };
static const char *const undefined[] = { "Removed", "Renamed" };
static const char *const started[] = { "Booted", "Migrated", "Restored", "Snapshot", "Event wakeup" };
static const char *const suspended[] = {
	"Paused", "Migrated", "I/O Error", "Watchdog", "Restored", "Snapshot", "API error", "Post-copy",
	"Post-copy Error",
};
static const char *const resumed[] = { "Unpaused", "Migrated", "Snapshot", "Post-copy" };
static const char *const stopped[] = { "Shutdown", "Destroyed", "Crashed", "Migrated", "Saved", "Failed", "Snapshot" };
static const char *const shutdown_[] = { "Finished", "Finished after guest request", "Finished after host request" };
static const char *const pmsuspended[] = { "Memory", "Disk" };
static const char *const crashed[] = { "Panicked" };

static const char *const ids[DOMAIN_EVENT_ID_LAST] = {
	[DOMAIN_EVENT_ID_LIFECYCLE] = "lifecycle",
	[DOMAIN_EVENT_ID_REBOOT] = "reboot",
	[DOMAIN_EVENT_ID_WATCHDOG] = "watchdog",
	[DOMAIN_EVENT_ID_IO_ERROR] = "io-error",
	[DOMAIN_EVENT_ID_IO_ERROR_REASON] = "io-error-reason",
	[DOMAIN_EVENT_ID_BALLOON_CHANGE] = "balloon-change",
	[DOMAIN_EVENT_ID_DEVICE_REMOVED] = "device-removed",
	[DOMAIN_EVENT_ID_DEVICE_ADDED] = "device-added",
};
static const char *const watchdog_actions[WATCHDOG_LAST] = {
	"none", "pause", "reset", "poweroff", "shutdown", "debug", "inject-nmi",
};
static const char *const io_error_actions[IO_ERROR_LAST] = { "none", "pause", "report" };

const char *domain_event_id_name(int id)
{
	return id >= 0 && id < DOMAIN_EVENT_ID_LAST ? ids[id] : NULL;
}

int domain_event_id_of_name(const char *name)
{
	for (int i = 0; i < DOMAIN_EVENT_ID_LAST; i++)
		if (ids[i] && streq(ids[i], name))
			return i;
	return -1;
}

const char *domain_event_watchdog_action_name(int action)
{
	return action >= 0 && action < WATCHDOG_LAST ? watchdog_actions[action] : "unknown";
}

const char *domain_event_io_error_action_name(int action)
{
	return action >= 0 && action < IO_ERROR_LAST ? io_error_actions[action] : "unknown";
}

const char *domain_event_name(int event)
{
	return event >= 0 && event < DOMAIN_EVENT_LAST ? events[event] : "Unknown";
}

#define PICK(table) ((size_t)detail < ARRAY_SIZE(table) ? table[detail] : "Unknown")

const char *domain_event_detail_name(int event, int detail)
{
	if (detail < 0)
		return "Unknown";
	switch (event) {
	case DOMAIN_EVENT_DEFINED: return PICK(defined);
	case DOMAIN_EVENT_UNDEFINED: return PICK(undefined);
	case DOMAIN_EVENT_STARTED: return PICK(started);
	case DOMAIN_EVENT_SUSPENDED: return PICK(suspended);
	case DOMAIN_EVENT_RESUMED: return PICK(resumed);
	case DOMAIN_EVENT_STOPPED: return PICK(stopped);
	case DOMAIN_EVENT_SHUTDOWN: return PICK(shutdown_);
	case DOMAIN_EVENT_PMSUSPENDED: return PICK(pmsuspended);
	case DOMAIN_EVENT_CRASHED: return PICK(crashed);
	default: return "Unknown";
	}
}

bool domain_event_of_state(int state, int reason, int *event, int *detail)
{
	switch (state) {
	case DOMAIN_RUNNING:
		if (reason == RUNNING_BOOTED)
			*event = DOMAIN_EVENT_STARTED, *detail = STARTED_BOOTED;
		else if (reason == RUNNING_RESTORED)
			*event = DOMAIN_EVENT_STARTED, *detail = STARTED_RESTORED;
		else if (reason == RUNNING_UNPAUSED)
			*event = DOMAIN_EVENT_RESUMED, *detail = RESUMED_UNPAUSED;
		else
			return false;
		return true;
	case DOMAIN_PAUSED:
		if (reason == PAUSED_STARTING_UP)
			return false; /* the start is not over yet: STARTED follows */
		*event = DOMAIN_EVENT_SUSPENDED;
		*detail = reason == PAUSED_IOERROR ? SUSPENDED_IOERROR
			  : reason == PAUSED_WATCHDOG ? SUSPENDED_WATCHDOG
						      : SUSPENDED_PAUSED;
		return true;
	case DOMAIN_SHUTOFF:
		*event = DOMAIN_EVENT_STOPPED;
		*detail = reason == SHUTOFF_SHUTDOWN    ? STOPPED_SHUTDOWN
			  : reason == SHUTOFF_DESTROYED ? STOPPED_DESTROYED
			  : reason == SHUTOFF_CRASHED   ? STOPPED_CRASHED
			  : reason == SHUTOFF_SAVED     ? STOPPED_SAVED
							: STOPPED_FAILED;
		return true;
	case DOMAIN_SHUTDOWN:
		*event = DOMAIN_EVENT_SHUTDOWN, *detail = SHUTDOWN_FINISHED;
		return true;
	case DOMAIN_CRASHED:
		*event = DOMAIN_EVENT_CRASHED, *detail = 0;
		return true;
	default:
		return false;
	}
}
