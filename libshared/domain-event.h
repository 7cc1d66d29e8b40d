/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain lifecycle events, numbered as libvirt numbers them (virDomainEventType and the detail
 * enum of each), so virsh-like tools print libvirt's words; and which state change is which. */
#pragma once

#include <stdbool.h>

enum domain_event {
	DOMAIN_EVENT_DEFINED = 0,
	DOMAIN_EVENT_UNDEFINED = 1,
	DOMAIN_EVENT_STARTED = 2,
	DOMAIN_EVENT_SUSPENDED = 3,
	DOMAIN_EVENT_RESUMED = 4,
	DOMAIN_EVENT_STOPPED = 5,
	DOMAIN_EVENT_SHUTDOWN = 6,
	DOMAIN_EVENT_PMSUSPENDED = 7,
	DOMAIN_EVENT_CRASHED = 8,
	DOMAIN_EVENT_LAST
};

enum { DEFINED_ADDED = 0, DEFINED_UPDATED = 1 };
enum { UNDEFINED_REMOVED = 0 };
enum { STARTED_BOOTED = 0, STARTED_RESTORED = 2 };
enum { SUSPENDED_PAUSED = 0, SUSPENDED_IOERROR = 2, SUSPENDED_WATCHDOG = 3 };
enum { RESUMED_UNPAUSED = 0 };
enum { STOPPED_SHUTDOWN = 0, STOPPED_DESTROYED = 1, STOPPED_CRASHED = 2, STOPPED_SAVED = 4, STOPPED_FAILED = 5 };
enum { SHUTDOWN_FINISHED = 0 };

/* Events other than lifecycle, by libvirt's virDomainEventID: the ones sepvirt sends. */
enum domain_event_id {
	DOMAIN_EVENT_ID_LIFECYCLE = 0,
	DOMAIN_EVENT_ID_REBOOT = 1,
	DOMAIN_EVENT_ID_WATCHDOG = 3,
	DOMAIN_EVENT_ID_IO_ERROR = 4,
	DOMAIN_EVENT_ID_IO_ERROR_REASON = 6,
	DOMAIN_EVENT_ID_BALLOON_CHANGE = 13,
	DOMAIN_EVENT_ID_DEVICE_REMOVED = 15,
	DOMAIN_EVENT_ID_DEVICE_ADDED = 19,
	DOMAIN_EVENT_ID_LAST = 20
};
/* virsh event's name of an ID ("reboot", "io-error"...), NULL for one sepvirt never sends. */
const char *domain_event_id_name(int id);
/* The ID of a name, -1 when sepvirt sends no such event. */
int domain_event_id_of_name(const char *name);
/* virDomainEventWatchdogAction and virDomainEventIOErrorAction as virsh prints them. */
enum { WATCHDOG_NONE, WATCHDOG_PAUSE, WATCHDOG_RESET, WATCHDOG_POWEROFF, WATCHDOG_SHUTDOWN, WATCHDOG_DEBUG,
       WATCHDOG_INJECT_NMI, WATCHDOG_LAST };
enum { IO_ERROR_NONE, IO_ERROR_PAUSE, IO_ERROR_REPORT, IO_ERROR_LAST };
const char *domain_event_watchdog_action_name(int action);
const char *domain_event_io_error_action_name(int action);

/* "Started", "Booted" ... as virsh prints them ("Unknown" out of range). */
const char *domain_event_name(int event);
const char *domain_event_detail_name(int event, int detail);

/* The event a change to (state, reason) announces: false when it announces none (a domain
 * re-attached after a restart, or a state that is only on the way to another). */
bool domain_event_of_state(int state, int reason, int *event, int *detail);
