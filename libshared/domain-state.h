/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain states and reasons, numbered as libvirt numbers them so virsh users read the same words. */
#pragma once

enum domain_state {
	DOMAIN_NOSTATE = 0,
	DOMAIN_RUNNING = 1,
	DOMAIN_BLOCKED = 2,
	DOMAIN_PAUSED = 3,
	DOMAIN_SHUTDOWN = 4,
	DOMAIN_SHUTOFF = 5,
	DOMAIN_CRASHED = 6,
	DOMAIN_PMSUSPENDED = 7,
	DOMAIN_STATE_LAST
};

enum domain_running_reason {
	RUNNING_UNKNOWN = 0,
	RUNNING_BOOTED = 1,
	RUNNING_RESTORED = 3,
	RUNNING_FROM_SNAPSHOT = 4,
	RUNNING_UNPAUSED = 5,
	RUNNING_CRASHED = 9,
};
enum domain_paused_reason {
	PAUSED_UNKNOWN = 0,
	PAUSED_USER = 1,
	PAUSED_SAVE = 3,
	PAUSED_IOERROR = 5,
	PAUSED_WATCHDOG = 6,
	PAUSED_FROM_SNAPSHOT = 7,
	PAUSED_SHUTTING_DOWN = 8,
	PAUSED_STARTING_UP = 11,
};
enum domain_shutdown_reason { SHUTDOWN_UNKNOWN = 0, SHUTDOWN_USER = 1 };
enum domain_shutoff_reason {
	SHUTOFF_UNKNOWN = 0,
	SHUTOFF_SHUTDOWN = 1,
	SHUTOFF_DESTROYED = 2,
	SHUTOFF_CRASHED = 3,
	SHUTOFF_SAVED = 5,
	SHUTOFF_FAILED = 6,
	SHUTOFF_DAEMON = 8,
};
enum domain_crashed_reason { CRASHED_UNKNOWN = 0, CRASHED_PANICKED = 1 };

/* "running", "shut off" ... as virsh prints them. */
const char *domain_state_name(int state);
/* "booted", "destroyed" ... as virsh prints them with --reason. */
const char *domain_reason_name(int state, int reason);
