/* A QMP client on the event loop. Commands are synchronous (a handler needs the answer
 * before it replies; QEMU answers in microseconds); events are read whenever the socket is
 * readable, queued, and delivered from the loop, never from inside a command. */
#pragma once

#include <json-c/json.h>

#include "evloop.h"
#include "error.h"

struct qemud_qmp;

struct qemud_qmp_ops {
	/* SHUTDOWN, STOP, RESUME, RESET, POWERDOWN ...; data may be NULL. */
	void (*event)(struct qemud_qmp *m, const char *name, struct json_object *data, void *userdata);
	/* The monitor closed: QEMU is gone or going. Called once; the qmp may be closed in it. */
	void (*eof)(struct qemud_qmp *m, void *userdata);
};

/* The monitor's UNIX socket: bound and listening (handed to QEMU), or connected to it. */
int qemud_monitor_socket(const char *path, bool listening, struct sv_error *err);
/* The same for any UNIX socket QEMU is handed (a chardev's); what names it in errors. */
int qemud_unix_socket(const char *what, const char *path, bool listening, struct sv_error *err);
/* Connects to the monitor socket, reads the greeting and negotiates capabilities within
 * timeout_ms. When abort_fd (QEMU's pidfd) becomes readable first, fails with -ECHILD. */
int qemud_qmp_open(struct evloop *loop, const char *path, int abort_fd, int timeout_ms,
		   const struct qemud_qmp_ops *ops, void *userdata, struct qemud_qmp **out, struct sv_error *err);
/* Runs one command; *ret (may be NULL) receives the "return" value (json_object_put it). */
int qemud_qmp_execute(struct qemud_qmp *m, const char *command, struct json_object *args,
		      struct json_object **ret, struct sv_error *err);
void qemud_qmp_close(struct qemud_qmp *m);
/* QEMU's version from the greeting: "7.2.22". */
const char *qemud_qmp_version(const struct qemud_qmp *m);
