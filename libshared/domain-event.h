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
enum { SUSPENDED_PAUSED = 0 };
enum { RESUMED_UNPAUSED = 0 };
enum { STOPPED_SHUTDOWN = 0, STOPPED_DESTROYED = 1, STOPPED_CRASHED = 2, STOPPED_SAVED = 4, STOPPED_FAILED = 5 };
enum { SHUTDOWN_FINISHED = 0 };

/* "Started", "Booted" ... as virsh prints them ("Unknown" out of range). */
const char *domain_event_name(int event);
const char *domain_event_detail_name(int event, int detail);

/* The event a change to (state, reason) announces: false when it announces none (a domain
 * re-attached after a restart, or a state that is only on the way to another). */
bool domain_event_of_state(int state, int reason, int *event, int *detail);
