/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A QMP client on the event loop that never blocks it. The handshake (greeting, then
 * qmp_capabilities) and every command run asynchronously: a command is written, its reply is
 * matched by id when the monitor becomes readable, and its callback runs from the loop. Each
 * has a deadline: past it the callback gets an error naming the domain, the command and the time
 * waited, and the monitor counts as unresponsive until QEMU answers anything again (a late reply
 * is matched and dropped). Events are queued and delivered from the loop, never from inside a
 * command's callback. */
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

/* The end of a command (or of the handshake): r >= 0 with ret (the "return" value, may be NULL,
 * borrowed: json_object_get it to keep it), or r < 0 with err. A monitor closed while commands
 * wait fails them after the loop iteration of the close (EPIPE). */
typedef void (*qemud_qmp_cb)(void *opaque, int r, struct json_object *ret, const struct sv_error *err);

/* The monitor's UNIX socket: bound and listening (handed to QEMU), or connected to it. */
int qemud_monitor_socket(const char *path, bool listening, struct sv_error *err);
/* The same for any UNIX socket QEMU is handed (a chardev's); what names it in errors. */
int qemud_unix_socket(const char *what, const char *path, bool listening, struct sv_error *err);

/* Connects to the monitor socket and starts the handshake; ready runs when it is done (then
 * commands may be sent), when timeout_ms passed, or with -ECHILD when abort_fd (QEMU's pidfd)
 * becomes readable first. label (the domain's name) is named in errors. On a failure the
 * caller closes *out. Returns < 0 only when the socket cannot be reached at all. */
int qemud_qmp_open(struct evloop *loop, const char *path, const char *label, int abort_fd, int timeout_ms,
		   const struct qemud_qmp_ops *ops, void *userdata, qemud_qmp_cb ready, void *opaque,
		   struct qemud_qmp **out, struct sv_error *err);
/* Sends one command (args may be NULL; a reference is taken); cb (may be NULL) runs when its
 * reply arrives or timeout_ms passed (0: the configured default). < 0 when it cannot be sent. */
int qemud_qmp_send(struct qemud_qmp *m, const char *command, struct json_object *args, int timeout_ms,
		   qemud_qmp_cb cb, void *opaque, struct sv_error *err);
/* The same with fd (taken, closed once sent or when it cannot be) handed to QEMU with the
 * command's bytes, as getfd and add-fd expect it. */
int qemud_qmp_send_fd(struct qemud_qmp *m, const char *command, struct json_object *args, int fd, int timeout_ms,
		      qemud_qmp_cb cb, void *opaque, struct sv_error *err);
void qemud_qmp_close(struct qemud_qmp *m);
/* The string member key of a reply's object, NULL when o or it is missing. */
const char *qemud_qmp_str(struct json_object *o, const char *key);
/* QEMU's version from the greeting: "7.2.22". */
const char *qemud_qmp_version(const struct qemud_qmp *m);

/* What the monitor is doing, as virsh domcontrol shows it. */
enum qemud_qmp_control {
	QEMUD_QMP_OK,           /* idle */
	QEMUD_QMP_OCCUPIED,     /* a command waits for its reply, within its deadline */
	QEMUD_QMP_UNRESPONSIVE, /* a command went past its deadline and QEMU has said nothing since */
};
/* *since_ms: monotonic ms the oldest waiting (or the unanswered) command was sent; *command
 * its name (static to the qmp, valid until the next call into it). */
enum qemud_qmp_control qemud_qmp_control(const struct qemud_qmp *m, int64_t *since_ms, const char **command);

/* Settings: commands' deadline (qmp_timeout_ms, default 30 s) and the start's handshake
 * (the larger of 60 s and twice the commands'). */
int qemud_qmp_timeout_ms(void);
int qemud_qmp_start_timeout_ms(void);
int64_t qemud_now_ms(void);
