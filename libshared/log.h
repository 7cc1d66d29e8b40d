/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Logging: levels, to stderr, to a file or to the system logger. Library code logs at debug
 * only; a daemon logs once, where it decides what an event means. */
#pragma once

#include "util.h"

enum log_level { LOG_LVL_ERROR = 0, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG, LOG_LVL_LAST };
/* Where lines go (key log_output, SEPVIRT_LOG_OUTPUT): file: each process its own file under
 * the log directory (sepvirtd points the daemons' stderr there); stderr: sepvirtd's standard
 * error, the journal under systemd; syslog: datagrams to the system logger's /dev/log. */
enum log_output { LOG_OUT_FILE = 0, LOG_OUT_STDERR, LOG_OUT_SYSLOG };

/* ident: the daemon's name. path: NULL for stderr. Level from SEPVIRT_LOG_LEVEL when set. */
int log_init(const char *ident, const char *path, enum log_level level);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
int log_level_parse(const char *s, enum log_level *out);
int log_output_parse(const char *s, enum log_output *out);
/* SEPVIRT_LOG_OUTPUT (which sepvirt.conf sets when the environment does not); file by default. */
enum log_output log_output_configured(void);
/* Sends every later line to the system logger: connects before confinement (lines are then
 * plain write()s on the socket). */
int log_use_syslog(void);
int log_fd(void);
void log_msg(enum log_level level, const char *fmt, ...) _printf_(2, 3);

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) \
	do { if (log_get_level() >= LOG_LVL_DEBUG) log_msg(LOG_LVL_DEBUG, __VA_ARGS__); } while (0)
