/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>

#include "log.h"

static const char *const level_names[LOG_LVL_LAST] = { "error", "warning", "info", "debug" };
static const int syslog_severity[LOG_LVL_LAST] = { 3, 4, 6, 7 };
static enum log_level cur_level = LOG_LVL_INFO;
static int out_fd = STDERR_FILENO;
static bool out_syslog;
static char ident_buf[64] = "sepvirt";

int log_level_parse(const char *s, enum log_level *out)
{
	for (int i = 0; i < LOG_LVL_LAST; i++) {
		if (streq(s, level_names[i]) || (s[0] == '0' + i && !s[1])) {
			*out = i;
			return 0;
		}
	}
	if (streq(s, "warn")) {
		*out = LOG_LVL_WARN;
		return 0;
	}
	return -EINVAL;
}

int log_output_parse(const char *s, enum log_output *out)
{
	static const char *const names[] = { "file", "stderr", "syslog" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (streq(s, names[i])) {
			*out = i;
			return 0;
		}
	return -EINVAL;
}

enum log_output log_output_configured(void)
{
	const char *env = getenv("SEPVIRT_LOG_OUTPUT");
	enum log_output o = LOG_OUT_FILE;

	if (env)
		log_output_parse(env, &o);
	return o;
}

/* glibc's syslog() would need sendto, and socket/connect again whenever the logger went
 * away; a socket connected once and written to needs nothing a confined daemon lacks. */
int log_use_syslog(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	if (out_fd != STDERR_FILENO)
		close(out_fd);
	out_fd = fd;
	out_syslog = true;
	return 0;
}

int log_init(const char *ident, const char *path, enum log_level level)
{
	const char *env = getenv("SEPVIRT_LOG_LEVEL");

	snprintf(ident_buf, sizeof(ident_buf), "%s", ident);
	cur_level = level;
	if (env)
		log_level_parse(env, &cur_level);
	if (path) {
		/* Opened once before the sandbox closes open(): the fd is kept for the process's life. */
		int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
		if (fd < 0)
			return -errno;
		if (out_fd != STDERR_FILENO)
			close(out_fd);
		out_fd = fd;
	}
	return 0;
}

void log_set_level(enum log_level level) { cur_level = level; }
enum log_level log_get_level(void) { return cur_level; }
int log_fd(void) { return out_fd; }

void log_msg(enum log_level level, const char *fmt, ...)
{
	char buf[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n, saved = errno;

	if (level > cur_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	if (out_syslog)
		/* RFC 3164 without a timestamp (the logger adds its own): facility daemon (3), the
		 * severity of the level (error 3, warning 4, info 6, debug 7). */
		n = snprintf(buf, sizeof(buf), "<%d>%s[%d]: %s: ", 3 * 8 + syslog_severity[level], ident_buf,
			     (int)getpid(), level_names[level]);
	else
		n = snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d.%03ld %s[%d]: %s: ",
			     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			     ts.tv_nsec / 1000000, ident_buf, (int)getpid(), level_names[level]);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof(buf))
		n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	if (!out_syslog) /* a datagram is one message: no newline */
		buf[n++] = '\n';
	/* One write per line so lines of several processes sharing a file do not interleave. */
	(void)!write(out_fd, buf, n);
	errno = saved;
}
